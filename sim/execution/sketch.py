"""Summaries of columns too long to hold in memory: merged moments and a histogram sketch.

Used only when a single metric's values over all replications exceed the memory budget
(with the default budget, beyond about 33 million replications); below that every
summary is exact (:mod:`sim.execution.summaries`).

* **Mean and variance** are merged exactly in the algebraic sense: each block of
  :data:`~sim.streams.BLOCK` replications contributes its count, mean and sum of squared
  deviations, merged into the running totals by the pairwise update of Chan, Golub and
  LeVeque (1979). Blocks are merged in replication order, and chunks are cut on block
  boundaries, so the floating-point result does not depend on the chunking.
* **Percentiles** come from a histogram of :data:`BINS` equal bins between the column's
  smallest and largest value (found in the first pass). The order statistics a
  percentile interpolates between lie in known bins; each is estimated by its bin's
  midpoint, so the error is at most half a bin: (max − min) / (2 · BINS), recorded per
  metric as ``percentile_error``. Bin counts are integers, so the sketch is exact to
  merge in any order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from sim.stats import Summary, moments_summary
from sim.streams import BLOCK

BINS = 16384
PERCENTILES = (5.0, 50.0, 95.0)

Blocks = Callable[[], Iterable[tuple[int, np.ndarray]]]
"""Yields (first replication, (rows, replications) float64 block), in replication order."""


def sketch_columns(blocks: Blocks, rows: int) -> list[Summary]:
    """Summaries (with ``percentile_error``) of `rows` columns read twice through `blocks`."""
    count = np.zeros(rows, dtype=np.int64)
    mean = np.zeros(rows)
    squares = np.zeros(rows)
    low = np.full(rows, np.inf)
    high = np.full(rows, -np.inf)
    pending = np.empty((rows, 0))
    for _, block in blocks():
        # merge whole sampling blocks of the replication stream, whatever the chunking
        pending = np.concatenate([pending, block], axis=1)
        whole = pending.shape[1] // BLOCK * BLOCK
        for start in range(0, whole, BLOCK):
            _merge_block(pending[:, start : start + BLOCK], count, mean, squares)
        pending = pending[:, whole:]
        finite = np.where(np.isfinite(block), block, np.nan)
        with np.errstate(all="ignore"):
            low = np.fmin(low, np.nanmin(finite, axis=1, initial=np.inf))
            high = np.fmax(high, np.nanmax(finite, axis=1, initial=-np.inf))
    if pending.shape[1]:
        _merge_block(pending, count, mean, squares)
    width = np.where(high > low, (high - low) / BINS, 0.0)
    histogram = np.zeros((rows, BINS), dtype=np.int64)
    for _, block in blocks():
        _add_to_histogram(block, low, width, histogram)
    summaries = []
    for row in range(rows):
        p5, p50, p95 = (
            _percentile(histogram[row], int(count[row]), low[row], width[row], q)
            for q in PERCENTILES
        )
        summary = moments_summary(
            int(count[row]), float(mean[row]), float(squares[row]), (p5, p50, p95)
        )
        summary["percentile_error"] = float(width[row] / 2) if count[row] else None
        summaries.append(summary)
    return summaries


def _merge_block(
    part: np.ndarray, count: np.ndarray, mean: np.ndarray, squares: np.ndarray
) -> None:
    """Chan et al.'s update of (count, mean, squares) with one block, row by row."""
    finite = np.isfinite(part)
    block_count = finite.sum(axis=1)
    values = np.where(finite, part, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        block_mean = np.where(block_count > 0, values.sum(axis=1) / block_count, 0.0)
        deviations = np.where(finite, part - block_mean[:, None], 0.0)
        block_squares = (deviations * deviations).sum(axis=1)
        total = count + block_count
        delta = block_mean - mean
        share = np.where(total > 0, block_count / np.maximum(total, 1), 0.0)
        mean += delta * share
        squares += block_squares + delta * delta * count * share
    count += block_count


def _add_to_histogram(
    block: np.ndarray, low: np.ndarray, width: np.ndarray, histogram: np.ndarray
) -> None:
    rows = block.shape[0]
    finite = np.isfinite(block)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = np.where(width[:, None] > 0, (block - low[:, None]) / width[:, None], 0.0)
    bins = np.clip(np.floor(np.where(finite, scaled, 0.0)), 0, BINS - 1).astype(np.int64)
    flat = (bins + np.arange(rows)[:, None] * BINS)[finite]
    histogram += np.bincount(flat, minlength=rows * BINS).reshape(rows, BINS)


def _percentile(counts: np.ndarray, count: int, low: float, width: float, q: float) -> float:
    """NumPy's linear percentile, with each order statistic replaced by its bin's midpoint."""
    if count == 0:
        return float("nan")
    position = (count - 1) * q / 100
    below = int(np.floor(position))
    above = min(below + 1, count - 1)
    cumulative = np.cumsum(counts)

    def order_statistic(rank: int) -> float:
        index = int(np.searchsorted(cumulative, rank, side="right"))
        return low + (index + 0.5) * width if width > 0 else low

    lower = order_statistic(below)
    return lower + (position - below) * (order_statistic(above) - lower)
