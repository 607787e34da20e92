"""Ship and engine repair on the SimPy engine (docs/model.md, "Ship repair", "Engine repair").

What only the event-driven engine shows, rule by rule: conservation of ships and engines
at every event, the routing rules and certification seen in each visit, the legal limit,
the thinning of removals and the order of simultaneous events; each ship's wait in an
M/M/c yard against Erlang C, and SimPy's clock against the board it routes by. The rules
both engines share, and the steady states of their tallies, are tested once for both in
tests/repair (test_rules.py, test_steady_state.py). Agreement with the vector
engine, replication by replication, is in tests/agreement/test_repair_agreement.py.
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.des import simulate
from sim.des.engines import EnginePool
from sim.des.model import Replication
from sim.network import Network, compile_network
from sim.parameters import Parameters
from sim.production.demand import Requirements, recovery_windows
from sim.repair.outcomes import RepairTallies
from sim.runs.montecarlo import run
from sim.sampling import sample_parameters
from tests.conftest import build_scenario
from tests.repair.cases import (
    POOLS,
    UNCERTAIN_WEST,
    assert_agrees,
    assert_yard_in_steady_state,
    certified_hub,
    engines,
    mmc_yard,
    one_depot,
    ships,
    warmup_months,
)
from tests.repair.queueing_theory import MMc


@dataclass
class DesRun:
    """Replications run one by one and kept, so tests can look inside them."""

    network: Network
    parameters: Parameters
    replications: list[Replication]
    repair: RepairTallies


def run_des(scenario, replications: int = 1, seed: int = 1, parameters=None) -> DesRun:
    network = compile_network(scenario)
    if parameters is None:
        parameters = sample_parameters(network, seed, range(replications))
    replications = len(parameters.replications)
    requirements = Requirements(network, parameters)
    windows = recovery_windows(network, parameters)
    repair = RepairTallies.zeros(network, replications)
    done = []
    for rep in range(replications):
        replication = Replication(network, parameters, rep, requirements, windows)
        replication.run()
        replication.record_repair(repair)
        done.append(replication)
    return DesRun(network, parameters, done, repair)


JAPAN = {"homeport": "JP", "emergent_per_year": 8, "emergent_days": {"exponential": {"mean": 30}}}


def mixed_scenario(**header):
    """Every repair feature at once: planned and emergent ships, battle damage, transit,
    a yard opening late with a legal limit and uncertain berths, a fleet-restricted yard,
    an engine surge, a depot whose certification may fail."""
    yards = {
        "sd": {"country": "US", "berths": 2},
        "maizuru": {
            "country": "JP",
            "berths": {"uniform": [0, 3]},
            "opens": "2027-06-01",
            "max_days": 180,
            "duration_factor": 1.3,
        },
        "yoko": {"country": "JP", "berths": 1, "fleets": ["japan"]},
    }
    depots = {
        "tinker": {
            "country": "US",
            "lines": 2,
            "turnaround_days": {"exponential": {"mean": 60}},
            "transport_days": 5,
        },
        "hub": {
            "country": "JP",
            "lines": 3,
            "turnaround_days": 30,
            "transport_days": {"uniform": [5, 15]},
            "certification": {"days": {"uniform": [200, 900]}, "success": 0.6},
        },
    }
    conflict = {
        "name": "war",
        "start": "2028-01-01",
        "days": 180,
        "probability": 0.7,
        "ship_damage_per_year": 20,
        "engine_removal_factor": 3,
    }
    return build_scenario(
        **{"years": 5, **header},
        conflicts=[conflict],
        **ships(
            yards,
            {"west": UNCERTAIN_WEST, "japan": JAPAN},
            transit_days={"US-JP": {"uniform": [10, 20]}, "JP-US": 14},
        ),
        **engines(installed=40, spares=3, rate=1.5, depots=depots),
    )


# --- wiring ---------------------------------------------------------------------------


def test_simpy_gives_every_job_the_times_its_booking_predicted():
    """The board only routes; SimPy's own clock must then reach the same days."""
    result = run_des(mixed_scenario(), replications=12, seed=4)
    checked = 0
    for replication in result.replications:
        places = [replication.shipyards.yards] + [e.depots for e in replication.engines]
        for visit in (visit for place in places for visit in place.visits):
            observed = (visit.arrived, visit.started, visit.ended)
            for seen, booked in zip(observed, visit.predicted, strict=True):
                if seen is not None:
                    assert seen == pytest.approx(booked, rel=1e-12, abs=1e-9)
                    checked += 1
    assert checked > 1000


def test_the_trace_logs_yards_depots_and_engines(tmp_path):
    trace = tmp_path / "trace.csv"
    run(mixed_scenario(years=2), 1, seed=1, engine="des", trace=trace)
    with trace.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    seen = {(row["line"].split()[0], row["event"]) for row in rows}
    for kind in ("yard", "depot"):
        assert {(kind, event) for event in ("book", "arrive", "start", "end")} <= seen
    assert {("engine", "removal"), ("engine", "return"), ("fleet", "request")} <= seen
    assert any(row["line"] == "yard sd" and row["event"] == "start" for row in rows)


# --- conservation ---------------------------------------------------------------------


def test_every_request_within_the_horizon_is_completed_or_still_open():
    result = run_des(mixed_scenario(), replications=10, seed=8)
    horizon = result.network.calendar.horizon_days
    tallies = result.repair.ships
    for rep, replication in enumerate(result.replications):
        shipyards = replication.shipyards
        asked = int(np.sum(shipyards.request < horizon))
        visits = shipyards.yards.visits
        assert len(visits) == asked == tallies.requested[rep].sum()
        finished = sum(visit.ended is not None for visit in visits)
        # Ships still out hold a berth or a place in a queue: SimPy's own count.
        assert finished + shipyards.yards.in_system() == asked
        assert tallies.completed[rep].sum() == finished
    found = simulate(result.network, result.parameters).metrics
    assert np.array_equal(
        found["ships.availabilities"] + found["ships.open_end"], tallies.requested.sum(axis=1)
    )


@settings(max_examples=12, deadline=None, derandomize=True)
@given(**POOLS, stated=st.integers(0, 8))
def test_every_event_keeps_the_pools_engines_balanced(
    installed, spares, rate, lines, turnaround, transport, stated
):
    # `stated` engines at the depot on day 0 (docs/model.md, "The stated start") too
    stated = min(stated, installed + spares)
    depots = one_depot(lines, turnaround, transport, stated)
    scenario = build_scenario(years=2, **engines(installed, spares, rate, depots))
    events = []

    def checked(handler):
        def handle(pool, *arguments):
            handler(pool, *arguments)
            events.append(pool.env.now)
            total = pool.on_wing + pool.spares + pool.out
            assert total == installed + spares
            assert pool.on_wing == installed - pool.bare
            assert min(pool.out, pool.bare, pool.spares, pool.on_wing) >= 0
            assert pool.bare == 0 or pool.spares == 0  # no aircraft waits while a spare sits

        return handle

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EnginePool, "remove", checked(EnginePool.remove))
        patch.setattr(EnginePool, "receive", checked(EnginePool.receive))
        result = run_des(scenario, replications=3, seed=installed)
    assert events
    for rep, replication in enumerate(result.replications):
        (pool,) = replication.engines
        visits = pool.depots.visits
        coming_back = sum(v.ended is not None for v in visits) - len(pool.returned)
        assert pool.out == pool.depots.in_system() + coming_back
        assert result.repair.engines[0].removals[rep] == len(visits) - pool.stated


# --- routing, opening, limits, certification ------------------------------------------


def replay_routing(places, servers, travel, work, allowed, after=None) -> np.ndarray:
    """Check every booking at `places` from SimPy's times alone; return which places took
    work.

    Booked FIFO, a place's earliest free server for a new job is the c-th latest of its
    opening day (once per server) and the ends of the jobs booked there before: each
    booking takes the server that frees first, which never lowers the c latest. So the
    job's completion at every allowed place follows, and the place it went to must be
    the first that finishes (or returns, counting `after`) earliest. `travel`, `work`,
    `allowed` and `after` map a visit to one value per place.
    """
    count = servers.size
    ends = [[float(places.opens[p])] * int(servers[p]) for p in range(count)]
    used = np.zeros(count, dtype=bool)
    for visit in places.visits:
        done, finish = np.full(count, np.inf), np.full(count, np.inf)
        for p in np.flatnonzero(allowed(visit)):
            free = sorted(ends[p])[-int(servers[p])]
            done[p] = max(visit.dispatched + travel(visit)[p], free) + work(visit)[p]
            finish[p] = done[p] + (0.0 if after is None else after(visit)[p])
        end = visit.times()[2]
        assert np.isfinite(done[visit.place]), "sent to a place it may not use"
        assert end == pytest.approx(done[visit.place], rel=1e-12, abs=1e-9)
        first = int(np.flatnonzero(finish <= finish.min() + 1e-9)[0])
        assert visit.place == first  # the earliest, ties to the first in scenario order
        ends[visit.place].append(end)
        used[visit.place] = True
    return used


def test_each_ship_goes_to_the_yard_that_would_finish_it_first():
    yards = {
        "sd": {"country": "US", "berths": 2},
        "slow": {"country": "US", "berths": 1, "duration_factor": 2.5},
        "yoko": {"country": "JP", "berths": 2, "opens": "2026-09-01"},
    }
    fleets = {"west": {**UNCERTAIN_WEST, "ships": 16, "cycle_days": 400}, "japan": JAPAN}
    scenario = build_scenario(
        years=4, **ships(yards, fleets, transit_days={"US-JP": 14, "JP-US": 14})
    )
    result = run_des(scenario, replications=6, seed=6)
    used = np.zeros(3, dtype=bool)
    for replication in result.replications:
        shipyards = replication.shipyards
        network, yards = shipyards.network, shipyards.yards

        def allowed(visit, shipyards=shipyards, network=network, yards=yards):
            # The rule, restated: eligible under the routing, open, berths, max_days.
            k = visit.job
            return (
                network.allowed[shipyards.fleet[k]]
                & (yards.opens <= visit.dispatched)
                & (yards.servers > 0)
                & (shipyards.planned[k] <= network.max_days)
            )

        used |= replay_routing(
            yards,
            result.parameters.ships.berths[replication.rep],
            travel=lambda visit, s=shipyards: s.transit[visit.job],
            work=lambda visit, s=shipyards: s.work[visit.job] * s.factor,
            allowed=allowed,
        )
    assert used.all()


def test_each_engine_goes_to_the_depot_that_would_return_it_first():
    depots = {
        "tinker": {
            "country": "US",
            "lines": 1,
            "turnaround_days": {"exponential": {"mean": 40}},
            "transport_days": 2,
        },
        "hub": {
            "country": "JP",
            "lines": 2,
            "turnaround_days": {"uniform": [20, 40]},
            "transport_days": {"uniform": [10, 30]},
            "certification": {"days": 200, "success": 1.0},
        },
    }
    scenario = build_scenario(years=3, **engines(installed=30, spares=2, rate=2.0, depots=depots))
    result = run_des(scenario, replications=6, seed=9)
    used = np.zeros(2, dtype=bool)
    for replication in result.replications:
        (pool,) = replication.engines
        used |= replay_routing(
            pool.depots,
            result.parameters.engines[0].lines[replication.rep],
            travel=lambda visit, pool=pool: pool.outbound[visit.job],
            work=lambda visit, pool=pool: pool.turnaround[visit.job],
            allowed=lambda visit, pool=pool: (
                (pool.depots.opens <= visit.dispatched) & (pool.depots.servers > 0)
            ),
            after=lambda visit, pool=pool: pool.inbound[visit.job],
        )
    assert used.all()


def test_a_yard_takes_no_work_before_it_opens_nor_beyond_its_limit():
    yards = {
        "home": {"country": "US", "berths": 1},
        "late": {"country": "US", "berths": 4, "opens": "2027-03-01"},
        "short": {"country": "US", "berths": 4, "max_days": 150},
    }
    fleet = {
        **UNCERTAIN_WEST,
        "ships": 10,
        "cycle_days": 300,
        "planned_days": {"uniform": [100, 200]},
    }
    result = run_des(build_scenario(years=3, **ships(yards, {"west": fleet})), 5, seed=3)
    late, short = 1, 2
    taken = np.zeros(3, dtype=int)
    for replication in result.replications:
        shipyards = replication.shipyards
        for visit in shipyards.yards.visits:
            taken[visit.place] += 1
            if visit.place == late:
                assert visit.dispatched >= shipyards.yards.opens[late]
            if visit.place == short:
                assert shipyards.planned[visit.job] <= 150
    assert np.all(taken > 0)  # one berth at home for ten ships: both others get work


def _network_and_parameters(scenario, replications: int, seed: int = 1):
    network = compile_network(scenario)
    return network, sample_parameters(network, seed, range(replications))


def test_the_hub_takes_engines_only_after_a_successful_certification():
    never = engines(depots=certified_hub(0.0))
    result = run_des(build_scenario(years=3, **never), 5, seed=2)
    for replication in result.replications:
        (pool,) = replication.engines
        assert pool.depots.visits and all(visit.place == 0 for visit in pool.depots.visits)
    sure = engines(depots=certified_hub(1.0))
    result = run_des(build_scenario(years=3, **sure), 5, seed=2)
    for replication in result.replications:
        (pool,) = replication.engines
        at_hub = [visit for visit in pool.depots.visits if visit.place == 1]
        assert at_hub and all(visit.dispatched >= 100 for visit in at_hub)


# --- removals: thinning and simultaneous events ----------------------------------------


def hand_drawn_pool(candidates, keep, turnaround, surge=None, installed=2, spares=0):
    """A pool whose candidate removals, thinning uniforms and repair times are set by hand."""
    conflicts = []
    if surge is not None:
        conflicts = [{"name": "surge", "start": "2026-01-03", "days": 1, **surge}]
    depots = {"tinker": {"country": "US", "lines": 1, "turnaround_days": 1}}
    scenario = build_scenario(
        years=1, conflicts=conflicts, **engines(installed, spares, 1.0, depots)
    )
    network = compile_network(scenario)
    parameters = sample_parameters(network, 1, range(1))
    width = len(candidates)
    parameters.engines[0] = dataclasses.replace(
        parameters.engines[0],
        candidate=np.array([candidates], dtype=float),
        keep=np.array([keep], dtype=float),
        turnaround=np.full((1, width, 1), float(turnaround)),
        outbound=np.zeros((1, width, 1)),
        inbound=np.zeros((1, width, 1)),
    )
    (replication,) = run_des(scenario, parameters=parameters).replications
    (pool,) = replication.engines
    return pool


@pytest.mark.parametrize(
    ("second_keep", "removed"),
    [(0.45, [1.0, 2.5]), (0.55, [1.0]), (0.5, [1.0])],  # 0.5·2·2 = 2·1: strictly below
)
def test_a_candidate_is_kept_iff_keep_peak_installed_is_below_factor_on_wing(second_keep, removed):
    # Two positions, no spare, peak factor 2. Day 1: factor 1, two on wing:
    # 0.45·2·2 = 1.8 < 1·2, kept. Day 2.5, inside the surge (factor 2 on days 2–3), one on
    # wing: 1.8 < 2·1 is kept, 0.55·2·2 = 2.2 is not. Day 4: 0.3·2·2 = 1.2 is below
    # neither 1·1 nor 1·0.
    pool = hand_drawn_pool(
        [1.0, 2.5, 4.0],
        [0.45, second_keep, 0.3],
        turnaround=1000,
        surge={"engine_removal_factor": 2},
    )
    assert [visit.dispatched for visit in pool.depots.visits] == removed
    assert pool.bare == len(removed)


def test_a_return_comes_before_a_candidate_at_the_same_moment():
    # One position, no spare: the engine removed on day 1 is back on day 11, exactly when
    # the next candidate comes; seeing the engine back on wing, the candidate is kept.
    pool = hand_drawn_pool([1.0, 11.0], [0.0, 0.0], turnaround=10, installed=1)
    assert pool.returned[0] == 11.0
    assert [visit.dispatched for visit in pool.depots.visits] == [1.0, 11.0]


# --- steady states against queueing theory ---------------------------------------------

YARD = MMc(servers=3, arrival_rate=0.525, service_rate=0.25)
"""Three berths, a ship every 1.9 days, 4 days of work: 70 % busy, Erlang C = 0.49."""


def check_yard(replications: int, years: int, precision: float) -> None:
    months = warmup_months(YARD.relaxation_days)
    result = run_des(build_scenario(**mmc_yard(YARD, years)), replications, seed=21)
    settled = result.network.calendar.month_edges[months]
    wait, waited = [], []
    for replication in result.replications:
        shipyards = replication.shipyards
        visits = shipyards.yards.table()
        # By request day, not completion, so the end of the horizon censors nothing: a
        # ship still out at the end has the days its booking gave it.
        after = shipyards.request[visits["job"]] >= settled
        days = (visits["start"] - visits["arrival"])[after]
        wait.append(days.mean())
        waited.append(np.mean(days > 0))
    assert_agrees(np.array(wait), YARD.mean_wait, precision=precision)
    assert_agrees(np.array(waited), YARD.wait_probability, precision=precision)
    assert_yard_in_steady_state(result.repair.ships, YARD, months, precision)


def test_an_mmc_yard_waits_as_erlang_c_says():
    check_yard(replications=50, years=6, precision=0.08)


@pytest.mark.slow
def test_an_mmc_yard_waits_as_erlang_c_says_precisely():
    check_yard(replications=400, years=12, precision=0.015)
