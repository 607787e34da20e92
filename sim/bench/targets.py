"""The performance targets of the issue, judged on what a benchmark run measured.

Targets are checked here, on measured numbers, rather than asserted in timed unit
tests: on a shared two-core machine a timing test would fail whenever another job ran.
Each target says what was measured and whether it was met; a target whose measurement
the run did not make (``--quick`` runs no 10,000-replication ``sim run``) is neither met
nor missed, and says what a linear extrapolation from the largest measured run gives.
All targets are about the full reference scenario (production, ships and engines).
"""

from __future__ import annotations

from typing import Any

from sim.bench.scaling import log_log_slope

REFERENCE_SCENARIO = "co-production"
TARGET_REPLICATIONS = 10_000
ENGINE_SECONDS = 5.0
END_TO_END_SECONDS = 10.0
SPEEDUP = 50.0
FLOOR_RATIO = 2.0
LINEAR_SLOPE = 1.1
"""Largest log-log slope of engine seconds over replications still called linear."""
MEMORY_BYTES = 2**30


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with its measured value and whether it was met (None: not measured)."""
    scenario = next(s for s in results["scenarios"] if s["name"] == results["reference_scenario"])
    vector = {point["replications"]: point for point in scenario["vector"]}
    largest = vector[max(vector)]
    at_target = vector.get(TARGET_REPLICATIONS)
    end_to_end = results.get("end_to_end")
    full_run = (
        end_to_end if end_to_end and end_to_end["replications"] == TARGET_REPLICATIONS else None
    )
    series = results.get("scaling", {}).get("replications")
    if series:
        slope, slope_basis = series["log_log_slope"], "replications series"
    else:
        counts = sorted(vector)
        slope = log_log_slope(counts, [vector[c]["seconds"]["median"] for c in counts])
        slope_basis = "the measured replication counts"
    extrapolated = largest["seconds"]["median"] * TARGET_REPLICATIONS / largest["replications"]
    engine_note = (
        None if at_target else f"{extrapolated:.1f} s scaled from {largest['replications']:,}"
    )
    every_core = results.get("every_core")
    if at_target and every_core and every_core["replications"] == TARGET_REPLICATIONS:
        engine_note = (
            f"one process; on {every_core['workers']} worker processes (sim.runs.montecarlo.run): "
            f"{every_core['seconds']['median']:.1f} s"
        )
    return [
        _target(
            "engine time, 10,000 replications",
            f"<= {ENGINE_SECONDS:g} s",
            at_target and at_target["seconds"]["median"],
            ENGINE_SECONDS,
            "s",
            engine_note,
        ),
        _target(
            "sim run --reps 10000, end to end",
            f"<= {END_TO_END_SECONDS:g} s",
            full_run and full_run["seconds"]["median"],
            END_TO_END_SECONDS,
            "s",
            None if full_run else "not run at 10,000 replications",
        ),
        _target(
            "NumPy ÷ SimPy replications per second",
            f">= {SPEEDUP:g}×",
            scenario["speedup"],
            SPEEDUP,
            "×",
            f"at {largest['replications']:,} NumPy and {scenario['des']['replications']:,} "
            "SimPy replications",
            at_least=True,
        ),
        _target(
            "engine time ÷ random-number floor",
            f"<= {FLOOR_RATIO:g}×",
            largest["floor_ratio"],
            FLOOR_RATIO,
            "×",
            f"at {largest['replications']:,} replications",
        ),
        _target(
            "linear in replications (log-log slope)",
            f"<= {LINEAR_SLOPE:g}",
            slope,
            LINEAR_SLOPE,
            "",
            f"fitted over {slope_basis}",
        ),
        _memory_target(full_run, scenario.get("memory")),
    ]


def _memory_target(
    full_run: dict[str, Any] | None, memory: dict[str, Any] | None
) -> dict[str, Any]:
    """Judged on the whole ``sim run`` process; else on an in-process run without report."""
    name, wanted = "peak memory, 10,000 replications", "<= 1 GB"
    if full_run:
        measured, note = (
            full_run["peak_bytes"],
            "sim run, its workers and figure children: proportional set sizes, summed",
        )
    elif memory and memory["replications"] == TARGET_REPLICATIONS:
        measured, note = memory["peak_bytes"], "resident peak of a run without the report"
    else:
        measured, note = None, "not run at 10,000 replications"
    return _target(name, wanted, measured, MEMORY_BYTES, "bytes", note)


def _target(
    name: str,
    target: str,
    measured: float | None,
    limit: float,
    unit: str,
    note: str | None,
    at_least: bool = False,
) -> dict[str, Any]:
    met = None if measured is None else (measured >= limit if at_least else measured <= limit)
    return {
        "name": name,
        "target": target,
        "measured": measured,
        "unit": unit,
        "met": met,
        "note": note,
    }
