"""``sim run`` timed from the outside: start-up, engine, report and figures.

Engine time (:mod:`sim.bench.engines`) is what the NumPy work costs; a user waits for
the whole command: the interpreter starting, imports, the scenario read, the run on the
default worker processes, the statistics, report.json/md/html, replications.csv and the
figures. So the command is run exactly as a user types it, in a child process, timed by
the wall clock, while :class:`~sim.bench.memory.TreeWatcher` follows the memory of the
child and its workers.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.bench.memory import TreeWatcher
from sim.bench.timing import Timing, repeat
from sim.errors import RunError


@dataclass(frozen=True)
class EndToEnd:
    """Repeated ``sim run --reps N --quiet`` of one scenario file."""

    scenario: str
    replications: int
    seconds: Timing
    tree_peak_bytes: int | None
    """Sampled sum of proportional set sizes over ``sim run`` and its workers (None where
    /proc is missing)."""
    largest_process_bytes: int | None
    """The largest high-water mark of any one of those processes."""
    overrides: tuple[str, ...] = ()

    @property
    def peak_bytes(self) -> int | None:
        """The memory the command needs: the tree's sum, and never below its largest
        process, whose high-water mark is exact while the sampled sum can miss a spike."""
        known = [b for b in (self.tree_peak_bytes, self.largest_process_bytes) if b is not None]
        return max(known) if known else None

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
            "tree_peak_bytes": self.tree_peak_bytes,
            "largest_process_bytes": self.largest_process_bytes,
            "memory_method": "tree_peak_bytes = proportional set size (Pss) of sim run, "
            "its workers and figure children summed, sampled every 0.1 s (shared pages "
            "split among the processes sharing them); largest_process_bytes = the largest "
            "VmHWM among them; peak_bytes = the larger of the two",
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
    watchers: list[TreeWatcher] = []
    seconds = repeat(
        lambda: watchers.append(_one_run(Path(scenario_file), replications, overrides)),
        repeats,
        budget_seconds,
    )

    def largest(values: list[int | None]) -> int | None:
        known = [value for value in values if value is not None]
        return max(known) if known else None

    return EndToEnd(
        str(scenario_file),
        replications,
        seconds,
        largest([watcher.tree_peak_bytes for watcher in watchers]),
        largest([watcher.largest_process_bytes for watcher in watchers]),
        tuple(overrides),
    )


def _one_run(scenario_file: Path, replications: int, overrides: Sequence[str]) -> TreeWatcher:
    """Run the command once in a child process; return what its memory watcher saw."""
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
                child.wait()
        if child.returncode != 0:
            message = errors_path.read_text(encoding="utf-8", errors="replace").strip()
            raise RunError(
                f"'sim run {scenario_file}' failed with status {child.returncode}: "
                f"{message.splitlines()[-1] if message else 'no message'}"
            )
    return watcher
