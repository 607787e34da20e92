"""Run chunks in local worker processes (``--workers N``).

A :class:`concurrent.futures.ProcessPoolExecutor` with the *spawn* start method: each
worker is a fresh interpreter, so nothing of the parent's state (open files, threads, a
notebook's globals) leaks in, and the behaviour is the same on every platform. Workers:

* keep their BLAS/OpenMP libraries to one thread each (the environment variables below
  are set while they start), so N workers use N cores, not N × cores;
* ignore Ctrl-C, which the terminal sends to the whole process group: the parent alone
  handles it, stops the workers and reports what was saved;
* exit by themselves within a second or so when the parent dies, however it died;
* send how far their chunk has got through a queue that the parent drains while it
  waits (:mod:`sim.execution.partial`), so the progress bar moves within chunks;
* get at most one chunk each at a time, so that when a worker dies (killed, out of
  memory) we know which chunks it may have been running. The pool is then rebuilt and
  those chunks are tried again (a chunk that fails twice stops the run).

A single chunk runs in this process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from queue import Empty
from typing import Any

from sim.execution import partial
from sim.execution.backend import ATTEMPTS, ChunkFailed, Compute, Done
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.execution.inprocess import InProcess
from sim.execution.partial import Advance

ONE_THREAD = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
"""Environment variables that cap the threads of NumPy's linear-algebra libraries."""


def available_cores() -> int:
    """Cores this process may use (its CPU affinity where the platform tells us)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class LocalProcesses:
    """Up to `workers` spawned worker processes on this machine."""

    def __init__(self, workers: int, compute: Compute = compute_chunk):
        self.workers = max(1, workers)
        self.compute = compute
        self._executor: ProcessPoolExecutor | None = None
        self._size = 0
        self._worked = False
        """Whether any worker of this backend ever finished a chunk."""
        self._in_process = False
        """Set when workers cannot start at all (an unguarded script): run here instead."""
        self._shares: Any = None
        """The queue of the pool's workers' (study, first replication, share) reports."""

    @property
    def name(self) -> str:
        """'2 local processes'."""
        return f"{self.workers} local processes"

    @property
    def slots(self) -> int:
        """One chunk per worker."""
        return self.workers

    def run(self, tasks: Sequence[ChunkTask], done: Done, advance: Advance | None = None) -> None:
        """Run `tasks` on the workers, at most one each at a time, retrying failures once;
        `advance` hears how far running tasks have got."""
        if getattr(multiprocessing.current_process(), "_inheriting", False):
            # a worker importing an unguarded script that calls run(): leave quietly (the
            # parent sees its workers fail and runs the chunks itself, with a warning)
            raise SystemExit(1)
        if self._in_process or (len(tasks) <= 1 and self._executor is None):
            InProcess(self.compute).run(tasks, done, advance)
            return
        size = self._size if self._executor is not None else min(self.workers, len(tasks))
        waiting = list(reversed(tasks))
        failures: dict[int, int] = {}
        running: dict[Future, ChunkTask] = {}
        try:
            while waiting or running:
                while waiting and len(running) < size:
                    task = waiting.pop()
                    running[self._submit(task, size)] = task
                finished, _ = wait(running, partial.SHARES_SECONDS, FIRST_COMPLETED)
                self._drain(running, advance)
                broken = False
                for future in finished:
                    task = running.pop(future)
                    error = future.exception()
                    if error is None:
                        self._worked = True
                        done(task, future.result())
                        continue
                    broken = broken or isinstance(error, BrokenProcessPool)
                    if broken and not self._worked and unguarded_script():
                        self._stop(kill=True)
                        self._in_process = True
                        warnings.warn(UNGUARDED, RuntimeWarning, stacklevel=2)
                        rest = [task, *running.values(), *reversed(waiting)]
                        InProcess(self.compute).run(sorted(rest, key=_order), done, advance)
                        return
                    self._count_failure(task, error, failures)
                    waiting.append(task)
                if broken:
                    # every chunk still in the dead pool failed with it; try them again
                    for future, task in running.items():
                        future.cancel()
                        self._count_failure(task, BrokenProcessPool(), failures)
                        waiting.append(task)
                    running.clear()
                    self._stop(kill=True)
        except BaseException:
            self._stop(kill=True)
            raise

    def close(self) -> None:
        """Let the workers exit."""
        self._stop(kill=False)

    def _drain(self, running: dict[Future, ChunkTask], advance: Advance | None) -> None:
        """Pass on the workers' reports of running tasks (drained even when nobody
        listens, so that the queue never fills)."""
        tasks = {(task.study, task.replications.start): task for task in running.values()}
        while self._shares is not None:
            try:
                study, start, share = self._shares.get_nowait()
            except (Empty, OSError, ValueError):
                return
            task = tasks.get((study, start))
            if advance is not None and task is not None:
                advance(task, share)

    def _submit(self, task: ChunkTask, size: int) -> Future:
        if self._executor is None:
            self._size = max(1, size)
            context = multiprocessing.get_context("spawn")
            self._shares = context.Queue()
            self._executor = ProcessPoolExecutor(
                self._size,
                mp_context=context,
                initializer=start_worker,
                initargs=(os.getpid(), self._shares),
            )
        # workers are started inside submit(), so this is when their environment is set
        with _worker_environment():
            return self._executor.submit(self.compute, task)

    def _count_failure(self, task: ChunkTask, error: BaseException, failures: dict) -> None:
        key = id(task)
        failures[key] = failures.get(key, 0) + 1
        if failures[key] >= ATTEMPTS:
            reason: BaseException | str = error
            if isinstance(error, BrokenProcessPool):
                reason = "its worker process died each time (killed, or out of memory?)"
            raise ChunkFailed(task, reason)

    def _stop(self, kill: bool) -> None:
        executor, self._executor = self._executor, None
        shares, self._shares = self._shares, None
        if shares is not None:
            shares.close()
        if executor is None:
            return
        processes = list(getattr(executor, "_processes", {}).values())
        if kill:
            for process in processes:
                with contextlib.suppress(Exception):
                    process.terminate()
        executor.shutdown(wait=not kill, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)


UNGUARDED = (
    "sim: worker processes could not start: they import the script that called run(), "
    'and this one has no `if __name__ == "__main__":` guard, so each worker ran it again. '
    "Running in this process instead (one core); put the script's code under the guard "
    "to use every core."
)


def unguarded_script() -> bool:
    """Whether the main module is a script file, which spawned workers import again.

    Workers dying before finishing any chunk, under such a script, is the signature of a
    missing main guard: each worker's import ran the script's ``run()`` again, which may
    not start processes while the worker is still starting.
    """
    main = sys.modules.get("__main__")
    return bool(getattr(main, "__file__", None)) and getattr(main, "__spec__", None) is None


def _order(task: ChunkTask) -> tuple[int, int]:
    return task.study, task.replications.start


PARENT_CHECK_SECONDS = 1.0
"""How often a worker checks that the process that started it is still there."""


def start_worker(parent: int, shares: Any = None) -> None:
    """Worker initializer: Ctrl-C is the parent's to handle; exit when the parent dies;
    report how far each chunk has got to `shares` (a queue), when given.

    A worker blocked waiting for its next chunk would otherwise outlive a parent killed
    with SIGKILL (or by the out-of-memory killer), holding its memory for good. A daemon
    thread watches the parent's process id, which changes when the parent is gone.
    (Linux's PR_SET_PDEATHSIG would be tied to the thread that started the worker, not
    to the process, so it is not used.)
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked from birth
    if shares is not None:
        shares.cancel_join_thread()  # a report still in the pipe never delays an exit
        partial.install(
            lambda task, share: shares.put((task.study, task.replications.start, share))
        )
    threading.Thread(
        target=_exit_with, args=(parent,), name="exit-with-parent", daemon=True
    ).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


@contextlib.contextmanager
def _worker_environment() -> Iterator[None]:
    """While workers start: one BLAS thread each, and SIGINT held back (inherited at exec).

    A worker is born with SIGINT blocked (the signal mask survives exec) and ignores it
    from its initializer on (:func:`start_worker`), so a Ctrl-C that lands while it is
    still importing does not print a traceback. The parent's Ctrl-C is not lost
    meanwhile: a signal that arrives while blocked stays pending, and one that reaches
    another thread is recorded; either is raised as the parent's own handler would, once
    the submit is over, not inside the executor's bookkeeping. Only the main thread may
    change handlers.
    """
    saved = {name: os.environ.get(name) for name in ONE_THREAD}
    os.environ.update({name: "1" for name in ONE_THREAD})
    main = threading.current_thread() is threading.main_thread()
    heard: list[int] = []
    handler = signal.signal(signal.SIGINT, lambda number, _: heard.append(number)) if main else None
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a pending Ctrl-C is heard now
        if main:
            signal.signal(signal.SIGINT, handler)  # runs the recorder first, if one is due
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if heard and callable(handler):
        handler(signal.SIGINT, None)
