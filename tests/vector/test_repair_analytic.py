"""The NumPy engine's repair recursions in steady state, against queueing theory.

The same textbook cases and measurements as the SimPy engine's tests
(tests/des/test_repair.py), from :mod:`tests.repair.cases`: an M/M/c yard against
Erlang C, and an engine pool against the machine-repair chain with spares. The yard's
waiting time is checked through Little's law (ships queueing = λ × mean wait, with
Erlang C's mean wait), since the time-averages after the warm-up are what the shared
tallies keep.
"""

from __future__ import annotations

import pytest

from sim.network import compile_network
from sim.repair.outcomes import RepairTallies
from sim.sampling import sample_parameters
from sim.vector.engines import simulate_engines
from sim.vector.ships import simulate_ships
from tests.conftest import build_scenario
from tests.repair.cases import (
    assert_pool_in_steady_state,
    assert_yard_in_steady_state,
    machine_repair_pool,
    mmc_yard,
    warmup_months,
)
from tests.repair.queueing_theory import MachineRepair, MMc

YARD = MMc(servers=3, arrival_rate=0.525, service_rate=0.25)
"""Three berths, a ship every 1.9 days, 4 days of work: 70 % busy, Erlang C = 0.49."""
POOL = MachineRepair(installed=20, spares=3, removal_rate=3 / 365.25, repair_rate=0.1, servers=2)
"""20 engines, 3 spares, 3 removals per engine-year, two lines of 10 days: ~1.1 bare."""


def repair_tallies(sections: dict, replications: int, seed: int) -> RepairTallies:
    network = compile_network(build_scenario(**sections))
    parameters = sample_parameters(network, seed, range(replications))
    tallies = RepairTallies.zeros(network, replications)
    if network.ships is not None:
        simulate_ships(network.ships, parameters.ships, network.calendar, tallies.ships)
    for engine, draws, pool in zip(
        network.engines, parameters.engines, tallies.engines, strict=True
    ):
        simulate_engines(engine, draws, network.calendar, pool)
    return tallies


def check_yard(replications: int, years: int, precision: float) -> None:
    months = warmup_months(YARD.relaxation_days)
    ships = repair_tallies(mmc_yard(YARD, years), replications, seed=31).ships
    assert_yard_in_steady_state(ships, YARD, months, precision)


def check_pool(replications: int, years: int, precision: float) -> None:
    months = warmup_months(POOL.relaxation_days)
    (pool,) = repair_tallies(machine_repair_pool(POOL, years), replications, seed=32).engines
    assert_pool_in_steady_state(pool, POOL, months, precision)


def test_an_mmc_yard_queues_as_erlang_c_says():
    check_yard(replications=200, years=6, precision=0.05)


def test_an_engine_pool_follows_the_machine_repair_chain():
    check_pool(replications=200, years=6, precision=0.05)


@pytest.mark.slow
def test_an_mmc_yard_queues_as_erlang_c_says_precisely():
    check_yard(replications=4000, years=12, precision=0.005)


@pytest.mark.slow
def test_an_engine_pool_follows_the_machine_repair_chain_precisely():
    check_pool(replications=4000, years=12, precision=0.005)
