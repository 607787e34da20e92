"""A description of the machine and code a benchmark ran on.

Benchmark numbers mean nothing without the machine: the same run is several times
faster on an idle desktop than on a busy two-core server. Results therefore carry the
CPU, its cores, the load when the suite began and ended, the versions of Python, NumPy
and SimPy, the date, and the commit measured (with the files changed on top of it, since
the work tree is shared and numbers measured on uncommitted code say so).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from sim import __version__

CPUINFO = Path("/proc/cpuinfo")


def describe_machine(root: Path | None = None) -> dict[str, Any]:
    """CPU, cores, load, versions, date and the git commit of `root` (default: cwd)."""
    text = CPUINFO.read_text(encoding="utf-8", errors="replace") if CPUINFO.is_file() else ""
    return {
        "cpu": cpu_model(text) or platform.processor() or platform.machine() or "unknown",
        "logical_cores": os.cpu_count(),
        "physical_cores": physical_cores(text),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average": load_average(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "simpy": simpy.__version__,
        "sim": __version__,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **git_state(root or Path.cwd()),
    }


def cpu_model(cpuinfo: str) -> str | None:
    """The first ``model name`` in /proc/cpuinfo text (x86); None when absent."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model") and value.strip():
            return value.strip()
    return None


def physical_cores(cpuinfo: str) -> int | None:
    """Distinct (physical id, core id) pairs in /proc/cpuinfo text; None when not listed.

    Logical cores count hyper-threads too, which share a core's arithmetic units and so
    add little to a NumPy loop; the physical count is the one to compare machines by.
    """
    cores: set[tuple[str, str]] = set()
    package = core = None
    for line in [*cpuinfo.splitlines(), ""]:
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "physical id":
            package = value.strip()
        elif key == "core id":
            core = value.strip()
        elif not key:  # a blank line ends one processor's block
            if core is not None:
                cores.add((package or "0", core))
            package = core = None
    return len(cores) or None


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages, a sign of other jobs sharing the machine."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def git_state(root: Path) -> dict[str, Any]:
    """The commit checked out at `root` and the files that change the numbers (the
    package, the scenarios, the project file) changed or added on top of it."""

    def git(*arguments: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *arguments], cwd=root, capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    changes = git("status", "--porcelain", "--", "sim", "scenarios", "pyproject.toml") or ""
    return {
        "commit": commit.strip() if commit else None,
        "changed_files": sorted(line[3:] for line in changes.splitlines() if line.strip()),
    }
