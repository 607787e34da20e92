"""The difference between two runs of one metric, with a 95 % confidence interval.

Two ways, chosen per pair of runs (see :mod:`sim.compare.comparison`):

* **paired** — both runs used the same seed and replication count, so replication *i*
  of each saw the same draws of every parameter they share (common random numbers,
  DESIGN §3). The per-replication differences b_i − a_i cancel that shared noise; the
  interval is Student t on them. Replications where either value is undefined (NaN, e.g.
  a stock that never recovered) are left out, and ``n_pairs`` says how many remain.
* **Welch** — otherwise the two sets of replications are independent samples; the
  interval is Welch's t with the Welch–Satterthwaite degrees of freedom, which does not
  assume equal spreads.

Everything here is pure NumPy on per-replication arrays, so the tests can check it
against a hand computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.stats import summarise, t_975

Interval = tuple[float | None, float | None]


@dataclass(frozen=True)
class Difference:
    """B − A for one metric."""

    a: float | None
    """Mean of run A over its replications where the metric is defined."""
    b: float | None
    diff: float | None
    """Mean of the paired differences, or mean(B) − mean(A) when not paired."""
    ci95: Interval
    paired: bool
    n_a: int
    n_b: int
    n_pairs: int | None
    """Paired only: replications where both values are defined."""
    sd_diff: float | None
    """Paired only: standard deviation of the per-replication differences."""
    p5_diff: float | None
    """Paired only: 5th percentile of the per-replication differences."""
    p95_diff: float | None
    pooled_sd: float | None
    """Spread of the metric across replications, both runs pooled (see :func:`pooled_sd`)."""
    standardised: float | None
    """`diff` in units of `pooled_sd` (see :func:`standardise`)."""


def paired_difference(a: np.ndarray, b: np.ndarray) -> Difference:
    """B − A replication by replication; `a` and `b` are aligned by replication."""
    first, second = _finite(a), _finite(b)
    both = np.isfinite(a) & np.isfinite(b)
    summary = summarise(b[both] - a[both])
    pairs = int(summary["n"])
    low, high = summary["ci95"]
    diff = _number(summary["mean"])
    spread = pooled_sd(first, second)
    return Difference(
        a=_mean(first),
        b=_mean(second),
        diff=diff,
        ci95=(_number(low), _number(high)) if pairs > 1 else (None, None),
        paired=True,
        n_a=first.size,
        n_b=second.size,
        n_pairs=pairs,
        sd_diff=_number(summary["sd"]),
        p5_diff=_number(summary["p5"]),
        p95_diff=_number(summary["p95"]),
        pooled_sd=spread,
        standardised=standardise(diff, spread),
    )


def welch_difference(a: np.ndarray, b: np.ndarray) -> Difference:
    """mean(B) − mean(A) of two independent sets of replications (Welch's t interval)."""
    first, second = _finite(a), _finite(b)
    diff = float(second.mean() - first.mean()) if first.size and second.size else None
    interval: Interval = (None, None)
    if diff is not None and first.size > 1 and second.size > 1:
        half = welch_half_width(first, second)
        interval = (diff - half, diff + half)
    spread = pooled_sd(first, second)
    return Difference(
        a=_mean(first),
        b=_mean(second),
        diff=diff,
        ci95=interval,
        paired=False,
        n_a=first.size,
        n_b=second.size,
        n_pairs=None,
        sd_diff=None,
        p5_diff=None,
        p95_diff=None,
        pooled_sd=spread,
        standardised=standardise(diff, spread),
    )


def welch_half_width(first: np.ndarray, second: np.ndarray) -> float:
    """Half-width of the 95 % Welch interval of mean(second) − mean(first).

    Each sample needs at least two values. When neither varies the difference is known
    exactly and the half-width is 0 (the degrees of freedom would be 0/0).
    """
    share_a = float(np.var(first, ddof=1)) / first.size
    share_b = float(np.var(second, ddof=1)) / second.size
    variance = share_a + share_b
    if variance == 0:
        return 0.0
    freedom = variance**2 / (share_a**2 / (first.size - 1) + share_b**2 / (second.size - 1))
    return t_975(freedom) * math.sqrt(variance)


def pooled_sd(first: np.ndarray, second: np.ndarray) -> float | None:
    """sqrt((sd_A² + sd_B²) / 2): how much the metric varies between futures of a scenario."""
    if first.size < 2 or second.size < 2:
        return None
    return math.sqrt((np.var(first, ddof=1) + np.var(second, ddof=1)) / 2)


def standardise(diff: float | None, spread: float | None) -> float | None:
    """`diff` in standard deviations of the metric across replications (Cohen's d).

    The pooled spread is what a reader sees between two futures of one scenario, so 1.0
    means "a shift as large as the typical variation". It is scale-free, so missiles,
    days and motors can be ranked together, and unlike a change relative to A's mean it
    is defined when A's mean is 0 (no shortfall in A). A change in a metric that never
    varies is infinite; no change is 0.
    """
    if diff is None or spread is None:
        return None
    if spread == 0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / spread


def better_shares(
    a: np.ndarray, b: np.ndarray, higher_is_better: bool
) -> tuple[float | None, float | None]:
    """Shares of paired replications where B is strictly better, and strictly worse.

    Ties (the same value in both runs) make up the rest, which is why both are given:
    an unaffected metric has 0 and 0, not "B is never better".
    """
    both = np.isfinite(a) & np.isfinite(b)
    if not both.any():
        return None, None
    gain = (b[both] - a[both]) * (1 if higher_is_better else -1)
    return float(np.mean(gain > 0)), float(np.mean(gain < 0))


def _finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def _mean(values: np.ndarray) -> float | None:
    return float(values.mean()) if values.size else None


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)
