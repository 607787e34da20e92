"""Peak memory from a fresh child process (sim.bench.memory)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.bench.memory import TreeWatcher, resident_peak_bytes, run_memory, tree_resident_bytes
from sim.errors import RunError


def test_the_resident_peak_of_this_process_is_in_bytes():
    assert 20e6 < resident_peak_bytes() < 1e12


def test_a_run_in_a_child_process_reports_its_baseline_and_peak(small_scenario_file):
    memory = run_memory(small_scenario_file, ["years=2"], 500)
    assert memory.replications == 500
    assert 20e6 < memory.baseline_bytes <= memory.peak_bytes < 1e12
    assert memory.run_bytes == memory.peak_bytes - memory.baseline_bytes
    assert memory.as_dict()["method"].startswith("ru_maxrss")


def test_a_child_that_fails_says_so(tmp_path):
    with pytest.raises(RunError, match="memory measurement"):
        run_memory(tmp_path / "missing.yaml", [], 1)


CHILD = "import time; block = b'x' * (100 * 2**20); time.sleep(1.5)"
"""A grandchild holding 100 MB: only a tree that counts descendants sees it."""


def test_the_tree_of_a_process_counts_its_descendants():
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys; subprocess.run([sys.executable, '-c', {CHILD!r}])",
        ]
    )
    try:
        with TreeWatcher(parent.pid, interval=0.05) as watcher:
            parent.wait(timeout=30)
        assert watcher.peak_bytes > 100 * 2**20
    finally:
        parent.kill()
        parent.wait()


def test_a_process_that_is_gone_has_nothing_resident():
    assert tree_resident_bytes(2**22 + 12345) == 0
