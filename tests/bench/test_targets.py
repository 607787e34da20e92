"""The issue's targets, judged by sim.bench.targets on measured numbers."""

from __future__ import annotations

import pytest

from sim.bench.engines import EngineMeasurement
from sim.bench.targets import evaluate_targets
from sim.bench.timing import Timing


def measurement(engine: str, replications: int, seconds: float, floor: float) -> dict:
    return EngineMeasurement(
        engine, replications, 14, 520, Timing((seconds,)), Timing((floor,))
    ).as_dict()


def results(vector: list[dict], end_to_end: dict | None = None, scaling: dict | None = None):
    des = measurement("des", 3, 3.0, 0.1)  # one replication a second
    return {
        "reference_scenario": "co-production",
        "scenarios": [
            {"name": "baseline", "vector": [], "des": des, "speedup": 1.0},
            {
                "name": "co-production",
                "vector": vector,
                "des": des,
                "speedup": vector[-1]["replications_per_second"] / des["replications_per_second"],
                "memory": None,
            },
        ],
        "end_to_end": end_to_end,
        "scaling": scaling or {},
    }


def by_name(targets: list[dict]) -> dict[str, dict]:
    return {target["name"].split(",")[0].split(" (")[0]: target for target in targets}


def test_a_fast_run_meets_every_target():
    run = {"replications": 10_000, "seconds": {"median": 8.0}, "peak_bytes": 500e6}
    vector = [measurement("vector", 1000, 0.45, 0.3), measurement("vector", 10_000, 4.0, 2.5)]
    targets = by_name(evaluate_targets(results(vector, run)))
    assert all(target["met"] for target in targets.values()), targets
    assert targets["engine time"]["measured"] == 4.0
    assert targets["NumPy ÷ SimPy replications per second"]["measured"] == pytest.approx(2500)
    assert targets["engine time ÷ random-number floor"]["measured"] == pytest.approx(1.6)
    assert targets["linear in replications"]["measured"] < 1.1


def test_a_slow_run_misses_them():
    run = {"replications": 10_000, "seconds": {"median": 60.0}, "peak_bytes": 2e9}
    vector = [measurement("vector", 1000, 1.0, 0.1), measurement("vector", 10_000, 40.0, 1.0)]
    targets = by_name(evaluate_targets(results(vector, run)))
    assert targets["engine time"]["met"] is False
    assert targets["sim run --reps 10000"]["met"] is False
    assert targets["engine time ÷ random-number floor"]["met"] is False
    assert targets["linear in replications"]["met"] is False  # slope 1.6
    assert targets["peak memory"]["met"] is False
    assert targets["NumPy ÷ SimPy replications per second"]["met"] is True  # 250×


def test_targets_not_measured_are_neither_met_nor_missed_and_say_why():
    vector = [measurement("vector", 250, 0.5, 0.05), measurement("vector", 1000, 1.5, 0.2)]
    targets = by_name(evaluate_targets(results(vector)))
    engine = targets["engine time"]
    assert engine["met"] is None and engine["measured"] is None
    assert engine["note"] == "15.0 s scaled from 1,000"
    assert targets["sim run --reps 10000"]["met"] is None
    assert targets["peak memory"]["met"] is None


def test_the_replications_series_decides_linearity_when_there_is_one():
    vector = [measurement("vector", 1000, 1.0, 0.1), measurement("vector", 10_000, 40.0, 1.0)]
    series = {"replications": {"log_log_slope": 1.02}}
    linear = by_name(evaluate_targets(results(vector, scaling=series)))["linear in replications"]
    assert linear["measured"] == 1.02 and linear["met"] is True


def test_the_engine_target_notes_the_run_on_every_core():
    vector = [measurement("vector", 1000, 0.45, 0.3), measurement("vector", 10_000, 6.0, 2.5)]
    measured = results(vector)
    measured["every_core"] = {"replications": 10_000, "workers": 2, "seconds": {"median": 3.5}}
    engine = by_name(evaluate_targets(measured))["engine time"]
    assert engine["met"] is False  # judged on one process
    assert engine["note"] == "one process; on 2 worker processes (sim.runs.montecarlo.run): 3.5 s"
