"""The rank method's maths: Spearman ρ and SRRC with their intervals, on known cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from sim.parameter_id import ParameterId
from sim.sensitivity.rank import (
    average_ranks,
    rank_sensitivity,
    spearman,
    standardised_rank_regression,
)
from sim.sensitivity.study import carry_out, plan
from tests.sensitivity.scenarios import DRIVER, UNRELATED, two_lines


def rank(metric, unit, inputs, outcome):
    """:func:`rank_sensitivity` of inputs named by plain strings."""
    named = {ParameterId("", name, ""): values for name, values in inputs.items()}
    return rank_sensitivity(metric, unit, named, outcome)


def estimates_of(result, name):
    return next(entry for entry in result.inputs if entry.name == name).estimates


def test_a_monotone_driver_is_found_and_noise_is_not():
    rng = np.random.default_rng(1)
    n = 1000
    driver, weak, unrelated = rng.random(n), rng.random(n), rng.random(n)
    outcome = np.exp(3 * driver) + 4 * weak + 0.2 * rng.standard_normal(n)
    result = rank("m", "u", {"unrelated": unrelated, "driver": driver, "weak": weak}, outcome)
    assert [entry.name for entry in result.inputs] == ["driver", "weak", "unrelated"]
    assert [entry.rank for entry in result.inputs] == [1, 2, 3]
    rho = estimates_of(result, "driver")["spearman"]
    assert rho.value > 0.9 and rho.low < rho.value < rho.high <= 1
    for key in ("spearman", "srrc"):
        nothing = estimates_of(result, "unrelated")[key]
        assert nothing.low < 0 < nothing.high, key
    assert estimates_of(result, "weak")["srrc"].low > 0
    assert 0.9 < result.fit["r_squared"] <= 1


def test_the_sign_says_which_way_the_metric_moves():
    rng = np.random.default_rng(2)
    x = rng.random(200)
    result = rank("m", "u", {"x": x}, -x)
    assert estimates_of(result, "x")["spearman"].value == pytest.approx(-1)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_only_ranks_matter(seed):
    """A monotone transform of an input or of the metric changes nothing."""
    rng = np.random.default_rng(seed)
    x, z = rng.random(60), rng.random(60)
    y = x + z + rng.random(60)
    plain = rank("m", "u", {"x": x, "z": z}, y)
    transformed = rank("m", "u", {"x": np.exp(5 * x), "z": z**3}, np.log(y))
    for a, b in zip(plain.inputs, transformed.inputs, strict=True):
        assert a.name == b.name
        for key in ("spearman", "srrc"):
            assert a.estimates[key].value == pytest.approx(b.estimates[key].value, abs=1e-12)


def coverage(hits: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Observed coverage and the 4-standard-error tolerance of a 95 % interval's coverage."""
    return float(hits.mean()), 4 * math.sqrt(level * (1 - level) / hits.size)


def test_spearman_intervals_cover_the_true_correlation_95_percent_of_the_time():
    """Bivariate normal with correlation r: Spearman's ρ is (6/π)·asin(r/2) exactly."""
    rng = np.random.default_rng(3)
    trials, n, r = 1500, 60, 0.6
    truth = 6 / math.pi * math.asin(r / 2)
    hits = np.empty(trials, dtype=bool)
    for trial in range(trials):
        x = rng.standard_normal(n)
        y = r * x + math.sqrt(1 - r**2) * rng.standard_normal(n)
        ranks = [scipy_stats.rankdata(v) for v in (x, y)]
        standard = [(v - v.mean()) / v.std() for v in ranks]
        estimate = spearman(standard[0][:, None], standard[1])[0]
        hits[trial] = estimate.low <= truth <= estimate.high
    observed, tolerance = coverage(hits)
    assert abs(observed - 0.95) < tolerance, observed


def test_srrc_intervals_of_inputs_with_no_effect_cover_zero_95_percent_of_the_time():
    rng = np.random.default_rng(4)
    trials, n = 1500, 80
    hits = np.empty(trials, dtype=bool)
    for trial in range(trials):
        inputs = rng.random((n, 3))
        y = inputs[:, 0] + 0.5 * rng.standard_normal(n)
        ranks = scipy_stats.rankdata(np.column_stack([inputs, y]), axis=0)
        standard = (ranks - ranks.mean(axis=0)) / ranks.std(axis=0)
        coefficients, _ = standardised_rank_regression(standard[:, :3], standard[:, 3])
        hits[trial] = coefficients[2].low <= 0 <= coefficients[2].high
    observed, tolerance = coverage(hits)
    assert abs(observed - 0.95) < tolerance, observed


def test_undefined_metric_values_are_left_out():
    rng = np.random.default_rng(5)
    x = rng.random(300)
    y = x.copy()
    y[::3] = np.nan
    result = rank("m", "u", {"x": x}, y)
    assert result.replications == 200
    assert estimates_of(result, "x")["spearman"].value == pytest.approx(1)


def test_a_metric_that_never_varies_has_no_drivers():
    result = rank("m", "u", {"x": np.arange(50.0)}, np.full(50, 7.0))
    assert not result.varies
    assert result.top(3) == []
    assert not estimates_of(result, "x")["spearman"].defined


def test_a_constant_input_gets_no_estimate_and_ranks_last():
    rng = np.random.default_rng(6)
    x = rng.random(100)
    result = rank("m", "u", {"flat": np.ones(100), "x": x}, x + rng.random(100))
    assert [entry.name for entry in result.inputs] == ["x", "flat"]
    flat = estimates_of(result, "flat")
    assert not flat["spearman"].defined and not flat["srrc"].defined
    assert estimates_of(result, "x")["srrc"].defined


def test_too_few_replications_for_the_regression_leave_srrc_undefined():
    rng = np.random.default_rng(7)
    inputs = {f"x{i}": rng.random(5) for i in range(6)}
    result = rank("m", "u", inputs, rng.random(5))
    assert all(not entry.estimates["srrc"].defined for entry in result.inputs)
    assert all(entry.estimates["spearman"].defined for entry in result.inputs)


def test_on_a_scenario_a_lines_capacity_drives_its_output_and_nothing_else_does():
    request = plan(two_lines(), ["item.X.deliveries"], "rank", size=400, seed=11)
    (result,) = carry_out(request).results
    driver = estimates_of(result, DRIVER)["spearman"]
    unrelated = estimates_of(result, UNRELATED)["spearman"]
    assert result.inputs[0].name == DRIVER
    assert driver.value > 0.99
    assert unrelated.low < 0 < unrelated.high


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(-3, 3) | st.floats(-1e6, 1e6), min_size=2, max_size=2),
        min_size=1,
        max_size=40,
    )
)
def test_average_ranks_are_scipys(rows):
    values = np.array(rows, dtype=float)  # few distinct integers: many ties
    np.testing.assert_array_equal(average_ranks(values), scipy_stats.rankdata(values, axis=0))
    np.testing.assert_array_equal(average_ranks(values[:, 0]), scipy_stats.rankdata(values[:, 0]))
