"""Summaries of per-replication values: the numbers every report and comparison shows.

Each metric is summarised by its mean, standard deviation, a 95 % confidence interval for
the mean (Student t), and the 5th, 50th and 95th percentiles across replications.
Undefined values (NaN, e.g. a recovery time in a replication where stock never
recovered) are left out, and ``n`` says how many replications the summary rests on.
"""

from __future__ import annotations

import math
from typing import NotRequired, TypedDict

import numpy as np
from scipy import special


class Summary(TypedDict):
    """A :func:`summarise` record; None (a pair of None for ci95) where no replication
    had a value."""

    mean: float | None
    sd: float | None
    ci95: list[float | None]
    """The 95 % confidence interval of the mean, [low, high]."""
    p5: float | None
    p50: float | None
    p95: float | None
    n: int
    """How many replications the summary rests on (finite values)."""
    percentile_error: NotRequired[float | None]
    """Only from a sketch (:mod:`sim.execution.sketch`): how far its percentiles may be
    from the exact ones."""


def t_975(freedom: float) -> float:
    """The 97.5 % quantile of Student's t with `freedom` degrees of freedom (any > 0).

    ``special.stdtrit`` is what ``scipy.stats.t.ppf`` evaluates, the same numbers, without
    importing ``scipy.stats``, which costs every worker process most of a second.
    """
    return float(special.stdtrit(freedom, 0.975))


def t_quantile(replications: int) -> float:
    """Two-sided 95 % Student t quantile for a mean of `replications` values."""
    return t_975(replications - 1) if replications > 1 else math.inf


def summarise(values: np.ndarray) -> Summary:
    """mean, sd, ci95, p5, p50, p95 and n of the finite entries of `values`."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    n = int(finite.size)
    if n == 0:
        return {
            "mean": None,
            "sd": None,
            "ci95": [None, None],
            "p5": None,
            "p50": None,
            "p95": None,
            "n": 0,
        }
    mean = float(np.mean(finite))
    sd = float(np.std(finite, ddof=1)) if n > 1 else 0.0
    p5, p50, p95 = (float(q) for q in np.percentile(finite, [5, 50, 95]))
    return _summary(n, mean, sd, (p5, p50, p95))


def band(series: np.ndarray) -> dict[str, np.ndarray]:
    """Pointwise 5th, 50th and 95th percentiles and mean of (reps, points) series."""
    p5, p50, p95 = np.percentile(series, [5, 50, 95], axis=0)
    return {"p5": p5, "p50": p50, "p95": p95, "mean": series.mean(axis=0)}


def point_summary(values: np.ndarray) -> dict[str, float]:
    """p5, p50, p95 and mean of the finite entries of one point of a series (NaN if none).

    The bands of a report's series are made of these, one per month (or year), each
    computed on that point's values alone so that the result is the same however the
    replications were split into chunks.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return {"p5": math.nan, "p50": math.nan, "p95": math.nan, "mean": math.nan}
    p5, p50, p95 = (float(q) for q in np.percentile(finite, [5, 50, 95]))
    return {"p5": p5, "p50": p50, "p95": p95, "mean": float(np.mean(finite))}


def moments_summary(
    count: int, mean: float, squares: float, percentiles: tuple[float, float, float]
) -> Summary:
    """The :func:`summarise` record from merged moments (`squares`: sum of squared deviations).

    Used when a metric's values are too many to hold at once: the mean and the sum of
    squared deviations are merged chunk by chunk and the percentiles come from a sketch.
    """
    if count == 0:
        return summarise(np.empty(0))
    sd = math.sqrt(squares / (count - 1)) if count > 1 else 0.0
    return _summary(count, mean, sd, percentiles)


def _summary(
    count: int, mean: float, sd: float, percentiles: tuple[float, float, float]
) -> Summary:
    """The :func:`summarise` record of `count` (at least 1) values with this mean and sd."""
    half = t_quantile(count) * sd / math.sqrt(count) if count > 1 else 0.0
    p5, p50, p95 = percentiles
    return {
        "mean": mean,
        "sd": sd,
        "ci95": [mean - half, mean + half],
        "p5": p5,
        "p50": p50,
        "p95": p95,
        "n": count,
    }
