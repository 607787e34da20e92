"""Ships and engines already in repair on the start date (docs/model.md, "The stated
start"): hand-computed cases on both engines, agreement per replication, bad input."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.errors import ScenarioError
from sim.network import compile_network
from sim.repair.draws import EMERGENT
from sim.repair.initial import pool_at_start
from sim.sampling import sample_parameters
from tests.agreement.test_repair_agreement import assert_same_repair_metrics, mixed
from tests.conftest import build_scenario
from tests.engines import ENGINES, simulate
from tests.repair.cases import engines, ships

YEAR = 365.0
NO_REQUESTS = {"homeport": "US", "emergent_per_year": 1e-9, "emergent_days": 1}
"""A fleet that asks for (practically) nothing: one request in 10⁹ years."""


def yard_with(berths: int, *remaining: float) -> dict:
    """One US yard holding one ship of fleet `f` per entry of `remaining` on day 0."""
    stated = [{"fleet": "f", "ships": 1, "remaining_days": days} for days in remaining]
    yard = {"country": "US", "berths": berths, "in_availability": stated}
    return build_scenario(years=1, **ships({"yard": yard}, {"f": NO_REQUESTS}, routing="home"))


def metrics_of(scenario, engine: str, change=None) -> dict:
    network = compile_network(scenario)
    parameters = sample_parameters(network, 1, range(1))
    if change is not None:
        change(parameters)
    return simulate(engine, network, parameters).metrics


@pytest.mark.parametrize("engine", ENGINES)
def test_ships_in_availability_hold_the_berths_from_day_0(engine):
    # one berth, ships with 10 and 30 days left: the second waits for the first, so they
    # are back on days 10 and 40: 50 ship-days unavailable, 40 berth-days worked
    metrics = metrics_of(yard_with(1, 10, 30), engine)
    assert metrics["ships.ship_days_unavailable"][0] == pytest.approx(50)
    assert metrics["ships.fleet.f.ship_days_unavailable.2026"][0] == pytest.approx(50)
    assert metrics["ships.yard.yard.utilisation"][0] == pytest.approx(40 / YEAR)
    # not availabilities of the horizon: none requested, none completed, none open
    assert metrics["ships.availabilities"][0] == 0
    assert metrics["ships.open_end"][0] == 0
    # two berths: both worked at once, 10 + 30
    two = metrics_of(yard_with(2, 10, 30), engine)
    assert two["ships.ship_days_unavailable"][0] == pytest.approx(40)
    assert two["ships.yard.yard.utilisation"][0] == pytest.approx(40 / (2 * YEAR))


@pytest.mark.parametrize("engine", ENGINES)
def test_requests_of_the_horizon_queue_behind_the_stated_ships(engine):
    # one berth busy until day 30; a ship asks on day 5 for 10 days: it waits 25 days and
    # is done on day 40, 25 days late. Ship-days unavailable: 30 + 35.
    def one_request(parameters):
        draws = parameters.ships
        parameters.ships = dataclasses.replace(
            draws,
            request=np.array([[5.0]]),
            fleet=np.array([[0]]),
            kind=np.array([[EMERGENT]], dtype=np.int8),
            planned=np.array([[10.0]]),
            work=np.array([[10.0]]),
            transit=np.zeros((1, 1, 1)),
        )

    metrics = metrics_of(yard_with(1, 30), engine, one_request)
    assert metrics["ships.availabilities"][0] == 1
    assert metrics["ships.wait_days"][0] == pytest.approx(25)
    assert metrics["ships.delay_days"][0] == pytest.approx(25)
    assert metrics["ships.ship_days_unavailable"][0] == pytest.approx(65)


def depot_with(spares: int, *remaining: float, transport: float = 5.0):
    """Four positions, no removals, one depot line holding one engine per `remaining`."""
    stated = [{"engines": 1, "remaining_days": days} for days in remaining]
    depot = {
        "country": "US",
        "lines": 1,
        "turnaround_days": 60,
        "transport_days": transport,
        "in_repair": stated,
    }
    sections = engines(installed=4, spares=spares, rate=0.0, depots={"tinker": depot})
    return build_scenario(years=1, **sections)


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_at_the_depot_leave_bare_firewalls_until_they_come_back(engine):
    # no spares: both aircraft are bare from day 0. One line: repairs end on days 10 and
    # 40 (the second queued for 10 days), and the engines are back 5 days later, on days
    # 15 and 45: 60 position-days bare, 60 engine-days out, 10 queued, 40 worked.
    metrics = metrics_of(depot_with(0, 10, 30), engine)
    assert metrics["engines.F110.bare_firewalls"][0] == pytest.approx(60 / YEAR)
    assert metrics["engines.F110.bare_firewalls.2026"][0] == pytest.approx(60 / YEAR)
    assert metrics["engines.F110.availability"][0] == pytest.approx(1 - 60 / YEAR / 4)
    assert metrics["engines.F110.in_repair"][0] == pytest.approx(60 / YEAR)
    assert metrics["engines.F110.backlog"][0] == pytest.approx(10 / YEAR)
    assert metrics["engines.F110.depot.tinker.utilisation"][0] == pytest.approx(40 / YEAR)
    # not removals of the horizon
    assert metrics["engines.F110.removals"][0] == 0
    assert metrics["engines.F110.repairs"][0] == 0
    # one spare: it covers the first removal; the other aircraft is bare until day 15
    one = metrics_of(depot_with(1, 10, 30), engine)
    assert one["engines.F110.bare_firewalls"][0] == pytest.approx(15 / YEAR)
    assert one["engines.F110.in_repair"][0] == pytest.approx(60 / YEAR)


def test_engines_out_use_the_spares_first():
    assert [int(v) for v in pool_at_start(3, 2)] == [1, 0]
    assert [int(v) for v in pool_at_start(3, 5)] == [0, 2]


def test_engines_agree_per_replication_with_a_stated_start():
    # uncertain remaining days, more stated jobs than servers, removals and ship requests
    # of the horizon booking behind them
    data = mixed()
    yards = data["ship_repair"]["yards"]
    yards["san-diego"]["in_availability"] = [
        {"fleet": "west", "ships": 3, "remaining_days": {"uniform": [20, 200]}}
    ]
    yards["yokosuka"]["in_availability"] = [
        {"fleet": "japan", "ships": 1, "remaining_days": 40},
        {"fleet": "west", "ships": 1, "remaining_days": {"exponential": {"mean": 60}}},
    ]
    data["engine_repair"]["F110"]["depots"]["tinker"]["in_repair"] = [
        {"engines": 5, "remaining_days": {"triangular": [10, 40, 120]}}
    ]
    assert_same_repair_metrics(build_scenario(**data), replications=8)


BAD = [
    (
        "yards.y.in_availability.0.fleet",
        {"fleet": "nope", "remaining_days": 5},
        {},
        "unknown fleet",
    ),
    (
        "yards.y.in_availability",
        {"fleet": "f", "remaining_days": 5},
        {"opens": "2026-03-01"},
        "working on day 0",
    ),
    (
        "yards.y.in_availability.0.ships",
        {"fleet": "f", "ships": 0, "remaining_days": 5},
        {},
        "greater than or equal to 1",
    ),
    (
        "yards.y.in_availability.0.remaining_days",
        {"fleet": "f", "remaining_days": -3},
        {},
        "",
    ),
]


@pytest.mark.parametrize(("path", "group", "yard", "message"), BAD)
def test_bad_ships_in_availability(path, group, yard, message):
    fallback = {"country": "US", "berths": 1}
    stated = {"country": "US", "berths": 1, "in_availability": [group], **yard}
    sections = ships({"home": fallback, "y": stated}, {"f": NO_REQUESTS})
    with pytest.raises(ScenarioError) as caught:
        build_scenario(**sections)
    shown = [str(problem) for problem in caught.value.problems]
    assert any(f"ship_repair.{path}: " in line and message in line for line in shown), shown


def test_bad_engines_in_repair():
    hub = {
        "country": "JP",
        "lines": 1,
        "turnaround_days": 60,
        "certification": {"days": 300},
        "in_repair": [{"engines": 1, "remaining_days": 5}],
    }
    tinker = {"country": "US", "lines": 1, "turnaround_days": 60}
    with pytest.raises(ScenarioError, match=r"depots\.hub\.in_repair: a depot awaiting"):
        build_scenario(**engines(depots={"tinker": tinker, "hub": hub}))
    crowded = {**tinker, "in_repair": [{"engines": 23, "remaining_days": 5}]}
    with pytest.raises(ScenarioError, match=r"engine_repair\.F110: 23 engines in repair"):
        build_scenario(**engines(installed=20, spares=2, depots={"tinker": crowded}))


def test_the_report_says_what_was_already_in_repair():
    from sim.report.repair import engines_at_start, ships_at_start

    stated = yard_with(1, 10, 30).ship_repair
    (sentence,) = ships_at_start(stated, 2026)
    assert sentence.startswith("On 1 January 2026 ships were already in availability (2 at yard)")
    assert ships_at_start(yard_with(1).ship_repair, 2026) == []
    (sentence,) = engines_at_start(depot_with(0, 10, 30).engine_repair["F110"], 2026)
    assert "(2 at tinker)" in sentence


def test_a_stated_group_cites_its_own_sources():
    from sim.scenario.sources import citations

    depot = {
        "country": "US",
        "lines": 1,
        "turnaround_days": 60,
        "in_repair": [{"engines": 1, "remaining_days": 5, "source": ["nope"]}],
    }
    with pytest.raises(ScenarioError, match=r"in_repair\.0\.source\.0: unknown source 'nope'"):
        build_scenario(**engines(depots={"tinker": depot}))
    depot["in_repair"][0]["source"] = ["s"]
    scenario = build_scenario(sources={"s": {"title": "t"}}, **engines(depots={"tinker": depot}))
    assert citations(scenario)["engine_repair.F110.depots.tinker.in_repair.0"] == ["s"]


def test_a_fleet_cannot_have_more_ships_in_availability_than_ships():
    fleet = {"homeport": "US", "ships": 2, "cycle_days": 700, "planned_days": 100}
    stated = [{"fleet": "f", "ships": 3, "remaining_days": 5}]
    yard = {"country": "US", "berths": 1, "in_availability": stated}
    with pytest.raises(ScenarioError, match=r"fleets\.f\.ships: 3 ships in availability"):
        build_scenario(**ships({"yard": yard}, {"f": fleet}))
