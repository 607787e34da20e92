"""Rank-based sensitivity: which inputs move a metric, from one run's draws and outcomes.

Every replication already pairs a draw of each uncertain input with the metric it led
to, so no extra simulation is needed. Two indices per input, both on ranks so that any
monotone effect counts, whatever its shape or the input's units:

* **Spearman's rank correlation** ρ between the input and the metric: the input's
  effect on its own, other inputs averaged over. 95 % interval by Fisher's z with the
  Bonett–Wright variance (1 + ρ²/2)/(n − 3), which holds up for strong correlations
  better than the plain 1/(n − 3).
* **The standardised rank regression coefficient** (SRRC): the metric's ranks
  regressed on all inputs' ranks at once, each standardised, so it measures the input's
  effect with the others held fixed. 95 % interval from the least-squares standard
  error (Student t, n − k − 1 degrees of freedom). The regression's R² says how much of
  the metric's rank variation monotone main effects explain; the rest is interactions,
  non-monotone effects and randomness that is not an input (per-event draws).

Inputs are independent draws, so ρ and SRRC agree closely when R² is high.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import special

from sim.parameter_id import ParameterId
from sim.sensitivity.estimates import Estimate, MetricSensitivity, ranked
from sim.stats import t_975

Z95 = float(special.ndtri(0.975))
MINIMUM_REPLICATIONS = 4
"""Fisher's z needs n > 3."""


def rank_sensitivity(
    metric: str, unit: str, inputs: Mapping[ParameterId, np.ndarray], outcome: np.ndarray
) -> MetricSensitivity:
    """Spearman ρ and SRRC of each input against `outcome`, strongest |ρ| first.

    `inputs` maps the inputs to their draws and `outcome` holds the metric, one value
    per replication in the same order; replications where the metric is undefined (NaN)
    are left out.
    """
    names = list(inputs)
    outcome = np.asarray(outcome, dtype=float)
    defined = np.isfinite(outcome)
    count = int(defined.sum())
    values = outcome[defined]
    varies = count > 1 and bool(np.ptp(values) > 0)
    if not names or not varies or count < MINIMUM_REPLICATIONS:
        nothing = [{"spearman": Estimate.undefined(), "srrc": Estimate.undefined()} for _ in names]
        order = ranked(names, nothing, "spearman", signed=True)
        return MetricSensitivity(metric, unit, "rank", "spearman", count, varies, order)
    draws = np.column_stack([np.asarray(inputs[name], dtype=float)[defined] for name in names])
    input_ranks = _standardised(average_ranks(draws))
    outcome_ranks = _standardised(average_ranks(values))
    correlations = spearman(input_ranks, outcome_ranks)
    coefficients, r_squared = standardised_rank_regression(input_ranks, outcome_ranks)
    estimates = [{"spearman": correlations[j], "srrc": coefficients[j]} for j in range(len(names))]
    return MetricSensitivity(
        metric,
        unit,
        "rank",
        "spearman",
        count,
        varies,
        ranked(names, estimates, "spearman", signed=True),
        fit={"r_squared": r_squared},
    )


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1…n of `values` down axis 0, tied values sharing the average of their ranks.

    The numbers of ``scipy.stats.rankdata(values, axis=0)`` (its default, "average"), for
    finite values, without importing ``scipy.stats``: that costs a report most of a second.
    A tie group from sorted position `first` to `last` gets ``(first + last) / 2 + 1``,
    a whole or half number, so the result is exact.
    """
    values = np.asarray(values)
    order = np.argsort(values, axis=0, kind="stable")
    ordered = np.take_along_axis(values, order, axis=0)
    position = np.arange(values.shape[0]).reshape((-1,) + (1,) * (values.ndim - 1))
    position = np.broadcast_to(position, values.shape)
    differs = ordered[1:] != ordered[:-1]
    starts = np.concatenate([np.ones_like(ordered[:1], dtype=bool), differs])
    ends = np.concatenate([differs, np.ones_like(ordered[:1], dtype=bool)])
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=0)
    last = np.minimum.accumulate(np.where(ends, position, values.shape[0])[::-1], axis=0)[::-1]
    ranks = np.empty(values.shape)
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=0)
    return ranks


def _standardised(ranks: np.ndarray) -> np.ndarray:
    """Ranks centred and scaled to unit (population) variance; NaN for a constant column."""
    centred = ranks - ranks.mean(axis=0)
    spread = centred.std(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 0, centred / np.where(spread > 0, spread, 1), np.nan)


def spearman(input_ranks: np.ndarray, outcome_ranks: np.ndarray) -> list[Estimate]:
    """ρ per column of standardised `input_ranks` (n, k), with Fisher-z 95 % intervals."""
    count = outcome_ranks.size
    rho = np.clip(input_ranks.T @ outcome_ranks / count, -1.0, 1.0)
    half = Z95 * np.sqrt((1 + rho**2 / 2) / (count - 3))
    centre = np.arctanh(np.clip(rho, -1 + 1e-15, 1 - 1e-15))
    low, high = np.tanh(centre - half), np.tanh(centre + half)
    return [
        Estimate(float(r), float(lo), float(hi)) if np.isfinite(r) else Estimate.undefined()
        for r, lo, hi in zip(rho, low, high, strict=True)
    ]


def standardised_rank_regression(
    input_ranks: np.ndarray, outcome_ranks: np.ndarray
) -> tuple[list[Estimate], float]:
    """SRRC per column with 95 % t intervals, and the regression's R².

    Constant inputs (NaN columns) get no coefficient and stay out of the fit; with no
    more replications than coefficients + 1 nothing is estimable.
    """
    count, width = input_ranks.shape
    usable = np.all(np.isfinite(input_ranks), axis=0)
    design = input_ranks[:, usable]
    freedom = count - design.shape[1] - 1
    results = [Estimate.undefined()] * width
    if freedom < 1 or design.shape[1] == 0:
        return results, float("nan")
    # Normal equations: the inputs are independent draws, so X'X is well conditioned, and
    # its k×k inverse gives the coefficients and their variances in one step.
    gram = design.T @ design
    try:
        inverse = np.linalg.inv(gram)
    except np.linalg.LinAlgError:
        inverse = np.linalg.pinv(gram)
    beta = inverse @ (design.T @ outcome_ranks)
    residual = outcome_ranks - design @ beta
    residual_variance = float(residual @ residual) / freedom
    covariance = inverse * residual_variance
    half = t_975(freedom) * np.sqrt(np.clip(np.diag(covariance), 0, None))
    for position, column in enumerate(np.flatnonzero(usable)):
        value = float(beta[position])
        spread = float(half[position])
        results[column] = Estimate(value, value - spread, value + spread)
    r_squared = 1.0 - float(residual @ residual) / float(outcome_ranks @ outcome_ranks)
    return results, r_squared
