"""Peak memory from /proc, of a fresh child process or a process tree (sim.bench.memory)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.bench.memory import (
    TreeWatcher,
    descendants,
    process_memory,
    proportional_bytes,
    resident_peak_bytes,
    run_memory,
)
from sim.errors import RunError

HOLD = "import time; block = b'x' * (100 * 2**20); time.sleep({seconds})"
"""A process holding 100 MB for a while."""


def test_this_process_has_a_resident_size_and_high_water_mark_in_bytes():
    sizes = process_memory()
    assert 20e6 < sizes["VmRSS"] <= sizes["VmHWM"] < 1e12
    assert resident_peak_bytes() >= sizes["VmRSS"]


def test_a_process_that_is_gone_has_no_memory():
    assert process_memory(2**22 + 12345) is None


def test_a_child_does_not_inherit_its_parents_high_water_mark():
    """ru_maxrss would: Linux carries it across fork and exec."""
    block = b"x" * (200 * 2**20)  # make this process larger than any small child
    code = "from sim.bench.memory import resident_peak_bytes; print(resident_peak_bytes())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert int(done.stdout) < len(block)


def test_a_run_in_a_child_process_reports_its_baseline_and_peak(small_scenario_file):
    memory = run_memory(small_scenario_file, ["years=2"], 500)
    assert memory.replications == 500
    assert 20e6 < memory.baseline_bytes <= memory.peak_bytes < 1e12
    assert memory.run_bytes == memory.peak_bytes - memory.baseline_bytes
    assert memory.as_dict()["method"].startswith("VmHWM")


def test_a_child_that_fails_says_so(tmp_path):
    with pytest.raises(RunError, match="memory measurement"):
        run_memory(tmp_path / "missing.yaml", [], 1)


def test_the_tree_counts_descendants_and_their_largest_process():
    code = HOLD.format(seconds=1.5)
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys; subprocess.run([sys.executable, '-c', {code!r}])",
        ]
    )
    try:
        with TreeWatcher(parent.pid, interval=0.05) as watcher:
            parent.wait(timeout=30)
        assert watcher.largest_process_bytes > 100 * 2**20  # the grandchild
        assert watcher.tree_peak_bytes > watcher.largest_process_bytes  # plus the parent
    finally:
        parent.kill()
        parent.wait()


def test_descendants_of_this_process_include_itself():
    assert descendants(os.getpid())[0] == os.getpid()


FORK_AND_HOLD = (
    "import os, time; block = bytearray(100 * 2**20); block[::4096] = b'x' * len(block[::4096]); "
    "pid = os.fork(); time.sleep(1.5); os._exit(0) if pid == 0 else os.waitpid(pid, 0)"
)
"""A process that fills 100 MB, then forks a child sharing it (copy-on-write)."""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs smaps_rollup")
def test_pages_a_forked_child_shares_count_once_in_the_tree():
    parent = subprocess.Popen([sys.executable, "-c", FORK_AND_HOLD])
    try:
        with TreeWatcher(parent.pid, interval=0.05) as watcher:
            parent.wait(timeout=30)
        # summed VmRSS would be over 200 MB: the block once in each process
        assert 100 * 2**20 < watcher.tree_peak_bytes < 160 * 2**20
    finally:
        parent.kill()
        parent.wait()


def test_a_process_has_a_proportional_size_no_larger_than_its_resident_size():
    assert 0 < proportional_bytes() <= process_memory()["VmRSS"]
    assert proportional_bytes(2**22 + 12345) is None
