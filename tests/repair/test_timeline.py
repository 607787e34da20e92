"""The shared step-count integrals against a day-by-day brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.repair.scatter import add_at
from sim.repair.timeline import Timeline, yearly

EDGES = np.array([0.0, 31.0, 59.0, 90.0])  # January to March of a common year


def brute_force(changes, edges, entities):
    """Integral over each month by summing the count over 1/8-day slices."""
    slices = np.arange(edges[0], edges[-1], 0.125) + 0.0625
    result = np.zeros((entities, edges.size - 1))
    for entity, day, delta in changes:
        if not np.isfinite(day):
            continue
        level = np.where(slices >= max(day, edges[0]), delta, 0.0) * 0.125
        month = np.searchsorted(edges, slices, side="right") - 1
        np.add.at(result[entity], month, level)
    return result


days = st.one_of(
    st.integers(-320, 960).map(lambda eighths: eighths / 8),
    st.sampled_from([np.inf, np.nan, 90.0, 0.0, 31.0]),
)
"""Days on the brute force's 1/8-day grid, before, inside and after the horizon, or none."""


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), days, st.sampled_from([1.0, -1.0, 2.0])), max_size=12))
def test_integrals_match_a_brute_force_sum(changes):
    timeline = Timeline(EDGES, 1, 2)
    for entity, day, delta in changes:
        timeline.change(np.array([0]), entity, np.array([day]), delta)
    assert timeline.integrals()[0] == pytest.approx(brute_force(changes, EDGES, 2), abs=1e-9)


def test_changes_made_together_or_apart_give_the_same_integrals():
    rng = np.random.default_rng(5)
    rows = rng.integers(0, 4, 200)
    entity = rng.integers(0, 3, 200)
    day = rng.uniform(-10, 100, 200)
    delta = rng.choice([1.0, -1.0], 200)
    together, apart = Timeline(EDGES, 4, 3), Timeline(EDGES, 4, 3)
    together.change(rows, entity, day, delta)
    for i in range(200):
        apart.change(rows[i : i + 1], entity[i], day[i : i + 1], delta[i])
    assert np.array_equal(together.integrals(), apart.integrals())


def test_month_edges_must_be_whole_days():
    with pytest.raises(ValueError, match="whole days"):
        Timeline(np.array([0.0, 30.5, 61.0]), 1, 1)


def test_yearly_sums_twelve_months():
    monthly = np.arange(24.0).reshape(1, 24)
    assert yearly(monthly).tolist() == [[66.0, 210.0]]


def test_add_at_sums_repeated_cells_in_order():
    target = np.zeros((2, 3))
    add_at(target, (np.array([0, 0, 1]), np.array([2, 2, 0])), np.array([1.0, 2.0, 5.0]))
    add_at(target, (1, np.array([1, 1])), 3.0)
    assert target.tolist() == [[0.0, 0.0, 3.0], [5.0, 6.0, 0.0]]
    counts = np.zeros(3, dtype=np.int64)
    add_at(counts, np.array([2, 2, 0]), 1)
    assert counts.tolist() == [1, 0, 2]
