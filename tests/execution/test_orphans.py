"""Worker processes exit by themselves when the `sim` that started them dies, however it died.

Run as users run it: `sim run --workers 2` in a subprocess, killed with SIGKILL once its
workers are up. Before the fix, both workers stayed alive, sleeping, at ~280 MB each.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.execution.processes import PARENT_CHECK_SECONDS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="needs /proc to find child processes"
)


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_until(condition, seconds: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def test_workers_exit_when_sim_is_killed(tmp_path: Path):
    command = [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" / "contingency.yaml")]
    command += ["--reps", "20000", "--workers", "2", "--chunk-size", "500", "--quiet"]
    command += ["--out", str(tmp_path / "out")]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # spawned workers, and the resource tracker multiprocessing starts beside them
        assert _wait_until(lambda: len(_children(parent.pid)) >= 3, 120), "no workers started"
        workers = _children(parent.pid)
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    assert _wait_until(lambda: not any(_alive(pid) for pid in workers), 10 * PARENT_CHECK_SECONDS)
