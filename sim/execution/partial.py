"""Progress within a chunk: how far a running chunk has got, for the progress bar.

A chunk of co-production takes several seconds on the vector engine (longer under load,
and a DES chunk longer still), so a bar that moved only when chunks finished would sit
still for long stretches. The engines therefore say how far through a chunk they are —
the vector engine after each block of time steps, the DES after each replication — and
:func:`compute_chunk <sim.execution.chunk.compute_chunk>` turns that into the share of
the chunk done, drawing its parameters and packing its table included (:data:`SIMULATED`,
:data:`sim.simulation.DRAWN`).

Nothing here touches a number: the engines only call a callback, and a chunk is computed
the same way whether anyone listens. The reporter is per process (:func:`reporting`):
in this process the backend sets one that calls the run's callback directly; a worker
process gets one that sends ``(study, first replication, share)`` through a queue the
parent drains (:mod:`sim.execution.processes`). Reports are thinned to steps of at least
:data:`STEP` of a chunk, so a queue carries at most a hundred or so per chunk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.execution.chunk import ChunkTask

Fraction = Callable[[float], None]
"""Called by an engine with the share (0 to 1) of its chunk's simulation done."""

Reporter = Callable[["ChunkTask", float], None]
"""Receives a running task and the share of it done (0 to 1)."""

Advance = Callable[["ChunkTask", float], None]
"""What a backend calls, in the run's process, as a running task gets further."""

SIMULATED = 0.9
"""Share of a chunk's time done when it is simulated, its parameters drawn (the rest packs
its outcomes and table rows): on co-production's vector engine, 1.4 s drawing, 5.0 s
simulating and 0.7 s packing a 1,500-replication chunk. Only the bar's pace depends on it."""

STEP = 0.01
"""Smallest move of a chunk's share worth reporting."""

_reporter: Reporter | None = None


@contextlib.contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the progress of chunks computed in this process to `reporter` meanwhile."""
    global _reporter
    saved, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = saved


def install(reporter: Reporter | None) -> None:
    """Send the progress of every chunk computed in this process to `reporter` (a
    worker process's initializer: it computes chunks until it exits)."""
    global _reporter
    _reporter = reporter


def tracker(task: ChunkTask) -> ChunkShare | None:
    """The share-keeper of `task`, or None when nobody listens in this process."""
    if _reporter is None:
        return None
    return ChunkShare(task, _reporter)


class ChunkShare:
    """Keeps one chunk's share done and reports it when it has moved by :data:`STEP`."""

    def __init__(self, task: ChunkTask, reporter: Reporter):
        self.task = task
        self.reporter = reporter
        self.reported = 0.0

    def at(self, share: float) -> None:
        """The chunk is `share` (0 to 1) done."""
        if share - self.reported >= STEP:
            self.reported = share
            self.reporter(self.task, share)

    def until(self, high: float) -> Fraction:
        """A callback for the work up to `high` of the chunk: its own share 0 to 1 maps
        onto the chunk's 0 to `high`."""
        return lambda share: self.at(high * share)
