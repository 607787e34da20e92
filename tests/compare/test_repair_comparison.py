"""Comparisons of runs with ship and engine repair: names, directions, wording, headlines.

Hand-made run folders state every number, so the sentences can be checked word for word;
one pair of small real runs checks the whole ``sim compare`` path end to end.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from sim.cli.main import main
from sim.compare.comparison import compare_runs
from sim.compare.headline import forest_rows, headline
from sim.compare.load import load_run
from sim.compare.measures import heading, label, parse_metric
from sim.compare.wording import sentence, unit_words
from sim.report.writer import write_report
from sim.runs.montecarlo import run
from tests.compare.runs import write_folder
from tests.conftest import build_scenario

YEARS = [2026, 2027]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ships.delay_days", "Ship maintenance delay"),
        ("ships.wait_days", "Ship wait for a berth"),
        ("ships.late_share", "Ship availabilities finished late"),
        ("ships.ship_days_unavailable", "Ship days in maintenance, 2026–2027"),
        ("ships.ship_days_unavailable.2027", "Ship days in maintenance in 2027"),
        ("ships.waited_over_30_days", "Ship share that waited over 30 days"),
        ("ships.fleet.west-ddg.delay_days", "Fleet west-ddg maintenance delay"),
        ("ships.yard.maizuru.utilisation", "Yard maizuru utilisation"),
        ("engines.F110.bare_firewalls", "F110 bare firewalls"),
        ("engines.F110.availability", "F110 engine positions filled"),
        ("engines.F110.waited_over_0_days", "F110 share that waited at all"),
        ("engines.F110.depot.japan-hub.turnaround_days", "F110 depot japan-hub turnaround"),
        (
            "engines.F110.depot.japan-hub.opened",
            "F110 depot japan-hub opened (share of replications)",
        ),
        ("item.PAC-3 MSE.stock_end.2027", "PAC-3 MSE stock at end of 2027"),
        ("line.pac3-us.output", "Line pac3-us total output, 2026–2027"),
        ("spending.total", "Spending on units and investments, 2026–2027"),
        ("spending.investments.2027", "Spending on investments in 2027"),
        ("spending.country.JP", "Spending by JP on units and investments, 2026–2027"),
    ],
)
def test_repair_metrics_read_as_words(name: str, words: str):
    assert label(parse_metric(name), YEARS) == words


def test_an_engine_type_is_the_subject_and_a_depot_its_qualifier():
    metric = parse_metric("engines.F110.depot.japan-hub.repairs")
    assert (metric.group, metric.subject, metric.qualifier) == (
        "engines",
        "F110",
        ("depot", "japan-hub"),
    )
    assert heading(metric) == "F110 depot japan-hub"
    fleet = parse_metric("ships.fleet.west.delay_days")
    assert (fleet.subject, fleet.qualifier, fleet.measure) == (
        None,
        ("fleet", "west"),
        "delay_days",
    )
    assert heading(fleet) == "Fleet west"
    assert heading(parse_metric("ships.delay_days")) == "Ships, all fleets"


@pytest.mark.parametrize(
    "name",
    [
        "ships.wait_days",
        "ships.delay_days",
        "ships.late_share",
        "ships.ship_days_unavailable",
        "ships.fleet.west.ship_days_unavailable.2027",
        "ships.waited_over_90_days",
        "engines.F110.bare_firewalls",
        "engines.F110.depot_wait_days",
        "engines.F110.turnaround_days",
        "engines.F110.backlog",
        "engines.F110.depot.tinker.depot_wait_days",
    ],
)
def test_less_waiting_delay_and_bare_firewalls_is_better(name: str):
    assert parse_metric(name).direction == "lower"


def test_direction_of_availability_utilisation_and_counts():
    assert parse_metric("engines.F110.availability").direction == "higher"
    assert parse_metric("engines.F110.depot.japan-hub.opened").direction == "higher"
    # A busier yard or depot is not better: capacity added elsewhere lowers it.
    assert parse_metric("ships.yard.maizuru.utilisation").direction is None
    assert parse_metric("engines.F110.depot.tinker.utilisation").direction is None
    assert parse_metric("line.pac3-us.utilisation").direction == "higher"  # unchanged
    assert parse_metric("ships.availabilities").direction is None
    assert parse_metric("engines.F110.removals").direction is None


def compare(tmp_path, first: dict, second: dict, units: dict):
    a = write_folder(tmp_path / "a", first, name="base", units=units, years=tuple(YEARS))
    b = write_folder(tmp_path / "b", second, name="plan", units=units, years=tuple(YEARS))
    (comparison,) = compare_runs([load_run(a), load_run(b)])
    return comparison


def test_sentences_carry_the_unit_per_job_and_the_direction(tmp_path):
    units = {
        "ships.delay_days": "days",
        "engines.F110.bare_firewalls": "engine positions",
        "engines.F110.availability": "fraction",
    }
    first = {
        "ships.delay_days": [20.0, 22.0, 25.0, 21.0],
        "engines.F110.bare_firewalls": [4.0, 5.0, 3.0, 6.0],
        "engines.F110.availability": [0.90, 0.88, 0.92, 0.86],
    }
    second = {
        "ships.delay_days": [10.0, 13.0, 15.0, 10.0],
        "engines.F110.bare_firewalls": [2.0, 3.0, 1.0, 3.0],
        "engines.F110.availability": [0.95, 0.93, 0.97, 0.92],
    }
    comparison = compare(tmp_path, first, second, units)
    delay = comparison.metrics["ships.delay_days"]
    assert unit_words(delay) == "days per availability"
    assert sentence(delay, YEARS, "plan").startswith(
        "Ship maintenance delay: -10 days per availability (95 % CI -"
    )
    assert "; better in plan in 100 % of paired replications, worse in 0 %." in sentence(
        delay, YEARS, "plan"
    )
    bare = sentence(comparison.metrics["engines.F110.bare_firewalls"], YEARS, "plan")
    assert bare.startswith("F110 bare firewalls: -2.2 engine positions (95 % CI ")
    assert "better in plan in 100 %" in bare
    available = sentence(comparison.metrics["engines.F110.availability"], YEARS, "plan")
    assert available.startswith("F110 engine positions filled: +5.2 percentage points")
    assert "better in plan in 100 %" in available


def test_headline_picks_the_key_repair_metrics_after_production(tmp_path):
    names = [
        "item.PAC-3 MSE.stock_end.2027",
        "line.pac3-us.output",
        "ships.availabilities",
        "ships.wait_days",
        "ships.delay_days",
        "ships.late_share",
        "ships.ship_days_unavailable",
        "ships.ship_days_unavailable.2027",
        "ships.waited_over_30_days",
        "ships.fleet.west.delay_days",
        "ships.fleet.west.wait_days",
        "ships.yard.maizuru.utilisation",
        "ships.yard.maizuru.utilisation.2027",
        "engines.F110.bare_firewalls",
        "engines.F110.bare_firewalls.2027",
        "engines.F110.availability",
        "engines.F110.depot_wait_days",
        "engines.F110.turnaround_days",
        "engines.F110.removals",
        "engines.F110.depot.tinker.depot_wait_days",
    ]
    values = {name: [1.0, 2.0, 3.0, 4.0] for name in names}
    changed = {name: [2.0, 2.0, 5.0, 4.0] for name in names}
    comparison = compare(tmp_path, values, changed, {})
    chosen = [entry.metric.name for entry in headline(comparison)]
    assert chosen == [
        "item.PAC-3 MSE.stock_end.2027",
        "line.pac3-us.output",
        "ships.wait_days",
        "ships.delay_days",
        "ships.late_share",
        "ships.ship_days_unavailable",
        "ships.fleet.west.delay_days",
        "ships.yard.maizuru.utilisation",
        "engines.F110.bare_firewalls",
        "engines.F110.availability",
        "engines.F110.depot_wait_days",
        "engines.F110.turnaround_days",
    ]
    assert [entry.metric.name for entry in forest_rows(comparison)] == chosen


SHIPS = {
    "fleets": {
        "west": {"homeport": "US", "ships": 6, "cycle_days": 300, "planned_days": 120},
    },
    "yards": {"san-diego": {"country": "US", "berths": 2}},
}


@pytest.fixture(scope="module")
def repair_runs(tmp_path_factory):
    """Two runs with the same seed; the second has one more berth and three spares."""
    folder = tmp_path_factory.mktemp("repair-runs")
    folders = []
    for name, berths, spares in (("two-berths", 2, 0), ("three-berths", 3, 3)):
        ships = json.loads(json.dumps(SHIPS))
        ships["yards"]["san-diego"]["berths"] = berths
        engines = {
            "F110": {
                "installed": 30,
                "spares": spares,
                "removals_per_engine_year": 0.5,
                "depots": {"tinker": {"country": "US", "lines": 1, "turnaround_days": 40}},
            }
        }
        scenario = build_scenario(name=name, ship_repair=ships, engine_repair=engines)
        folders.append(write_report(run(scenario, replications=100, seed=3), folder / name))
    return folders


def test_sim_compare_of_repair_runs_leads_with_repair(repair_runs, tmp_path):
    out = tmp_path / "out"
    assert main(["compare", *map(str, repair_runs), "--out", str(out), "--quiet"]) == 0
    document = json.loads((out / "comparison.json").read_text())
    bare = document["metrics"]["engines.F110.bare_firewalls"]
    assert bare["paired"] is True and bare["direction"] == "lower"
    assert bare["diff"] < 0  # spares cover removed engines
    markdown = (out / "comparison.md").read_text()
    assert "- Ship maintenance delay: -" in markdown
    assert "days per availability (95 % CI" in markdown
    assert "- F110 bare firewalls: -" in markdown
    assert "For ship repair: waits for a berth" in markdown
    assert (out / "figures" / "forest.png").is_file()


@pytest.mark.parametrize(
    ("better", "worse", "ending"),
    [
        (0.0, 0.0, "; the same in every paired replication."),
        (0.002, 0.001, "; better in plan in 2 of 1,000 paired replications, worse in 1 of 1,000."),
        (0.6, 0.001, "; better in plan in 60 % of paired replications, worse in 1 of 1,000."),
        (0.6, 0.0, "; better in plan in 60 % of paired replications, worse in 0 %."),
        (
            0.998,
            0.002,
            "; better in plan in 998 of 1,000 paired replications, worse in 2 of 1,000.",
        ),
        (1.0, 0.0, "; better in plan in 100 % of paired replications, worse in 0 %."),
    ],
)
def test_a_difference_in_very_few_replications_is_counted_not_rounded_away(
    tmp_path, better, worse, ending
):
    """'better in 0 %, worse in 0 %' would contradict a non-zero difference."""
    units = {"engines.F110.bare_firewalls": "engine positions"}
    comparison = compare(
        tmp_path,
        {"engines.F110.bare_firewalls": [4.0, 5.0, 3.0, 6.0]},
        {"engines.F110.bare_firewalls": [4.0, 5.0, 3.0, 5.0]},
        units,
    )
    entry = comparison.metrics["engines.F110.bare_firewalls"]
    entry = dataclasses.replace(
        entry,
        difference=dataclasses.replace(entry.difference, n_pairs=1000, n_a=1000, n_b=1000),
        b_better_share=better,
        b_worse_share=worse,
    )
    assert sentence(entry, YEARS, "plan").endswith(ending)
