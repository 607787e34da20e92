"""A chunk of replications: the task that says what to compute, and its result.

A :class:`ChunkTask` carries everything a worker needs — the compiled network, the
seed, the replication range and the engine — so that :func:`compute_chunk`, a plain
top-level function, can run anywhere: in this process, in a spawned local process, or on
a Dask worker on another machine. Random draws depend only on (seed, replication index,
parameter name), so a chunk's numbers never depend on where or with which other chunks it
ran.

A :class:`ChunkResult` is the chunk's outcomes packed as two matrices, one row per metric
(float64) and one row per point of a series (months of a monthly series), one column per
replication. Row-major by metric is what makes a million replications cheap: the report
reads one metric of every chunk as one contiguous slice (:mod:`sim.execution.summaries`),
and the same layout is what travels between processes and what a checkpoint stores.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.execution import partial
from sim.execution.packed import PackedRows
from sim.execution.rows import pack_rows
from sim.network import Network
from sim.production.outcomes import Outcomes
from sim.simulation import simulate_chunk


@dataclass(frozen=True)
class ChunkTask:
    """Replications `replications` of `network` under `seed`, through `engine`."""

    network: Network
    seed: int
    replications: range
    engine: str = "vector"
    trace: str | None = None
    """DES only: a CSV file for the event log of the chunk's first replication."""
    study: int = 0
    """Which study (a sweep's variant) the chunk belongs to; 0 for a single run."""
    table: bool = True
    """Whether the worker also formats the chunk's rows of ``replications.csv``."""

    @property
    def label(self) -> str:
        """'replications 2,000–3,999', for messages."""
        return describe(self.replications)


def describe(replications: range) -> str:
    """A replication range as people write it, last index included."""
    return f"replications {replications.start:,}–{replications.stop - 1:,}"


@dataclass
class ChunkResult:
    """The outcomes of one chunk, packed by metric."""

    replications: range
    metric_names: tuple[str, ...]
    units: tuple[str, ...]
    metrics: np.ndarray | PackedRows
    """(metrics, replications) float64; NaN where a metric is undefined. Read back from a
    checkpoint, rows are decompressed as they are indexed."""
    series_names: tuple[str, ...]
    series_points: tuple[int, ...]
    """Points (months, years, …) of each series, in `series_names` order."""
    series_dtypes: tuple[str, ...]
    series: np.ndarray | PackedRows
    """(sum of points, replications), in the widest dtype of the series (float32 usually)."""
    rows: bytes | np.ndarray = b""
    """The chunk's rows of ``replications.csv``, gzip-compressed, when its worker made them
    (:func:`sim.execution.rows.pack_rows`); empty otherwise."""

    @classmethod
    def from_outcomes(cls, outcomes: Outcomes) -> ChunkResult:
        """Pack `outcomes` (metric-major, one column per replication)."""
        count = len(outcomes.replications)
        names = tuple(outcomes.metrics)
        metrics = np.empty((len(names), count), dtype=np.float64)
        for row, name in enumerate(names):
            metrics[row] = outcomes.metrics[name]
        series_names = tuple(outcomes.series)
        arrays = [np.asarray(outcomes.series[name]) for name in series_names]
        points = tuple(int(array.shape[1]) for array in arrays)
        dtype = np.result_type(np.float32, *(array.dtype for array in arrays))
        series = np.empty((sum(points), count), dtype=dtype)
        offset = 0
        for array, width in zip(arrays, points, strict=True):
            series[offset : offset + width] = array.T
            offset += width
        return cls(
            replications=outcomes.replications,
            metric_names=names,
            units=tuple(outcomes.units[name] for name in names),
            metrics=metrics,
            series_names=series_names,
            series_points=points,
            series_dtypes=tuple(array.dtype.str for array in arrays),
            series=series,
        )

    def to_outcomes(self) -> Outcomes:
        """Unpack into the per-replication :class:`Outcomes` the engines return."""
        metrics = {
            name: np.array(self.metrics[row], dtype=np.float64)
            for row, name in enumerate(self.metric_names)
        }
        series = {}
        offset = 0
        for name, width, dtype in zip(
            self.series_names, self.series_points, self.series_dtypes, strict=True
        ):
            block = self.series[offset : offset + width].T
            series[name] = np.ascontiguousarray(block, dtype=np.dtype(dtype))
            offset += width
        return Outcomes(
            replications=self.replications,
            metrics=metrics,
            units=dict(zip(self.metric_names, self.units, strict=True)),
            series=series,
        )

    def layout(self) -> dict:
        """Names, units and shapes: what every chunk of a run shares, as JSON-ready data."""
        return {key: list(getattr(self, key)) for key in self.layout_keys()}

    @staticmethod
    def layout_keys() -> tuple[str, ...]:
        """The fields of :meth:`layout`."""
        return ("metric_names", "units", "series_names", "series_points", "series_dtypes")


def join_chunks(chunks: Iterable[ChunkResult], replications: int) -> Outcomes:
    """The chunks, in replication order, as one :class:`Outcomes` of `replications`.

    Each array is allocated once at its full length and filled chunk by chunk as the
    chunks arrive, so reading them from a store one at a time needs the result's memory
    plus one chunk's, not twice the result's.
    """
    chunks = iter(chunks)
    first = next(chunks)
    metrics = {name: np.empty(replications) for name in first.metric_names}
    series = {
        name: np.empty((replications, width), dtype=np.dtype(dtype))
        for name, width, dtype in zip(
            first.series_names, first.series_points, first.series_dtypes, strict=True
        )
    }
    position = 0
    for chunk in itertools.chain([first], chunks):
        size = len(chunk.replications)
        for row, name in enumerate(first.metric_names):
            metrics[name][position : position + size] = chunk.metrics[row]
        offset = 0
        for name, width in zip(first.series_names, first.series_points, strict=True):
            series[name][position : position + size] = chunk.series[offset : offset + width].T
            offset += width
        position += size
    if position != replications:
        raise ValueError(f"chunks hold {position:,} replications, not {replications:,}")
    start = first.replications.start
    return Outcomes(
        replications=range(start, start + replications),
        metrics=metrics,
        units=dict(zip(first.metric_names, first.units, strict=True)),
        series=series,
    )


def compute_chunk(task: ChunkTask) -> ChunkResult:
    """Simulate `task` and pack its outcomes: the function every backend runs."""
    trace = Path(task.trace) if task.trace else None
    share = partial.tracker(task)
    progress = None if share is None else share.until(partial.SIMULATED)
    outcomes = simulate_chunk(
        task.network, task.seed, task.replications, task.engine, trace, progress
    )
    result = ChunkResult.from_outcomes(outcomes)
    if task.table:
        # formatting the table's rows here spreads that work over the workers
        result.rows = pack_rows(result)
    return result
