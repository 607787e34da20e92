"""Run chunks one after another in this process: the default for small runs."""

from __future__ import annotations

from collections.abc import Sequence

from sim.execution import partial
from sim.execution.backend import ATTEMPTS, ChunkFailed, Compute, Done
from sim.execution.chunk import ChunkResult, ChunkTask, compute_chunk
from sim.execution.partial import Advance


class InProcess:
    """No worker processes: nothing to start, nothing to send; a chunk at a time."""

    name = "in-process"

    def __init__(self, compute: Compute = compute_chunk):
        self.compute = compute

    @property
    def slots(self) -> int:
        """One chunk at a time."""
        return 1

    def run(self, tasks: Sequence[ChunkTask], done: Done, advance: Advance | None = None) -> None:
        """Compute each task (retrying a failure once) and report it; `advance` hears
        how far the running one has got."""
        for task in tasks:
            with partial.reporting(advance):
                result = attempt(self.compute, task)
            done(task, result)

    def close(self) -> None:
        """Nothing to release."""


def attempt(compute: Compute, task: ChunkTask) -> ChunkResult:
    """`compute(task)`, tried up to :data:`ATTEMPTS` times; ChunkFailed after that."""
    for tried in range(1, ATTEMPTS + 1):
        try:
            return compute(task)
        except Exception as error:
            if tried == ATTEMPTS:
                raise ChunkFailed(task, error) from error
    raise AssertionError("unreachable")
