"""What every place that runs chunks promises: run them, report each, retry a failure once.

A backend takes a list of :class:`~sim.execution.chunk.ChunkTask` and calls ``done`` with
each task and its :class:`~sim.execution.chunk.ChunkResult` as it finishes, in whatever
order they finish; the caller saves results by replication range, so order never
matters. Meanwhile it may call ``advance`` with a running task and the share of it done
(:mod:`sim.execution.partial`), for a progress bar that moves within chunks. A chunk
that raises (or whose worker dies) is tried once more; a chunk that fails twice stops
the run with :class:`ChunkFailed`, and the chunks already reported stay saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from sim.errors import RunError
from sim.execution.chunk import ChunkResult, ChunkTask
from sim.execution.partial import Advance

ATTEMPTS = 2
"""Tries per chunk: the first, and one retry."""

Done = Callable[[ChunkTask, ChunkResult], None]
"""Called in this process with each finished task and its result."""

Compute = Callable[[ChunkTask], ChunkResult]
"""The work of one chunk; a top-level function so that it can be sent to a process."""


class Backend(Protocol):
    """Runs chunks somewhere: this process, local worker processes, or a Dask cluster."""

    @property
    def name(self) -> str:
        """How the run was executed, for messages ('in-process', '2 local processes', …)."""
        ...

    @property
    def slots(self) -> int:
        """Chunks that can run at once (the run cuts its work into a few per slot)."""
        ...

    def run(self, tasks: Sequence[ChunkTask], done: Done, advance: Advance | None = None) -> None:
        """Run every task, calling `done` as each finishes (and `advance`, when given, as
        running tasks get further); raise ChunkFailed on a task's second failure."""
        ...

    def close(self) -> None:
        """Release workers and connections (idempotent)."""
        ...


class ChunkFailed(RunError):
    """A chunk failed on both tries; the run stops, keeping the chunks already saved."""

    def __init__(self, task: ChunkTask, error: BaseException | str):
        reason = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        super().__init__(f"{task.label} failed twice ({reason})")
        self.task = task
        self.saved = 0
        """Chunks of the run saved when it stopped (set by the run)."""
        self.planned = 0
