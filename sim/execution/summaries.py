"""A run's summaries — every metric and every point of every series — assembled by column.

Whether a run's per-replication values sit in memory (:class:`~sim.production.outcomes.Outcomes`)
or in chunk files on disk (a million replications), each metric is summarised from its
own column of values alone: all replications of that one metric, in replication order,
as a contiguous float64 array, passed to :func:`sim.stats.summarise`. The chunk files are
laid out by metric, so a column is one slice per chunk; columns are read in groups that
fit :data:`COLUMN_BUDGET`. The same function on the same array gives the same bits, so a
report does not depend on chunking, worker count, backend, resuming, or whether the run
was held in memory. Percentiles are exact.

Only when one column alone exceeds the budget do the summaries come from merged moments
and a histogram sketch with a stated error bound (:mod:`sim.execution.sketch`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.execution.packed import PackedRows
from sim.execution.sketch import sketch_columns
from sim.execution.store import ChunkStore
from sim.production.outcomes import Outcomes
from sim.stats import point_summary, summarise

COLUMN_BUDGET = 256 * 2**20
"""Bytes of per-replication values read at once while summarising a run from its chunks."""

Summary = dict
"""One metric as in ``report.json``: unit, mean, sd, ci95, p5, p50, p95, n."""


@dataclass
class Summaries:
    """What a report says about a run's numbers, without the per-replication values."""

    replications: int
    metrics: dict[str, Summary]
    """Metric name → summary, with its ``unit``; in the engines' order."""
    series: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    """Series name → band: lists ``p5``, ``p50``, ``p95``, ``mean``, one entry per point."""
    percentiles: str = "exact"
    """'exact', or 'histogram' when they come from the sketch (see ``percentile_error``)."""

    @property
    def units(self) -> dict[str, str]:
        """Metric name → unit."""
        return {name: summary["unit"] for name, summary in self.metrics.items()}


def summarise_outcomes(outcomes: Outcomes, only: Sequence[str] | None = None) -> Summaries:
    """Summaries of a run held in memory (the same numbers as from its chunks).

    Each metric already is its own column, and each point of a series one strided column
    of its ``(replications, points)`` array, so they are summarised where they lie: no
    packed copy of the run and no column buffer, only one point's values at a time.
    """
    wanted = [name for name in outcomes.metrics if only is None or name in set(only)]
    metrics = {
        name: {"unit": outcomes.units[name], **summarise(outcomes.metrics[name])} for name in wanted
    }
    series: dict[str, dict[str, list[float]]] = {}
    if only is None:
        for name, values in outcomes.series.items():
            points = [point_summary(values[:, point]) for point in range(values.shape[1])]
            series[name] = {key: [point[key] for point in points] for key in _BAND}
    return Summaries(replications=len(outcomes.replications), metrics=metrics, series=series)


def summarise_store(
    store: ChunkStore,
    ranges: Sequence[range],
    only: Sequence[str] | None = None,
    budget: int | None = None,
) -> Summaries:
    """Summaries of the chunks `ranges` of `store`, reading a group of columns at a time.

    `only` restricts the work to those metrics (the headline metrics of a precision
    check) and skips the series.
    """
    budget = COLUMN_BUDGET if budget is None else budget
    return _summaries(store, list(ranges), budget, only)


def _summaries(
    store: ChunkStore, ranges: list[range], budget: int, only: Sequence[str] | None
) -> Summaries:
    load = store.load
    first = load(ranges[0])
    total = sum(len(r) for r in ranges)
    names = list(first.metric_names)
    wanted = names if only is None else [name for name in names if name in set(only)]
    rows = [names.index(name) for name in wanted]
    column_bytes = max(1, total) * 8
    group = max(1, budget // column_bytes)
    units = dict(zip(first.metric_names, first.units, strict=True))
    streamed = column_bytes > budget

    def read(kind: str, chosen: list[int]) -> Callable[[], Iterator[tuple[int, np.ndarray]]]:
        def blocks() -> Iterator[tuple[int, np.ndarray]]:
            for replications in ranges:
                chunk = load(replications)
                if chunk.metric_names != first.metric_names:
                    raise ValueError(f"chunk {replications} has other metrics than the first")
                matrix = chunk.metrics if kind == "metrics" else chunk.series
                yield replications.start, _rows(matrix, chosen)

        return blocks

    def summaries_of(
        kind: str, chosen: list[int], summarise_one: Callable[[np.ndarray], Mapping[str, Any]]
    ) -> Sequence[Mapping[str, Any]]:
        if streamed:
            return sketch_columns(read(kind, chosen), len(chosen))
        results: list[Mapping[str, Any]] = []
        columns = np.empty((min(group, len(chosen)), total))
        for start in range(0, len(chosen), group):
            part = chosen[start : start + group]
            offset = 0
            for _, block in read(kind, part)():
                columns[: len(part), offset : offset + block.shape[1]] = block
                offset += block.shape[1]
            results.extend(summarise_one(column) for column in columns[: len(part)])
        return results

    metric_summaries = summaries_of("metrics", rows, summarise)
    metrics = {
        name: {"unit": units[name], **summary}
        for name, summary in zip(wanted, metric_summaries, strict=True)
    }
    series: dict[str, dict[str, list[float]]] = {}
    if only is None and first.series_names:
        points = summaries_of("series", list(range(sum(first.series_points))), point_summary)
        offset = 0
        for name, width in zip(first.series_names, first.series_points, strict=True):
            part = points[offset : offset + width]
            offset += width
            series[name] = {key: [point[key] for point in part] for key in _BAND}
    return Summaries(
        replications=total,
        metrics=metrics,
        series=series,
        percentiles="histogram" if streamed else "exact",
    )


_BAND = ("p5", "p50", "p95", "mean")


def _rows(matrix: np.ndarray | PackedRows, chosen: list[int]) -> np.ndarray:
    """Rows `chosen` of `matrix` as float64; consecutive rows are read as one slice."""
    if chosen and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return np.asarray(matrix[chosen[0] : chosen[-1] + 1], dtype=np.float64)
    return np.asarray(matrix[chosen], dtype=np.float64)
