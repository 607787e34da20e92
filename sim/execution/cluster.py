"""Run chunks on a Dask distributed cluster (``--scheduler ADDRESS``; extra ``sim[dask]``).

Every chunk is one task, submitted with ``retries=1`` so that a task that raises is
tried once more; Dask itself moves the tasks of a worker that dies to another worker.
Results come back as they finish (``distributed.as_completed``) and are saved by the
caller straight away, then released on the cluster. The workers need this package
installed in the same version (docs/scale-out.md); the scheduler's address is
``tcp://host:8786`` as printed by ``dask scheduler``.
"""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Sequence
from typing import Any

from sim.errors import RunError, shown
from sim.execution.backend import ATTEMPTS, ChunkFailed, Compute, Done
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.execution.partial import Advance

CONNECT_SECONDS = 20
"""How long to wait for the scheduler before giving up with a one-line message."""

INSTALL_HINT = "pip install 'dicas-sim[dask]'"
DEFAULT_PORT = 8786


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

        `advance` is not called: a cluster's workers report whole chunks only (sending
        shares back would need a Dask queue per run, for a bar that moves per chunk of
        many workers anyway).
        """
        from distributed import as_completed

        batch = uuid.uuid4().hex[:8]
        futures = {
            self.client.submit(
                self.compute,
                task,
                key=f"sim-chunk-{batch}-{task.study}-{task.replications.start}",
                retries=ATTEMPTS - 1,
                pure=False,
            ): task
            for task in tasks
        }
        try:
            # the client's own loop: with set_as_default=False there is no default client
            for future in as_completed(futures, loop=self.client.loop):
                task = futures.pop(future)
                if future.status == "error":
                    raise ChunkFailed(task, future.exception())
                if future.status != "finished":
                    raise ChunkFailed(task, f"the cluster reported it {future.status}")
                done(task, future.result())
                future.release()
        except BaseException:
            self.client.cancel(list(futures))
            raise

    def close(self) -> None:
        """Disconnect (a client passed in by the caller is left open)."""
        if self._own_client:
            self.client.close()
