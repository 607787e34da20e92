"""Run chunks on a Dask distributed cluster (``--scheduler ADDRESS``; extra ``sim[dask]``).

Every chunk is one task, submitted with ``retries=1`` so that a task that raises is
tried once more; Dask itself moves the tasks of a worker that dies to another worker.
Results come back as they finish (``distributed.as_completed``) and are saved by the
caller straight away, then released on the cluster. While a chunk runs, its task logs
how far it has got as events of :data:`PROGRESS_TOPIC` (Dask's structured events), which
the client hears and passes on for the progress bar. The workers need this package
installed in the same version (docs/scale-out.md); the scheduler's address is
``tcp://host:8786`` as printed by ``dask scheduler``.
"""

from __future__ import annotations

import queue
import re
import socket
import time
import uuid
from collections.abc import Sequence
from typing import Any

from sim.errors import RunError, shown
from sim.execution import partial
from sim.execution.backend import ATTEMPTS, ChunkFailed, Compute, Done
from sim.execution.chunk import ChunkResult, ChunkTask, compute_chunk
from sim.execution.partial import Advance

CONNECT_SECONDS = 20
"""How long to wait for the scheduler before giving up with a one-line message."""

INSTALL_HINT = "pip install 'dicas-sim[dask]'"
DEFAULT_PORT = 8786


PROGRESS_TOPIC = "sim-chunk-progress"
"""The cluster event topic on which running chunks log ``(task key, share done)``."""

PROBE_SECONDS = 3
"""How long the first plain connection to the scheduler may take before we give up."""

_ADDRESS = re.compile(
    r"^(?:(?P<protocol>tcp|tls|ws|wss|ucx)://)?"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.\-_]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?/?$"
)


def probe_scheduler(address: str) -> None:
    """Fail in seconds, with one line, if `address` cannot be a reachable scheduler.

    Dask's client accepts almost any text as an address and then retries for its whole
    timeout; a malformed one even leaves a client behind that hangs the interpreter's
    exit for 40 s. So the address is checked first, and a plain TCP connection tried: a
    refused or unresolvable address is known at once.
    """
    match = _ADDRESS.match(address.strip())
    port = int(match["port"] or DEFAULT_PORT) if match else 0
    if match is None or not 0 < port < 65536:
        raise RunError(
            f"--scheduler '{shown(address)}' is not a Dask scheduler address "
            f"(write tcp://HOST:PORT, e.g. tcp://127.0.0.1:{DEFAULT_PORT})"
        )
    host = match["host"].strip("[]")
    try:
        socket.create_connection((host, port), timeout=PROBE_SECONDS).close()
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise RunError(f"cannot reach the Dask scheduler at {address}: {reason}") from None


class DaskCluster:
    """Chunks as tasks on the cluster whose scheduler is at `address` (or a ``Client``)."""

    name = "Dask cluster"

    def __init__(self, address: Any, compute: Compute = compute_chunk):
        try:
            from distributed import Client
        except ImportError:
            raise RunError(f"--scheduler needs Dask distributed: {INSTALL_HINT}") from None
        self.compute = compute
        self._own_client = not isinstance(address, Client)
        if not self._own_client:
            self.client = address
            return
        probe_scheduler(address)
        try:
            self.client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as error:
            raise RunError(f"cannot reach the Dask scheduler at {address}: {error}") from None

    @property
    def slots(self) -> int:
        """Worker threads in the cluster now (at least 1)."""
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:
            return 1

    def run(self, tasks: Sequence[ChunkTask], done: Done, advance: Advance | None = None) -> None:
        """Submit every task, save results as they complete; stop at a chunk that fails twice.

        `advance` hears how far running tasks have got, from the events their workers log;
        it is called from this thread, between results, never from Dask's own.
        """
        from distributed import as_completed

        batch = uuid.uuid4().hex[:8]
        keys = {
            id(task): f"sim-chunk-{batch}-{task.study}-{task.replications.start}" for task in tasks
        }
        futures = {
            self.client.submit(
                compute_reporting,
                self.compute,
                task,
                keys[id(task)],
                key=keys[id(task)],
                retries=ATTEMPTS - 1,
                pure=False,
            ): task
            for task in tasks
        }
        shares: queue.SimpleQueue[tuple[str, float]] = queue.SimpleQueue()
        if advance is not None:
            self.client.subscribe_topic(PROGRESS_TOPIC, lambda event: shares.put(event[1]))
        try:
            # the client's own loop: with set_as_default=False there is no default client
            completed = as_completed(futures, loop=self.client.loop)
            while futures:
                # nobody listening: wait for results only; else poll for news between them
                finished = completed.next_batch(block=advance is None)
                for future in finished:
                    task = futures.pop(future)
                    if future.status == "error":
                        raise ChunkFailed(task, future.exception())
                    if future.status != "finished":
                        raise ChunkFailed(task, f"the cluster reported it {future.status}")
                    done(task, future.result())
                    future.release()
                if advance is not None:
                    _pass_on(shares, futures, advance)
                if not finished and futures:
                    time.sleep(partial.SHARES_SECONDS)
        except BaseException:
            self.client.cancel(list(futures))
            raise
        finally:
            if advance is not None:
                self.client.unsubscribe_topic(PROGRESS_TOPIC)

    def close(self) -> None:
        """Disconnect (a client passed in by the caller is left open)."""
        if self._own_client:
            self.client.close()


def compute_reporting(compute: Compute, task: ChunkTask, key: str) -> ChunkResult:
    """On a Dask worker: compute `task`, logging how far it has got under its task `key`.

    A worker computes chunks in several threads at once, so the reporter is this
    thread's (:func:`sim.execution.partial.reporting`)."""
    from distributed import get_worker  # runs on the worker, where Dask is installed

    worker = get_worker()
    with partial.reporting(lambda _, share: worker.log_event(PROGRESS_TOPIC, (key, share))):
        return compute(task)


def _pass_on(
    shares: queue.SimpleQueue[tuple[str, float]], running: dict[Any, ChunkTask], advance: Advance
) -> None:
    """Pass on the logged shares of tasks still running (others' are stale or finished)."""
    by_key = {future.key: task for future, task in running.items()}
    while True:
        try:
            key, share = shares.get_nowait()
        except queue.Empty:
            return
        if key in by_key:
            advance(by_key[key], share)
