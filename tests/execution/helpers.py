"""Shared by the execution tests: a small scenario, report comparison, injected failures.

The failing compute functions are top-level so that spawned worker processes can import
them; bound to a folder with :func:`functools.partial`, they remember across processes
(through marker files there) which chunks have already failed once.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import numpy as np

from sim.execution import partial
from sim.execution.chunk import ChunkResult, ChunkTask, compute_chunk
from sim.report.json import build_report
from sim.runs.montecarlo import Run
from tests.test_montecarlo import scenario as small_scenario

__all__ = ["numbers_of", "same_numbers", "small_scenario"]


def numbers_of(finished: Run) -> dict:
    """The numbers of a run's report.json: every metric and series summary."""
    report = build_report(finished)
    return {"metrics": report["metrics"], "series": report["series"]}


def same_numbers(first: Run, second: Run) -> bool:
    """Whether two runs' reports hold bit-identical numbers (NaN equal to NaN)."""
    return _identical(numbers_of(first), numbers_of(second))


def _identical(a, b) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_identical(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return np.array_equal(np.float64(a), np.float64(b), equal_nan=True)
    return a == b


def _first_time(folder: str, task: ChunkTask) -> bool:
    """True the first time any process asks about this chunk."""
    marker = Path(folder) / f"chunk-{task.replications.start}"
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


def fail_once(folder: str, task: ChunkTask) -> ChunkResult:
    """Raise the first time each chunk is tried, then compute it."""
    if _first_time(folder, task):
        raise RuntimeError(f"injected failure in {task.label}")
    return compute_chunk(task)


def die_once(folder: str, task: ChunkTask) -> ChunkResult:
    """Kill the worker process the first time chunk 250 is tried (as the OOM killer would)."""
    if task.replications.start == 250 and _first_time(folder, task):
        os.kill(os.getpid(), signal.SIGKILL)
    return compute_chunk(task)


def always_fail_at_500(task: ChunkTask) -> ChunkResult:
    """The chunk starting at replication 500 always raises; the others compute."""
    if task.replications.start == 500:
        raise ValueError("broken chunk")
    return compute_chunk(task)


HALFWAY_SECONDS = 1.0
"""How long :func:`halfway_then_compute` stays halfway: four times a backend's polling."""


def halfway_then_compute(task: ChunkTask) -> ChunkResult:
    """A chunk that says it is half done, stays so for a second, then is computed: news
    from inside a chunk that no backend can miss, however fast the machine."""
    share = partial.tracker(task)
    if share is not None:
        share.at(0.5)
    time.sleep(HALFWAY_SECONDS)
    return compute_chunk(task)
