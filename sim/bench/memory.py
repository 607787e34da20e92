"""Peak memory: the resident high-water mark of a process, whole or the engine's part.

Memory is read from the operating system (``ru_maxrss``, the most resident memory a
process has held), never from :mod:`tracemalloc`: tracing every allocation slowed the
NumPy engine about 6.5 times on the project's machine (a 250-replication run of
co-production went from 2.2 s to 14.3 s), which would make a traced 10,000-replication
run take many minutes. The high-water mark cannot go down, so each measurement runs in a
fresh child process where nothing else has been counted:

* :func:`run_memory`: a child loads the scenario (its *baseline*), then runs it in-process
  (:func:`sim.montecarlo.run`, outcomes kept as ``sim run`` keeps them). The peak is the
  whole process; peak − baseline is what the run itself added (engine, chunks, outcomes).
* :func:`resident_peak_bytes` of a ``sim run`` child's usage (:mod:`sim.bench.end_to_end`):
  the whole command, report and figures included. The kernel reports the *largest* of the
  child and its descendants, not their sum, and ``sim run`` starts a worker process per
  core, so :class:`TreeWatcher` also samples the summed resident memory of the whole
  process tree: what a laptop must actually have free.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import RunError

PROC = Path("/proc")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


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
            "method": "ru_maxrss of a fresh child process running sim.montecarlo.run "
            "in-process: peak = whole process, run = peak - high-water mark after loading",
        }


def resident_peak_bytes(usage: resource.struct_rusage | None = None) -> int:
    """The resident high-water mark in `usage` (default: this process so far), in bytes."""
    usage = usage or resource.getrusage(resource.RUSAGE_SELF)
    # Linux reports kibibytes, macOS bytes
    return usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024


class TreeWatcher:
    """The largest summed resident memory of a process and its descendants, sampled.

    A background thread reads ``/proc`` every `interval` seconds (a handful of small
    files: no measurable load). Resident sizes count shared pages once per process, so
    the sum is an upper bound. Spikes shorter than the interval can be missed. Where
    ``/proc`` is missing (macOS), :attr:`peak_bytes` stays None.
    """

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid = pid
        self.interval = interval
        self.peak_bytes: int | None = None
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
            total = tree_resident_bytes(self.pid)
            if total is not None:
                self.peak_bytes = max(self.peak_bytes or 0, total)
            self._stop.wait(self.interval)


def tree_resident_bytes(pid: int) -> int | None:
    """Resident bytes of `pid` and all its descendants now; None without ``/proc``."""
    if not PROC.is_dir():
        return None
    total, pending, seen = 0, [pid], set()
    while pending:
        process = pending.pop()
        if process in seen:
            continue
        seen.add(process)
        try:
            total += int((PROC / str(process) / "statm").read_text().split()[1]) * PAGE_BYTES
            for task in (PROC / str(process) / "task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # the process ended between two reads
    return total


def run_memory(scenario_file: str | Path, overrides: Sequence[str], replications: int) -> RunMemory:
    """Run the scenario with the NumPy engine in a fresh process; return its memory."""
    # a new interpreter, not a fork: a forked child would inherit this high-water mark
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
    from sim.montecarlo import run
    from sim.scenario import load_scenario

    scenario_file, replications, *overrides = sys.argv[1:]
    scenario = load_scenario(scenario_file, overrides)
    baseline = resident_peak_bytes()
    run(scenario, int(replications), scenario.seed, "vector")
    print(json.dumps({"baseline": baseline, "peak": resident_peak_bytes()}))
