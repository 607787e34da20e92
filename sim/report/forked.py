"""Do independent pieces of a report's work on every core, in forked child processes.

Rendering a report's figures is a few seconds of single-threaded Matplotlib at the end
of a run, when the run's workers are gone and the cores idle. A child made by ``fork``
starts with the run and the report already in memory (shared, copy-on-write), so
nothing has to be pickled to it, and it can save its figures straight into the staging
folder; only each piece's small result comes back.

Forking is used only where it is safe and pays: on Linux (on macOS system libraries
may not survive a fork, and Windows has none), with more than one usable core, and when
this process runs no other thread (a thread holding a lock at the fork would leave the
child's copy locked for ever, e.g. a Dask client's or a progress display's). Anywhere
else, and whenever a child fails, the pieces run here in order: a piece that fails in a
child then fails again here, with its own traceback, and one that only a child could
not do (killed, out of memory) still gets done. The results are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

_piece: Callable[[int], Any] | None = None
"""The work of the running :func:`run_pieces`, inherited by its children at the fork."""


def run_pieces(
    piece: Callable[[int], Any], count: int, finished: Callable[[], None] | None = None
) -> list[Any]:
    """``[piece(0), …, piece(count − 1)]``, the pieces spread over forked processes.

    Pieces are handed out one at a time in index order, so put the slowest first. A
    piece must not depend on another piece having run in the same process. `finished`,
    when given, is called here as each piece is done (for a progress bar; pieces done
    again here after a failed child are counted again).
    """
    processes = min(_usable_cores(), count)
    if processes > 1 and _can_fork():
        global _piece
        _piece = piece
        try:
            fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(processes, mp_context=fork) as executor:
                futures = {executor.submit(_run_piece, index): index for index in range(count)}
                results: list[Any] = [None] * count
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    if finished is not None:
                        finished()
                return results
        except Exception:  # a piece failed, or a child died: the pieces are done again below
            pass
        finally:
            _piece = None
    results = []
    for index in range(count):
        results.append(piece(index))
        if finished is not None:
            finished()
    return results


def _run_piece(index: int) -> Any:
    assert _piece is not None, "a piece ran outside run_pieces"
    return _piece(index)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )
