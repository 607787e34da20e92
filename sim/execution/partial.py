"""Progress within a chunk: how far a running chunk has got, for the progress bar.

A chunk of co-production takes several seconds on the vector engine (longer under load,
and a DES chunk longer still), so a bar that moved only when chunks finished would sit
still for long stretches. The engines therefore say how far through a chunk they are —
the vector engine after each block of time steps, the DES after each replication — and
:func:`compute_chunk <sim.execution.chunk.compute_chunk>` turns that into the share of
the chunk done, drawing its parameters and packing its table included (:data:`SIMULATED`,
:data:`sim.simulation.DRAWN`).

Nothing here touches a number: the engines only call a callback, and a chunk is computed
the same way whether anyone listens. Who listens depends on where the chunk runs: in
this process the backend sets a reporter that calls the run's callback directly
(:func:`reporting`, per thread); a local worker process installs one that sends
``(study, first replication, share)`` through a queue the parent drains
(:func:`install`, :mod:`sim.execution.processes`); a task on a Dask worker logs each
share as an event of the cluster, which the client hears (:mod:`sim.execution.cluster`).
Reports are thinned to steps of at least :data:`STEP` of a chunk, so at most a hundred
or so are sent per chunk.
"""

from __future__ import annotations

import contextlib
import threading
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

SHARES_SECONDS = 0.25
"""How often a backend waiting for chunks passes on how far running ones have got."""

STEP = 0.01
"""Smallest move of a chunk's share worth reporting."""

_here = threading.local()
"""The reporter of chunks computed in this thread (:func:`reporting`)."""
_installed: Reporter | None = None
"""The reporter of chunks computed anywhere in this process (:func:`install`)."""


@contextlib.contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the progress of chunks computed in this thread to `reporter` meanwhile.

    Per thread, because a Dask worker computes several chunks at once in threads of one
    process, each reporting as its own task."""
    saved = getattr(_here, "reporter", None)
    _here.reporter = reporter
    try:
        yield
    finally:
        _here.reporter = saved


def install(reporter: Reporter | None) -> None:
    """Send the progress of every chunk computed in this process to `reporter` (a
    worker process's initializer: it computes chunks until it exits)."""
    global _installed
    _installed = reporter


def tracker(task: ChunkTask) -> ChunkShare | None:
    """The share-keeper of `task`, or None when nobody listens in this thread."""
    reporter = getattr(_here, "reporter", None) or _installed
    if reporter is None:
        return None
    return ChunkShare(task, reporter)


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
