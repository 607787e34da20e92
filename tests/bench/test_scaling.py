"""The log-log slope of sim.bench.scaling."""

from __future__ import annotations

import pytest

from sim.bench.scaling import log_log_slope


def test_linear_growth_has_slope_one():
    assert log_log_slope([1000, 3000, 10_000], [0.5, 1.5, 5.0]) == pytest.approx(1.0)


def test_a_fixed_cost_bends_the_slope_below_one():
    counts = [1000, 10_000, 100_000]
    assert log_log_slope(counts, [2.0 + n / 1000 for n in counts]) < 0.9


def test_quadratic_growth_has_slope_two():
    assert log_log_slope([1, 2, 4], [1, 4, 16]) == pytest.approx(2.0)


def test_one_distinct_x_has_no_slope():
    assert log_log_slope([1000], [1.0]) is None
    assert log_log_slope([1000, 1000], [1.0, 1.1]) is None
