"""The distribution grammar (sim.scenario.distributions): quantiles, means, supports, ranges."""

import datetime as dt
import math
import re
from typing import Annotated

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from scipy import stats

from sim.scenario.distributions import (
    DateSpec,
    Fixed,
    Fraction,
    NonNegative,
    NumberSpec,
    date_distribution,
    is_fixed,
    quantiles,
    within,
)

NUMBER = TypeAdapter(NumberSpec)
DATE = TypeAdapter(DateSpec)
NON_NEGATIVE = TypeAdapter(NonNegative)
FRACTION = TypeAdapter(Fraction)

QUANTILES = np.array([1e-6, 0.001, 0.025, 0.1, 0.3, 0.5, 0.7, 0.9, 0.975, 0.999, 1 - 1e-6])


def pert(low, mode, high):
    span = high - low
    alpha = 1 + 4 * (mode - low) / span
    beta = 1 + 4 * (high - mode) / span
    return stats.beta(alpha, beta, loc=low, scale=span)


def triangular(low, mode, high):
    return stats.triang((mode - low) / (high - low), loc=low, scale=high - low)


# (the spec as written in a scenario file, the same distribution in scipy.stats)
FORMS = [
    ({"uniform": [2, 5]}, stats.uniform(2, 3)),
    ({"uniform": [-1.5, 0.25]}, stats.uniform(-1.5, 1.75)),
    ({"triangular": [270, 365, 450]}, triangular(270, 365, 450)),
    ({"triangular": [0, 0, 10]}, triangular(0, 0, 10)),
    ({"triangular": [0, 10, 10]}, triangular(0, 10, 10)),
    ({"normal": {"mean": 100, "sd": 15}}, stats.norm(100, 15)),
    ({"lognormal": {"median": 45, "sigma": 0.6}}, stats.lognorm(0.6, scale=45)),
    ({"lognormal": {"median": 1.15, "sigma": 0.2}}, stats.lognorm(0.2, scale=1.15)),
    ({"exponential": {"mean": 30}}, stats.expon(scale=30)),
    ({"beta": [2, 5]}, stats.beta(2, 5)),
    ({"beta": [0.5, 0.5]}, stats.beta(0.5, 0.5)),
    ({"pert": [270, 365, 450]}, pert(270, 365, 450)),
    ({"pert": [0.9, 0.98, 1.0]}, pert(0.9, 0.98, 1.0)),
    ({"pert": [0, 0, 4]}, pert(0, 0, 4)),
    ({"erlang": {"mean": 90, "k": 3}}, stats.gamma(3, scale=30)),
    ({"erlang": {"mean": 90, "k": 1}}, stats.expon(scale=90)),
    ({"erlang": {"mean": 12, "k": 20}}, stats.gamma(20, scale=0.6)),
]
FORM_IDS = [f"{next(iter(spec))}-{index}" for index, (spec, _) in enumerate(FORMS)]


@pytest.mark.parametrize(("written", "reference"), FORMS, ids=FORM_IDS)
def test_ppf_matches_scipy(written, reference):
    spec = NUMBER.validate_python(written)
    np.testing.assert_allclose(spec.ppf(QUANTILES), reference.ppf(QUANTILES), rtol=1e-9, atol=0)


@pytest.mark.parametrize(("written", "reference"), FORMS, ids=FORM_IDS)
def test_mean_matches_scipy(written, reference):
    spec = NUMBER.validate_python(written)
    assert spec.mean() == pytest.approx(reference.mean(), rel=1e-12)


@pytest.mark.parametrize(("written", "reference"), FORMS, ids=FORM_IDS)
def test_support_matches_scipy(written, reference):
    spec = NUMBER.validate_python(written)
    assert spec.support() == pytest.approx(reference.support(), rel=1e-12)


def test_ppf_keeps_the_shape_of_u():
    u = np.random.default_rng(7).random((4, 3))
    for written, _ in FORMS:
        assert NUMBER.validate_python(written).ppf(u).shape == (4, 3)
    assert NUMBER.validate_python(5).ppf(u).shape == (4, 3)


@pytest.mark.parametrize("written", [7.5, 0, -3])
def test_plain_number_is_fixed(written):
    spec = NUMBER.validate_python(written)
    assert spec == Fixed(value=written)
    np.testing.assert_array_equal(spec.ppf(np.array([0.0, 0.5, 0.999])), [written] * 3)
    assert spec.mean() == written
    assert spec.support() == (written, written)


@pytest.mark.parametrize(("mean", "cv"), [(120, 0.3), (1.15, 0.05), (30, 1.0), (5, 2.5)])
def test_lognormal_mean_cv_form_has_that_mean_and_cv(mean, cv):
    spec = NUMBER.validate_python({"lognormal": {"mean": mean, "cv": cv}})
    # Read the lognormal back from two quantiles: the median and exp(sigma) above it.
    median = spec.ppf(np.array([0.5]))[0]
    sigma = math.log(spec.ppf(np.array([stats.norm.cdf(1.0)]))[0] / median)
    implied = stats.lognorm(sigma, scale=median)
    assert implied.mean() == pytest.approx(mean, rel=1e-9)
    assert implied.std() / implied.mean() == pytest.approx(cv, rel=1e-9)
    assert spec.mean() == pytest.approx(mean, rel=1e-12)


def test_lognormal_mean_cv_form_matches_sampling_moments():
    spec = NUMBER.validate_python({"lognormal": {"mean": 120, "cv": 0.3}})
    draws = spec.ppf(np.random.default_rng(20260414).random(400_000))
    assert draws.mean() == pytest.approx(120, rel=0.005)
    assert draws.std() / draws.mean() == pytest.approx(0.3, rel=0.01)


def test_pert_mean_is_the_classic_formula():
    spec = NUMBER.validate_python({"pert": [270, 365, 450]})
    assert spec.mean() == pytest.approx((270 + 4 * 365 + 450) / 6, rel=1e-12)


def test_erlang_is_a_sum_of_k_exponential_phases():
    spec = NUMBER.validate_python({"erlang": {"mean": 90, "k": 3}})
    phases = stats.expon(scale=30).ppf(np.random.default_rng(3).random((3, 200_000))).sum(axis=0)
    draws = spec.ppf(np.random.default_rng(4).random(200_000))
    assert stats.ks_2samp(phases, draws).pvalue > 0.001


@pytest.mark.parametrize(
    "written",
    [
        {"uniform": [5, 5]},
        {"triangular": [5, 5, 5]},
        {"pert": [5, 5, 5]},
        {"normal": {"mean": 5, "sd": 0}},
        {"lognormal": {"median": 5, "sigma": 0}},
    ],
)
def test_degenerate_forms_are_fixed(written):
    spec = NUMBER.validate_python(written)
    assert is_fixed(spec)
    np.testing.assert_array_equal(spec.ppf(np.array([0.1, 0.5, 0.9])), [5.0, 5.0, 5.0])


def test_random_forms_are_not_fixed():
    assert not is_fixed(NUMBER.validate_python({"uniform": [1, 2]}))
    assert not is_fixed(NUMBER.validate_python({"exponential": {"mean": 1}}))
    assert is_fixed(NUMBER.validate_python(4))


# --- dates -------------------------------------------------------------------------------

ORIGIN = dt.date(2026, 1, 1)


def test_fixed_date_is_days_since_origin():
    spec = DATE.validate_python(dt.date(2027, 1, 1))
    assert date_distribution(spec, ORIGIN) == Fixed(value=365.0)
    assert date_distribution(DATE.validate_python("2026-03-01"), ORIGIN) == Fixed(value=59.0)


def test_date_before_origin_is_negative():
    spec = DATE.validate_python(dt.date(2025, 12, 1))
    assert date_distribution(spec, ORIGIN).mean() == -31


@pytest.mark.parametrize(
    ("written", "reference"),
    [
        ({"uniform": [dt.date(2027, 1, 1), dt.date(2028, 1, 1)]}, stats.uniform(365, 365)),
        (
            {"triangular": [dt.date(2026, 7, 1), dt.date(2027, 1, 1), dt.date(2028, 1, 1)]},
            triangular(181, 365, 730),
        ),
        (
            {"pert": [dt.date(2026, 7, 1), dt.date(2027, 1, 1), dt.date(2028, 1, 1)]},
            pert(181, 365, 730),
        ),
        ({"uniform": ["2027-01-01", "2028-01-01"]}, stats.uniform(365, 365)),
    ],
)
def test_date_distribution_is_in_days_since_origin(written, reference):
    spec = date_distribution(DATE.validate_python(written), ORIGIN)
    np.testing.assert_allclose(spec.ppf(QUANTILES), reference.ppf(QUANTILES), rtol=1e-9)
    assert spec.mean() == pytest.approx(reference.mean(), rel=1e-12)
    assert spec.support() == pytest.approx(reference.support())


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        (
            {"uniform": [dt.date(2028, 1, 1), dt.date(2027, 1, 1)]},
            "uniform range is reversed: low 2028-01-01 > high 2027-01-01",
        ),
        (
            {"triangular": [dt.date(2027, 1, 1), dt.date(2029, 1, 1), dt.date(2028, 1, 1)]},
            "triangular needs low <= mode <= high",
        ),
        ({"normal": {"mean": 5, "sd": 1}}, "expected a date (YYYY-MM-DD) or a one-key mapping"),
        ("next spring", "valid date"),
    ],
)
def test_bad_dates_are_rejected(written, fragment):
    with pytest.raises(ValidationError, match=re.escape(fragment)):
        DATE.validate_python(written)


# --- grammar errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ({"uniform": [5, 2]}, "uniform range is reversed: low 5 > high 2"),
        ({"triangular": [270, 450, 365]}, "triangular needs low <= mode <= high, got 270, 450"),
        ({"triangular": [365, 270, 450]}, "triangular needs low <= mode <= high"),
        ({"pert": [3, 1, 5]}, "pert needs low <= mode <= high, got 3, 1, 5"),
        ({"gamma": {"shape": 2}}, "expected a number or a one-key mapping"),
        ({"uniform": [1, 2], "normal": {"mean": 1, "sd": 1}}, "expected a number"),
        ("450", "expected a number"),
        (True, "expected a number"),
        (None, "expected a number"),
        ({"normal": {"mean": 1, "sd": -1}}, "greater than or equal to 0"),
        ({"normal": {"mean": 1}}, "Field required"),
        ({"lognormal": {"median": 10, "sigma": 0.2, "cv": 0.3}}, "either {median, sigma}"),
        ({"lognormal": {"median": 10}}, "either {median, sigma} or {mean, cv}"),
        ({"lognormal": {"median": -10, "sigma": 0.2}}, "greater than 0"),
        ({"exponential": {"mean": 0}}, "greater than 0"),
        ({"exponential": {"rate": 2}}, "Extra inputs are not permitted"),
        ({"beta": [2, 0]}, "greater than 0"),
        ({"erlang": {"mean": 10, "k": 0}}, "greater than or equal to 1"),
        ({"erlang": {"mean": 10, "k": 2.5}}, "valid integer"),
        ({"uniform": [1, 2, 3]}, "at most 2 items"),
    ],
)
def test_bad_numbers_are_rejected(written, fragment):
    with pytest.raises(ValidationError, match=re.escape(fragment)):
        NUMBER.validate_python(written)


# --- ranges: `within` checks the whole support, not the mean -------------------------------


@pytest.mark.parametrize(
    ("adapter", "written", "message"),
    [
        (
            NON_NEGATIVE,
            {"normal": {"mean": 365, "sd": 30}},
            "must be >= 0, but this normal distribution is unbounded",
        ),
        (NON_NEGATIVE, -1, "must be >= 0"),
        (
            NON_NEGATIVE,
            {"uniform": [-5, 10]},
            "must be >= 0, but this uniform distribution can draw -5",
        ),
        (
            NON_NEGATIVE,
            {"triangular": [-1, 2, 3]},
            "must be >= 0, but this triangular distribution can draw -1",
        ),
        (
            FRACTION,
            {"uniform": [-1, 2]},
            "must be >= 0, but this uniform distribution can draw -1",
        ),
        (
            FRACTION,
            {"uniform": [0.5, 1.2]},
            "must be <= 1, but this uniform distribution can draw 1.2",
        ),
        (FRACTION, 1.02, "must be <= 1"),
        (
            FRACTION,
            {"exponential": {"mean": 0.1}},
            "must be <= 1, but this exponential distribution is unbounded",
        ),
        (
            FRACTION,
            {"pert": [0.9, 0.98, 1.05]},
            "must be <= 1, but this pert distribution can draw 1.05",
        ),
        (
            FRACTION,
            {"normal": {"mean": 0.5, "sd": 0.01}},
            "must be >= 0, but this normal distribution is unbounded",
        ),
    ],
)
def test_within_rejects_supports_outside_the_range(adapter, written, message):
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(written)
    (error,) = caught.value.errors()
    assert error["msg"] == f"Value error, {message}"


@pytest.mark.parametrize(
    ("adapter", "written"),
    [
        (NON_NEGATIVE, 0),
        (NON_NEGATIVE, {"uniform": [0, 5]}),
        (NON_NEGATIVE, {"triangular": [0, 0, 3]}),
        (NON_NEGATIVE, {"lognormal": {"median": 45, "sigma": 0.6}}),
        (NON_NEGATIVE, {"exponential": {"mean": 30}}),
        (NON_NEGATIVE, {"erlang": {"mean": 30, "k": 2}}),
        (NON_NEGATIVE, {"normal": {"mean": 4, "sd": 0}}),
        (FRACTION, 0),
        (FRACTION, 1),
        (FRACTION, {"beta": [9, 1]}),
        (FRACTION, {"pert": [0.9, 0.98, 1.0]}),
        (FRACTION, {"uniform": [0.15, 0.2]}),
    ],
)
def test_within_accepts_supports_inside_the_range(adapter, written):
    spec = adapter.validate_python(written)
    assert spec == NUMBER.validate_python(written)


def test_within_with_custom_bounds():
    percent = TypeAdapter(Annotated[NumberSpec, within(0, 100)])
    assert percent.validate_python({"triangular": [0, 50, 100]}).support() == (0, 100)
    with pytest.raises(ValidationError, match="must be <= 100"):
        percent.validate_python({"uniform": [50, 101]})
    with pytest.raises(ValidationError, match="normal distribution is unbounded"):
        percent.validate_python({"normal": {"mean": 50, "sd": 1}})


# --- properties --------------------------------------------------------------------------

# Uniforms as numpy's Generator.random() makes them: multiples of 2**-53 in [0, 1).
UNIFORMS = st.lists(
    st.integers(0, 2**53 - 1).map(lambda k: k / 2**53) | st.sampled_from([0.0, 1 - 2**-53]),
    min_size=2,
    max_size=50,
)
ENDPOINT = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)


def three_points(name):
    return st.lists(ENDPOINT, min_size=3, max_size=3).map(lambda p: {name: sorted(p)})


SPECS = (
    st.lists(ENDPOINT, min_size=2, max_size=2).map(lambda p: {"uniform": sorted(p)})
    | three_points("triangular")
    | three_points("pert")
)


def rounding(spec) -> float:
    """A few units in the last place of the support's largest endpoint."""
    low, high = spec.support()
    return 4 * float(np.spacing(max(abs(low), abs(high))))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(SPECS, UNIFORMS)
def test_ppf_is_monotone_and_stays_in_support(written, u):
    spec = NUMBER.validate_python(written)
    draws = spec.ppf(np.sort(np.array(u)))
    low, high = spec.support()
    slack = rounding(spec)
    assert np.all(np.isfinite(draws))
    assert np.all(np.diff(draws) >= -slack)
    assert draws.min() >= low - slack
    assert draws.max() <= high + slack


def test_quantiles_never_leave_the_support_despite_rounding():
    spec = NUMBER.validate_python({"triangular": [0.01, 0.01, 2.02]})
    assert spec.ppf(np.array([0.0]))[0] < 0.01  # the raw formula rounds just outside
    assert quantiles(spec, np.array([0.0]))[0] >= 0.01
