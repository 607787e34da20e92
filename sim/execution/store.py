"""Where finished chunks wait until the report is assembled.

Two kinds of store with one interface: :class:`MemoryStore` keeps chunks in this
process (a notebook's run with nowhere to save), and :class:`sim.runs.checkpoint.Checkpoint`
keeps them as files under the output folder, so an interrupted run resumes and a
million-replication run never holds more than a few chunks in memory. The run and the
report read chunks back only through :meth:`ChunkStore.load`, always in replication
order, so the report cannot depend on which chunk finished first.
"""

from __future__ import annotations

from typing import Protocol

from sim.execution.chunk import ChunkResult


class ChunkStore(Protocol):
    """Finished chunks of one run, by replication range."""

    def saved(self) -> list[range]:
        """The ranges held, in replication order."""
        ...

    def save(self, result: ChunkResult) -> None:
        """Keep `result` (replacing a chunk of the same range)."""
        ...

    def load(self, replications: range) -> ChunkResult:
        """The chunk of exactly `replications` (its arrays may be read lazily)."""
        ...


class MemoryStore:
    """Chunks held in memory: for runs that write nothing until asked."""

    def __init__(self) -> None:
        self._chunks: dict[tuple[int, int], ChunkResult] = {}

    def saved(self) -> list[range]:
        """The ranges held, in replication order."""
        return [range(start, stop) for start, stop in sorted(self._chunks)]

    def save(self, result: ChunkResult) -> None:
        """Keep `result`."""
        key = (result.replications.start, result.replications.stop)
        self._chunks[key] = result

    def load(self, replications: range) -> ChunkResult:
        """The chunk of exactly `replications`."""
        return self._chunks[(replications.start, replications.stop)]
