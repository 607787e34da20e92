"""``sim run`` timed from the outside: start-up, engine, report and figures.

Engine time (:mod:`sim.bench.engines`) is what the NumPy work costs; a user waits for
the whole command: the interpreter starting, imports, the scenario read, the run, the
statistics, report.json/md/html, replications.csv and the figures. So the command is run
exactly as a user types it, in a child process, and timed by the wall clock. The child's
own resource usage (``os.wait4``) gives its resident peak: the memory a laptop needs for
the run, counted apart from the benchmark's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.bench.memory import TreeWatcher, resident_peak_bytes
from sim.bench.timing import Timing, repeat
from sim.errors import RunError


@dataclass(frozen=True)
class EndToEnd:
    """Repeated ``sim run --reps N --quiet`` of one scenario file."""

    scenario: str
    replications: int
    seconds: Timing
    resident_peak_bytes: int
    """ru_maxrss: the largest single process (``sim run`` or one of its workers)."""
    tree_peak_bytes: int | None
    """Sampled sum over ``sim run`` and its workers (None where /proc is missing)."""
    overrides: tuple[str, ...] = ()

    @property
    def peak_bytes(self) -> int:
        """The memory the command needs: the tree's sum where known.

        Never below the largest single process, which the kernel measures exactly while
        the sampled sum can miss a short spike.
        """
        return max(self.tree_peak_bytes or 0, self.resident_peak_bytes)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of bench.json's ``end_to_end`` entry."""
        return {
            "scenario": self.scenario,
            "replications": self.replications,
            "command": " ".join(
                [f"sim run {self.scenario} --reps {self.replications} --quiet --out TMP"]
                + [f"--set {override}" for override in self.overrides]
            ),
            "seconds": self.seconds.as_dict(),
            "workers": "sim run's default: one worker process per core",
            "peak_bytes": self.peak_bytes,
            "resident_peak_bytes": self.resident_peak_bytes,
            "tree_peak_bytes": self.tree_peak_bytes,
            "memory_method": "tree_peak_bytes = resident memory of sim run and its workers "
            "summed, sampled every 0.1 s (an upper bound: shared pages count once per "
            "process); resident_peak_bytes = ru_maxrss from os.wait4, the largest single "
            "process; peak_bytes = the larger of the two",
        }


def time_sim_run(
    scenario_file: str | Path,
    replications: int,
    repeats: int,
    budget_seconds: float,
    overrides: Sequence[str] = (),
) -> EndToEnd:
    """Run ``sim run`` on `scenario_file` up to `repeats` times (see :func:`repeat`).

    `overrides` are passed on as ``--set PATH=VALUE``.
    """
    peaks: list[tuple[int, int | None]] = []
    seconds = repeat(
        lambda: peaks.append(_one_run(Path(scenario_file), replications, overrides)),
        repeats,
        budget_seconds,
    )
    trees = [tree for _, tree in peaks if tree is not None]
    return EndToEnd(
        str(scenario_file),
        replications,
        seconds,
        max(largest for largest, _ in peaks),
        max(trees) if trees else None,
        tuple(overrides),
    )


def _one_run(
    scenario_file: Path, replications: int, overrides: Sequence[str]
) -> tuple[int, int | None]:
    """Run the command once in a child process: its largest process and its tree's peak."""
    command = [sys.executable, "-m", "sim", "run", str(scenario_file)]
    command += ["--reps", str(replications), "--quiet"]
    command += [argument for override in overrides for argument in ("--set", override)]
    with tempfile.TemporaryDirectory(prefix="sim-bench-") as folder:
        errors_path = Path(folder) / "stderr.txt"
        with errors_path.open("wb") as errors:
            child = subprocess.Popen(
                [*command, "--out", str(Path(folder) / "run")],
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            with TreeWatcher(child.pid) as watcher:
                # wait4 rather than wait: it returns this child's own resource usage
                _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            message = errors_path.read_text(encoding="utf-8", errors="replace").strip()
            raise RunError(
                f"'sim run {scenario_file}' failed with status {child.returncode}: "
                f"{message.splitlines()[-1] if message else 'no message'}"
            )
    return resident_peak_bytes(usage), watcher.peak_bytes
