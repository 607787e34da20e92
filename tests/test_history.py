"""The scenario's ``history:`` key: what it accepts, and every way it can be wrong.

Bad input must come back as ``FILE:LINE: dotted.path: message`` with exit status 2 and
no traceback, like every other scenario problem.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.errors import ScenarioError
from sim.loading import load_scenario, parse_scenario
from sim.scenario.schema import json_schema
from sim.scenario.sources import backing
from sim.scenario.yamlsource import read_yaml

ROOT = Path(__file__).resolve().parents[1]
HINDCAST = ROOT / "scenarios" / "hindcast-pac3.yaml"

HEADER = """\
name: h
start_year: 2026
years: 3
sources:
  maker: {title: Maker's annual report}
  press: {title: Press report}
items:
  M: {unit: missiles}
lines:
  m:
    country: US
    makes: M
    capacity: {initial: 100, target: 1000, growth_cap: 0.5}
"""
HISTORY_LINE = HEADER.count("\n") + 1
"""Line of the ``history:`` key in every text below."""


def parse(text: str):
    data, source = read_yaml("h.yaml", text)
    return parse_scenario(data, source)


def problems(history: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse(HEADER + history)
    return [str(problem) for problem in caught.value.problems]


def test_both_forms_of_a_year_and_sources_for_the_metric_and_the_year():
    scenario = parse(
        HEADER
        + """\
history:
  item.M.deliveries:
    2026: 100
    2027: {value: 140.5, source: [press], note: read off a chart}
    source: [maker]
    note: calendar-year deliveries
"""
    )
    series = scenario.history["item.M.deliveries"]
    assert series.note == "calendar-year deliveries"
    listed = [(year, o.value, keys, o.note) for year, o, keys in series.observations()]
    assert listed == [
        (2026, 100.0, ["maker"], None),
        (2027, 140.5, ["maker", "press"], "read off a chart"),
    ]


def test_a_scenario_without_history_has_none():
    assert parse(HEADER).history == {}


@pytest.mark.parametrize(
    ("history", "line", "path", "message"),
    [
        (
            "  item.M.deliveries: {2025: 90, source: [maker]}\n",
            1,
            "history.item.M.deliveries.2025",
            "year 2025 is outside the horizon 2026-2028",
        ),
        (
            "  item.M.deliveries: {2029: 90, source: [maker]}\n",
            1,
            "history.item.M.deliveries.2029",
            "year 2029 is outside the horizon 2026-2028",
        ),
        (
            "  item.M.deliveries:\n    2026: 90\n    source: [makers]\n",
            3,
            "history.item.M.deliveries.source.0",
            "unknown source 'makers' (known: maker, press)",
        ),
        (
            "  item.M.deliveries:\n    2026: {value: 90, source: [blog]}\n",
            2,
            "history.item.M.deliveries.2026.source.0",
            "unknown source 'blog' (known: maker, press)",
        ),
        (
            "  item.M.deliveries: {2026: 90}\n",
            1,
            "history.item.M.deliveries.2026",
            "no source: give 'source: [keys]' for the metric or for this year",
        ),
        (
            "  item.M.deliveries:\n    2026: 90\n    sources: [maker]\n",
            3,
            "history.item.M.deliveries.sources",
            "unknown key (did you mean 'source'?)",
        ),
        (
            "  item.M.deliveries:\n    2026: -5\n    source: [maker]\n",
            2,
            "history.item.M.deliveries.2026",
            "greater than or equal to 0",
        ),
        (
            "  item.M.deliveries:\n    2026: {valu: 5}\n    source: [maker]\n",
            2,
            "history.item.M.deliveries.2026.valu",
            "unknown key (did you mean 'value'?)",
        ),
        (
            "  item.X.deliveries: {2026: 1, source: [maker]}\n",
            1,
            "history.item.X.deliveries",
            "unknown item 'X' (known: M)",
        ),
        (
            "  line.n.output: {2026: 1, source: [maker]}\n",
            1,
            "history.line.n.output",
            "unknown line 'n' (known: m)",
        ),
        (
            "  item.M.delivered: {2026: 1, source: [maker]}\n",
            1,
            "history.item.M.delivered",
            "reports no yearly metric 'item.M.delivered' (did you mean item.M.deliveries?)",
        ),
        (
            # M has no demand, so no shortfall: the measure exists, not in this scenario
            "  item.M.shortfall: {2026: 1, source: [maker]}\n",
            1,
            "history.item.M.shortfall",
            "reports no yearly metric 'item.M.shortfall' (yearly measures here: deliveries,",
        ),
        (
            # a total over the horizon has no years to observe
            "  line.m.starved_days: {2026: 1, source: [maker]}\n",
            1,
            "history.line.m.starved_days",
            "reports no yearly metric 'line.m.starved_days'",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and "\n" not in value else None,
)
def test_bad_history_is_located(history, line, path, message):
    found = problems("history:\n" + history)
    expected = f"h.yaml:{HISTORY_LINE + line}: {path}: "
    assert any(p.startswith(expected) and message in p for p in found), found


def test_every_yearly_family_is_accepted():
    """Deliveries, stock and shortfall of items, output of lines, per-owner stock."""
    text = (
        HEADER
        + """\
stockpiles:
  M: {US: 10}
demand:
  - {item: M, owner: US, per_year: 50}
history:
  item.M.deliveries: {2026: 100, source: [maker]}
  item.M.stock_end: {2027: 60, source: [maker]}
  item.M.shortfall: {2028: 0, source: [maker]}
  item.M.owner.US.stock_end: {2028: 300, source: [maker]}
  line.m.output: {2026: 100, source: [maker]}
"""
    )
    assert len(parse(text).history) == 5


def test_sim_validate_reports_bad_history_at_its_line_with_exit_2(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(HEADER + "history:\n  item.M.deliveries: {2031: 1, source: [maker]}\n")
    completed = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(scenario)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith(
        f"{scenario}:{HISTORY_LINE + 1}: history.item.M.deliveries.2031: year 2031 is outside"
    )
    assert "Traceback" not in completed.stderr


def test_the_schema_describes_years_as_keys():
    series = json_schema()["$defs"]["HistorySeries"]
    assert set(series["properties"]) == {"source", "note"}
    assert "years" not in series.get("required", [])
    (pattern,) = series["patternProperties"]
    assert pattern == "^[0-9]{4}$"
    assert "history" in json_schema()["properties"]


def test_the_hindcast_validates(capsys):
    assert main(["validate", str(HINDCAST)]) == 0
    assert "hindcast-pac3.yaml: ok" in capsys.readouterr().out


def test_history_observations_cite_their_sources():
    backed = backing(load_scenario(HINDCAST))
    deliveries = "history.item.PAC-3 MSE.deliveries"
    assert f"{deliveries}.2024" in backed["bi-2024-record"]
    assert f"{deliveries}.2024" in backed["lm-2025-deliveries"]
    assert f"{deliveries}.2025" in backed["lm-2025-deliveries"]
    assert backed["lm-two-years-2026"] == [f"{deliveries}.2025"]
    assert all(backed.values()), "every source of the hindcast backs something"


def test_sim_sources_lists_the_history_sources():
    completed = subprocess.run(
        [sys.executable, "-m", "sim", "sources", str(HINDCAST)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "250"},
    )
    assert completed.returncode == 0, completed.stderr
    assert "history.item.PAC-3 MSE.deliveries.2024" in completed.stdout
    assert "history.item.PAC-3 MSE.deliveries.2025" in completed.stdout
    assert "(cited nowhere)" not in completed.stdout
