"""The synthetic line families of sim.bench.synthetic."""

from __future__ import annotations

import numpy as np
import pytest

from sim.bench.synthetic import family_scenario
from sim.network import compile_network
from sim.simulation import simulate_chunk


@pytest.mark.parametrize("lines", [3, 12, 30])
def test_a_family_scenario_validates_with_the_asked_number_of_lines(lines):
    scenario = family_scenario(lines)
    assert len(scenario.lines) == lines
    assert len(compile_network(scenario).lines) == lines
    assert scenario.years == 10


@pytest.mark.parametrize("lines", [0, 4, -3])
def test_line_counts_that_are_not_whole_families_are_refused(lines):
    with pytest.raises(ValueError, match="multiple of 3"):
        family_scenario(lines)


def test_families_are_independent_copies():
    """Every family delivers the same missiles: copies share no inputs or stock."""
    network = compile_network(family_scenario(6, years=2))
    outcomes = simulate_chunk(network, 1, range(50))
    first = outcomes.metrics["item.Missile 1.deliveries.2027"]
    second = outcomes.metrics["item.Missile 2.deliveries.2027"]
    assert first.mean() > 0 and second.mean() > 0
    # the families' draws are named differently, so they differ, but not in kind
    assert not np.array_equal(first, second)
    assert abs(first.mean() - second.mean()) < 0.25 * first.mean()


def test_both_engines_run_a_family_scenario():
    network = compile_network(family_scenario(3, years=1))
    assert simulate_chunk(network, 1, range(2), "des").metrics
