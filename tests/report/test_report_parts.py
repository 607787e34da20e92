"""The pieces of a report: number formatting, figures that have nothing to show, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest
from matplotlib import pyplot

from sim.report.figures import write_figures
from sim.report.json import build_report
from sim.report.markdown import render_markdown
from sim.report.tables import (
    format_interval,
    format_number,
    format_percent,
    format_spread,
    format_years,
)
from sim.runs.montecarlo import Run, run
from tests.conftest import build_scenario


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1242.6, "1,243"),
        (67.8, "68"),
        (7.46, "7.5"),
        (23.0, "23"),
        (2.0, "2"),
        (0.5, "0.5"),
        (0.114, "0.11"),
        (0.0, "0"),
        (-0.001, "0"),
        (-1500.2, "-1,500"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_numbers_are_rounded_for_reading(value, text):
    assert format_number(value) == text


def test_a_spread_shows_the_mean_then_p5_to_p95():
    summary = {"mean": 712.4, "p5": 661, "p95": 760.2, "ci95": [710.6, 714.3]}
    assert format_spread(summary, "missiles") == "712 missiles (661–760)"
    assert format_interval(summary) == "711–714"
    assert format_spread({"mean": 5, "p5": 5, "p95": 5}) == "5"
    assert format_spread({"mean": None}) == "—"
    assert format_spread(None) == "—"


def test_percentages_and_year_spans():
    assert format_percent(0.3209) == "32 %"
    assert format_percent(None) == "—"
    assert format_percent(-1e-18) == "0 %"  # a sum of monthly totals a rounding below zero
    assert format_years([2026]) == "2026"
    assert format_years([2026, 2027, 2028]) == "2026–2028"


def stock_only() -> Run:
    """A stockpile drawn down by demand, and nothing that produces."""
    scenario = build_scenario(
        items={"PAC-3 MSE": {"unit": "missiles"}},
        stockpiles={"PAC-3 MSE": {"US": 500}},
        demand=[{"item": "PAC-3 MSE", "owner": "US", "per_year": 100}],
    )
    return run(scenario, replications=20, seed=3)


def test_figures_with_nothing_to_show_are_skipped(tmp_path: Path):
    finished = stock_only()
    report = build_report(finished)
    figures = write_figures(finished, report, tmp_path / "figures")
    assert [figure.path for figure in figures] == ["figures/stock.png"]
    assert sorted(path.name for path in (tmp_path / "figures").iterdir()) == ["stock.png"]
    markdown = render_markdown(finished, report, figures)
    assert "PAC-3 MSE" in markdown
    assert "## Bottlenecks" not in markdown
    assert "## Production lines" not in markdown


def test_figures_leave_matplotlib_state_alone(tmp_path: Path):
    settings = dict(matplotlib.rcParams)
    open_figures = pyplot.get_fignums()
    finished = stock_only()
    write_figures(finished, build_report(finished), tmp_path / "figures")
    assert dict(matplotlib.rcParams) == settings
    assert pyplot.get_fignums() == open_figures


def test_names_that_look_like_markdown_cannot_break_a_table(tmp_path: Path):
    scenario = build_scenario(
        items={"a|b *item*": {}},
        lines={"line|one": {"country": "US", "makes": "a|b *item*", "capacity": {"initial": 10}}},
    )
    finished = run(scenario, replications=10, seed=1)
    report = build_report(finished)
    markdown = render_markdown(finished, report, write_figures(finished, report, tmp_path))
    tables = [line for line in markdown.splitlines() if line.startswith("|")]
    assert tables
    for table_row in tables:
        unescaped = re.findall(r"(?<!\\)\|", table_row)
        assert len(unescaped) in (5, 9), table_row
    assert r"line\|one" in markdown
    assert r"a\|b \*item\*" in markdown


def test_a_source_cited_from_any_section_counts_as_cited(tmp_path: Path):
    # the Sources section and `sim sources` read one rule (sim.scenario.sources.backing): a key
    # cited only from ship repair or history is cited, and an unused key is not
    source = {"title": "GAO-20-86", "url": "https://gao.gov/products/GAO-20-86"}
    scenario = build_scenario(
        years=1,
        sources={"gao": source, "unused": {"title": "Unused"}},
        ship_repair={
            "yards": {"yoko": {"country": "JP", "berths": 1}},
            "fleets": {
                "fdnf": {"homeport": "JP", "ships": 2, "cycle_days": 400, "planned_days": 30}
            },
            "source": ["gao"],
        },
    )
    finished = run(scenario, replications=2, seed=1)
    report = build_report(finished)
    markdown = render_markdown(finished, report, write_figures(finished, report, tmp_path))
    assert r"key gao, cited by ship\_repair" in markdown
    assert "key unused, not cited" in markdown
