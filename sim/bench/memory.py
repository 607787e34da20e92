"""Peak memory: the resident high-water mark of a process, whole or the engine's part.

Memory is read from the operating system, never from :mod:`tracemalloc`: tracing every
allocation slowed the NumPy engine about 6.5 times on the project's machine (a
250-replication run of co-production went from 2.2 s to 14.3 s), which would make a
traced 10,000-replication run take many minutes.

The high-water mark to read is ``VmHWM`` in ``/proc/PID/status``, not ``ru_maxrss``:
Linux carries ``ru_maxrss`` across fork and exec, so a child started by a 600 MB
benchmark process reports at least 600 MB whatever it does itself (measured: a child
that ran ``pass`` reported the parent's 511 MB). ``VmHWM`` belongs to the process's own
memory map, which exec replaces. Two measurements use it:

* :func:`run_memory`: a fresh child loads the scenario (its *baseline*), then runs it
  in-process (:func:`sim.runs.montecarlo.run`, outcomes kept as ``sim run`` keeps them). Its
  peak is the whole process; peak − baseline is what the run added (engine, chunks,
  outcomes).
* :class:`TreeWatcher` samples a ``sim run`` child and its worker processes (one per core
  by default, and the children that draw the figures): the memory of the tree, which is
  what a laptop must have free, and the largest single process's high-water mark. The
  tree's memory is the sum of each process's *proportional* set size (``Pss`` in
  ``/proc/PID/smaps_rollup``: a page shared by n processes counts 1/n in each), not of
  ``VmRSS``, which counts a shared page once per process: a child forked to draw
  figures shares most of the report process's memory, and summed ``VmRSS`` would count
  it twice.

Without ``/proc`` (macOS) the process's own ``ru_maxrss`` is used and the tree is not
measured.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import RunError
from sim.loading import load_scenario
from sim.runs.montecarlo import run

PROC = Path("/proc")


@dataclass(frozen=True)
class RunMemory:
    """Resident memory of a child process that ran one scenario in-process."""

    replications: int
    baseline_bytes: int
    """High-water mark after imports and loading the scenario, before the run."""
    peak_bytes: int
    """High-water mark after the run: the whole process."""

    @property
    def run_bytes(self) -> int:
        """What the run added to the process: engine, chunks and kept outcomes."""
        return self.peak_bytes - self.baseline_bytes

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, with the method spelled out."""
        return {
            "replications": self.replications,
            "baseline_bytes": self.baseline_bytes,
            "peak_bytes": self.peak_bytes,
            "run_bytes": self.run_bytes,
            "method": "VmHWM of a fresh child process running sim.runs.montecarlo.run in-process "
            "(one process): peak = whole process, run = peak - high-water mark after loading",
        }


def process_memory(pid: int | str = "self") -> dict[str, int] | None:
    """``VmRSS`` (now) and ``VmHWM`` (high-water mark) of a process in bytes; None when
    the process is gone or there is no ``/proc``."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    sizes = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            sizes[key] = int(value.split()[0]) * 1024  # reported in kB
    return sizes if len(sizes) == 2 else None


def proportional_bytes(pid: int | str = "self") -> int | None:
    """A process's proportional set size in bytes (its share of the pages it shares);
    its ``VmRSS`` where the kernel has no ``smaps_rollup`` (before Linux 4.14); None
    when the process is gone or there is no ``/proc``."""
    try:
        text = (PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        sizes = process_memory(pid)
        return None if sizes is None else sizes["VmRSS"]
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key == "Pss":
            return int(value.split()[0]) * 1024  # reported in kB
    return None


def resident_peak_bytes() -> int:
    """This process's resident high-water mark in bytes."""
    sizes = process_memory()
    if sizes is not None:
        return sizes["VmHWM"]
    maximum = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maximum if sys.platform == "darwin" else maximum * 1024  # macOS: bytes; else kB


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (via ``/proc/PID/task/TID/children``)."""
    found, pending = [], [pid]
    while pending:
        process = pending.pop()
        if process in found:
            continue
        found.append(process)
        try:
            for task in (PROC / str(process) / "task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended between two reads
    return found


class TreeWatcher:
    """Peak memory of a process and its descendants, sampled while they run.

    A background thread reads ``/proc`` every `interval` seconds (a handful of small
    files: no measurable load). :attr:`tree_peak_bytes` is the largest sum of proportional
    set sizes seen (:func:`proportional_bytes`; a spike shorter than the interval can be
    missed); :attr:`largest_process_bytes` the largest
    high-water mark of any one process (exact, up to the last sample before it ended).
    Both stay None without ``/proc``.
    """

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid = pid
        self.interval = interval
        self.tree_peak_bytes: int | None = None
        self.largest_process_bytes: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        """Read the tree once and update the peaks."""
        if not PROC.is_dir():
            return
        processes = descendants(self.pid)
        sizes = [s for s in map(process_memory, processes) if s is not None]
        shares = [s for s in map(proportional_bytes, processes) if s is not None]
        if not sizes or not shares:
            return
        total = sum(shares)
        largest = max(s["VmHWM"] for s in sizes)
        self.tree_peak_bytes = max(self.tree_peak_bytes or 0, total)
        self.largest_process_bytes = max(self.largest_process_bytes or 0, largest)


def run_memory(scenario_file: str | Path, overrides: Sequence[str], replications: int) -> RunMemory:
    """Run the scenario with the NumPy engine in a fresh process; return its memory."""
    code = "from sim.bench.memory import measure_in_child; measure_in_child()"
    done = subprocess.run(
        [sys.executable, "-c", code, str(scenario_file), str(replications), *overrides],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RunError(f"the memory measurement of {scenario_file} failed: {last}")
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return RunMemory(replications, measured["baseline"], measured["peak"])


def measure_in_child() -> None:
    """In the child: load, note the high-water mark, run, print both as JSON.

    Arguments (``sys.argv``): scenario file, replications, then ``--set`` overrides.
    """
    scenario_file, replications, *overrides = sys.argv[1:]
    scenario = load_scenario(scenario_file, overrides)
    baseline = resident_peak_bytes()
    run(scenario, int(replications), scenario.seed, "vector", workers=1)
    print(json.dumps({"baseline": baseline, "peak": resident_peak_bytes()}))
