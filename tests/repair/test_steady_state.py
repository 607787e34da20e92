"""Both engines' repair in steady state, against queueing theory (docs/model.md).

An M/M/c yard against Erlang C and an engine pool against the machine-repair chain with
spares (:mod:`tests.repair.cases`), measured the same way for each engine through the
shared tallies after a warm-up of ten relaxation times. The DES, slower per
replication, runs fewer replications; the tolerance follows from each run's standard
error (``assert_agrees``).
"""

from __future__ import annotations

import pytest

from tests.conftest import build_scenario
from tests.engines import ENGINES, repair_tallies
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

QUICK = {"des": (60, 0.08), "vector": (200, 0.05)}
"""Replications and relative precision of the default run, per engine."""
PRECISE = {"des": (500, 0.015), "vector": (4000, 0.005)}
"""The same for the slow, precise run."""


def check_yard(engine: str, replications: int, years: int, precision: float) -> None:
    scenario = build_scenario(**mmc_yard(YARD, years))
    ships = repair_tallies(engine, scenario, replications, seed=31).ships
    assert_yard_in_steady_state(ships, YARD, warmup_months(YARD.relaxation_days), precision)


def check_pool(engine: str, replications: int, years: int, precision: float) -> None:
    scenario = build_scenario(**machine_repair_pool(POOL, years))
    (pool,) = repair_tallies(engine, scenario, replications, seed=32).engines
    assert_pool_in_steady_state(pool, POOL, warmup_months(POOL.relaxation_days), precision)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_mmc_yard_queues_as_erlang_c_says(engine):
    replications, precision = QUICK[engine]
    check_yard(engine, replications, years=6, precision=precision)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_pool_follows_the_machine_repair_chain(engine):
    replications, precision = QUICK[engine]
    check_pool(engine, replications, years=6, precision=precision)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_an_mmc_yard_queues_as_erlang_c_says_precisely(engine):
    replications, precision = PRECISE[engine]
    check_yard(engine, replications, years=12, precision=precision)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_an_engine_pool_follows_the_machine_repair_chain_precisely(engine):
    replications, precision = PRECISE[engine]
    check_pool(engine, replications, years=12, precision=precision)
