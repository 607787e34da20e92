"""Where chunks of replications run, kept apart from what a chunk computes.

* :mod:`~sim.execution.chunk` — the task a worker receives and the result it returns;
* :mod:`~sim.execution.inprocess`, :mod:`~sim.execution.processes`,
  :mod:`~sim.execution.cluster` — the backends: this process, local worker processes,
  a Dask distributed cluster (all behind :class:`~sim.execution.backend.Backend`);
* :mod:`~sim.execution.store` — finished chunks waiting for the report (in memory, or
  on disk as checkpoints: :mod:`sim.runs.checkpoint`);
* :mod:`~sim.execution.summaries` and :mod:`~sim.execution.sketch` — the report's
  numbers assembled column by column from the chunks, in bounded memory;
* :mod:`~sim.execution.precision` — the stopping rule of ``--precision``.
"""

from __future__ import annotations

from typing import Any

from sim.execution.backend import Backend, ChunkFailed
from sim.execution.inprocess import InProcess
from sim.execution.processes import LocalProcesses, available_cores


def open_backend(workers: int | None = None, scheduler: Any = None) -> Backend:
    """The backend for `workers` local processes (default: every core) or a Dask `scheduler`.

    `scheduler` is an address (``tcp://host:8786``) or a ``distributed.Client``; with one,
    `workers` is ignored. One worker means this process.
    """
    if scheduler is not None:
        # Dask is an optional extra: imported only when a cluster is asked for
        from sim.execution.cluster import DaskCluster

        return DaskCluster(scheduler)

    workers = available_cores() if workers is None else workers
    if workers <= 1:
        return InProcess()
    return LocalProcesses(workers)


__all__ = ["Backend", "ChunkFailed", "open_backend"]
