"""``sim run`` timed in a child process (sim.bench.end_to_end)."""

from __future__ import annotations

import pytest

from sim.bench.end_to_end import time_sim_run
from sim.errors import RunError


def test_sim_run_is_timed_with_the_memory_of_its_process_tree(small_scenario_file):
    run = time_sim_run(small_scenario_file, 250, repeats=1, budget_seconds=1, overrides=["seed=3"])
    assert len(run.seconds.samples) == 1 and run.seconds.median > 0
    # an interpreter with NumPy and matplotlib, but not the (larger) test process's memory
    assert 50e6 < run.largest_process_bytes < 600e6
    assert run.tree_peak_bytes > 50e6
    assert run.peak_bytes == max(run.tree_peak_bytes, run.largest_process_bytes)
    shown = run.as_dict()
    assert shown["command"].endswith("--reps 250 --quiet --out TMP --set seed=3")
    assert "VmHWM" in shown["memory_method"]


def test_a_failing_sim_run_raises_with_its_message(small_scenario_file):
    with pytest.raises(RunError, match="failed with status 2"):
        time_sim_run(small_scenario_file, 10, 1, 1, overrides=["years=-1"])
