"""Engine fleets that change over time (docs/model.md, "Engine repair"): ``installed`` as a
schedule of dates, in both engines: the removal load follows the positions, arriving
aircraft bring engines, retiring aircraft take theirs, the bare ones first."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.network import compile_network
from sim.repair.draws import DAYS_PER_YEAR
from sim.sampling import sample_parameters
from sim.simulation import simulate_chunk
from tests.conftest import build_scenario
from tests.engines import ENGINES, simulate
from tests.repair.cases import engines, ships

RATE = 3.0


def scheduled_pool(installed, spares=1000, turnaround=10.0, years=3):
    """One engine type on a fleet schedule, one depot with lines enough for every engine."""
    depot = {"tinker": {"country": "US", "lines": 1000, "turnaround_days": turnaround}}
    return build_scenario(
        years=years,
        **engines(installed=installed, spares=spares, rate=RATE, depots=depot),
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_removals_follow_the_installed_engines_of_the_schedule(engine):
    # 20 positions, 40 from 1 March 2027 (day 424), 10 from 1 January 2028 (day 730), to
    # the end of 2028 (day 1,096); spares enough that every position always has an engine.
    # Expected removals = λ · Σ positions × days = 3/365.25 · (20·424 + 40·306 + 10·366)
    # = 3/365.25 · 24,380 = 200.2; Poisson, so the standard error is √(200/n).
    schedule = {"2026-01-01": 20, "2027-03-01": 40, "2028-01-01": 10}
    network = compile_network(scheduled_pool(schedule))
    assert network.engines[0].change_days == (424.0, 730.0)
    expected = RATE / DAYS_PER_YEAR * (20 * 424 + 40 * 306 + 10 * 366)
    replications = 400
    removals = simulate_chunk(network, 9, range(replications), engine).metrics[
        "engines.F110.removals"
    ]
    assert abs(removals.mean() - expected) < 4 * np.sqrt(expected / replications)


@pytest.mark.parametrize("engine", ENGINES)
def test_arrivals_bring_engines_and_the_bare_aircraft_retire_first(engine):
    # Two positions, no spare, and no engine back within the horizon (2,000-day repairs).
    # Day 10: a removal, one aircraft bare. Day 200: the fleet falls to one position: the
    # bare aircraft retires (bare 1 -> 0; its engine, in repair, is now a spare to come).
    # Day 250: a removal, no spare on hand (that engine is still out): bare 1, none on
    # wing. Day 300: two aircraft arrive with engines (on wing 2, bare 1). Day 350:
    # keep 0.7 · 3 (most positions) = 2.1 is not below 2 on wing: no removal. Day 400: a
    # removal, still no spare: bare 2. Bare positions × days: 1·190 + 1·150 + 2·696 =
    # 1,732 over 1,096 days. (Were the aircraft on wing to retire first, the bare one
    # would stay bare, and the day-250 candidate find no engine on wing: 1,782.)
    schedule = {"2026-01-01": 2, "2026-07-20": 1, "2026-10-28": 3}
    network = compile_network(scheduled_pool(schedule, spares=0, turnaround=2000.0))
    assert network.engines[0].change_days == (200.0, 300.0)
    parameters = sample_parameters(network, 1, range(1))
    candidates = [10.0, 250.0, 350.0, 400.0]
    width = len(candidates)
    parameters.engines[0] = dataclasses.replace(
        parameters.engines[0],
        candidate=np.array([candidates]),
        keep=np.array([[0.0, 0.0, 0.7, 0.0]]),
        turnaround=np.full((1, width, 1), 2000.0),
        outbound=np.zeros((1, width, 1)),
        inbound=np.zeros((1, width, 1)),
    )
    metrics = simulate(engine, network, parameters).metrics
    assert metrics["engines.F110.removals"][0] == 3
    np.testing.assert_allclose(metrics["engines.F110.bare_firewalls"][0], 1732 / 1096)
    mean_positions = (2 * 200 + 1 * 100 + 3 * 796) / 1096
    np.testing.assert_allclose(
        metrics["engines.F110.availability"][0], 1 - 1732 / 1096 / mean_positions
    )


def test_a_schedule_must_say_the_positions_at_the_start():
    from sim.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"engine_repair\.F110\.installed: the schedule must"):
        scheduled_pool({"2027-01-01": 20})


@pytest.mark.parametrize("engine", ENGINES)
def test_planned_availabilities_follow_the_ships_of_the_schedule(engine):
    # 10 ships, 4 from 1 January 2027 (day 365), 8 from 1 January 2028 (day 730) to day
    # 1,096; each ship asks every 200 days from a uniform phase, so the requests of a ship
    # in the fleet for d days number d/200 on average: (10·365 + 4·365 + 8·366) / 200 =
    # 40.19 (the last ships to arrive leave first; ships 4-7 come back in 2028).
    fleet = {
        "homeport": "US",
        "ships": {"2026-01-01": 10, "2027-01-01": 4, "2028-01-01": 8},
        "cycle_days": 200,
        "planned_days": 10,
    }
    scenario = build_scenario(
        years=3, **ships({"yard": {"country": "US", "berths": 20}}, {"fleet": fleet})
    )
    expected = (10 * 365 + 4 * 365 + 8 * 366) / 200
    metrics = simulate_chunk(compile_network(scenario), 3, range(300), engine).metrics
    requested = metrics["ships.fleet.fleet.availabilities"] + metrics["ships.fleet.fleet.open_end"]
    se = requested.std(ddof=1) / np.sqrt(requested.size)
    assert abs(requested.mean() - expected) < 4 * se, (requested.mean(), expected, se)
    # a fixed fleet of 10 for contrast: 10 · 1,096 / 200 = 54.8
    fixed = build_scenario(
        years=3,
        **ships({"yard": {"country": "US", "berths": 20}}, {"fleet": {**fleet, "ships": 10}}),
    )
    metrics = simulate_chunk(compile_network(fixed), 3, range(300), engine).metrics
    requested = metrics["ships.fleet.fleet.availabilities"] + metrics["ships.fleet.fleet.open_end"]
    assert abs(requested.mean() - 54.8) < 4 * requested.std(ddof=1) / np.sqrt(requested.size)
