"""A conflict's engine removal factor, above or below 1, in both engines (docs/model.md,
"Engine repair"): removals run at λ·φ(t) per engine on wing, φ(t) the largest factor of
the conflicts under way, 1 outside them."""

from __future__ import annotations

import numpy as np
import pytest

from sim.network import compile_network
from sim.repair.draws import DAYS_PER_YEAR
from sim.repair.fleets import removal_factor
from sim.simulation import simulate_chunk
from tests.conftest import build_scenario
from tests.engines import ENGINES
from tests.repair.cases import engines

INSTALLED, RATE, YEARS = 20, 3.0, 3
"""20 engines removed 3 times a year each, for three years (1,096 days from 2026)."""
CONFLICT_DAYS = 365


def pool_with_conflict(factor: float, probability: float = 1.0):
    """One engine type with spares enough that no aircraft is ever bare (so every engine
    is always on wing), and a conflict over the whole of 2027 with removal `factor`."""
    conflict = {
        "name": "war",
        "start": "2027-01-01",
        "days": CONFLICT_DAYS,
        "probability": probability,
        "engine_removal_factor": factor,
    }
    depot = {"tinker": {"country": "US", "lines": 1000, "turnaround_days": 10}}
    return build_scenario(
        years=YEARS,
        conflicts=[conflict],
        **engines(installed=INSTALLED, spares=1000, rate=RATE, depots=depot),
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("factor", "probability"),
    [(0.25, 1.0), (0.0, 1.0), (1.0, 1.0), (2.0, 1.0), (0.25, 0.0)],
)
def test_removals_follow_the_factor_while_the_conflict_lasts(engine, factor, probability):
    # By hand: 1,096 days, 365 of them at the factor (none if the conflict never happens):
    # removals are Poisson with mean 20 · 3/365.25 · (731 + 365·φ); for φ = 0.25 that is
    # 0.16427 · 822.25 = 135.1, against 180.0 with φ = 1: 45 fewer, ~75 standard errors.
    scenario = pool_with_conflict(factor, probability)
    network = compile_network(scenario)
    horizon = network.calendar.horizon_days
    at_factor = CONFLICT_DAYS * probability
    expected = INSTALLED * RATE / DAYS_PER_YEAR * (horizon - at_factor + factor * at_factor)
    replications = 400
    removals = simulate_chunk(network, 5, range(replications), engine).metrics[
        "engines.F110.removals"
    ]
    standard_error = np.sqrt(expected / replications)  # Poisson: variance = mean
    assert abs(removals.mean() - expected) < 4 * standard_error, (removals.mean(), expected)


def test_the_largest_active_factor_applies_and_none_active_means_one():
    # conflicts 0: days 10-20 at 0.25; 1: days 15-30 at 2; 2: days 15-25 at 0.5
    start, end = np.array([10.0, 15.0, 15.0]), np.array([20.0, 30.0, 25.0])
    surge = np.array([0.25, 2.0, 0.5])
    days = np.array([5.0, 12.0, 16.0, 27.0, 30.0])
    np.testing.assert_array_equal(
        removal_factor(start, end, surge, days), [1.0, 0.25, 2.0, 2.0, 1.0]
    )
    low = np.array([0.25, 0.0, 0.5])  # overlapping factors below 1: the largest, 0.5
    np.testing.assert_array_equal(removal_factor(start, end, low, days), [1.0, 0.25, 0.5, 0.0, 1.0])
