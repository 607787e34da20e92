"""The run report's "What drives the headline numbers" section (rank method, no extra run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.report import drivers
from sim.report.drivers import MINIMUM_REPLICATIONS, TITLE, driver_sentences, report_drivers
from sim.report.writer import write_report
from sim.runs.montecarlo import run
from sim.sensitivity.inputs import run_inputs
from sim.sensitivity.rank import rank_sensitivity
from tests.conftest import build_scenario
from tests.sensitivity.scenarios import DRIVER, UNRELATED, two_lines


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    finished = run(two_lines(disrupted=True), replications=300, seed=2)
    return write_report(finished, tmp_path_factory.mktemp("drivers") / "out")


def test_the_report_has_the_section_its_figure_and_the_driver(written: Path):
    markdown = (written / "report.md").read_text(encoding="utf-8")
    assert f"## {TITLE}" in markdown
    section = markdown.split(f"## {TITLE}")[1].split("\n## ")[0]
    assert (
        "- item.X.stock\\_end.2027 is driven most by: 1. lines.a.capacity.initial (ρ = +" in section
    )
    assert "](figures/drivers.png)" in section
    assert (written / "figures" / "drivers.png").is_file()
    html = (written / "report.html").read_text(encoding="utf-8")
    assert f"<h2>{TITLE}</h2>" in html


def test_the_section_agrees_with_the_rank_method_on_the_same_replications():
    finished = run(two_lines(disrupted=True), replications=200, seed=9)
    (result, _) = report_drivers(finished)
    inputs = run_inputs(finished.network, 9, range(200))
    metric = finished.outcomes.metrics[result.metric]
    direct = rank_sensitivity(result.metric, "missiles", inputs, metric)
    assert result == direct
    assert result.inputs[0].name == DRIVER
    assert report_drivers(finished) is report_drivers(finished)


def test_the_scenarios_headline_list_chooses_the_numbers():
    scenario = two_lines(headline=["item.Y.deliveries", "item.X.deliveries"])
    finished = run(scenario, replications=100, seed=1)
    results = report_drivers(finished)
    assert [result.metric for result in results] == ["item.Y.deliveries", "item.X.deliveries"]
    assert results[0].inputs[0].name == UNRELATED
    assert len(driver_sentences(finished)) == 2


def test_no_section_when_nothing_is_uncertain_or_too_few_replications():
    fixed = build_scenario(
        items={"X": {}},
        lines={"a": {"country": "US", "makes": "X", "capacity": {"initial": 10}}},
        stockpiles={"X": {"US": 0}},
    )
    assert report_drivers(run(fixed, replications=50, seed=1)) == []
    few = run(two_lines(), replications=MINIMUM_REPLICATIONS - 1, seed=1)
    assert report_drivers(few) == []


def test_a_long_run_is_ranked_on_its_first_replications(monkeypatch):
    monkeypatch.setattr(drivers, "MOST_REPLICATIONS", 120)
    finished = run(two_lines(disrupted=True), replications=300, seed=4)
    (result, _) = report_drivers(finished)
    inputs = run_inputs(finished.network, 4, range(120))
    metric = finished.outcomes.metrics[result.metric][:120]
    assert result.replications == 120
    assert result == rank_sensitivity(result.metric, "missiles", inputs, metric)
    assert "the first 120 of 300 replications" in drivers.drivers_drawing(finished)[1]
