"""``report.json``: the contract of DESIGN §6, built from a finished run."""

from __future__ import annotations

import json
import math
from typing import Any

from sim.report.csv import replications_file
from sim.report.history import history_records, kept_values
from sim.runs.montecarlo import Run

SCHEMA_VERSION = 1


def build_report(run: Run) -> dict[str, Any]:
    """The report of `run` as plain JSON-ready data."""
    scenario = run.scenario
    summaries = run.summaries
    metrics = {name: dict(summary) for name, summary in summaries.metrics.items()}
    series = {
        name: {**_time_axis(scenario.start_year, scenario.years, len(band["mean"])), **band}
        for name, band in summaries.series.items()
    }
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "name": scenario.name,
            "file": scenario.file,
            "sha256": scenario.sha256,
            "description": scenario.description,
            "extends": scenario.files[1:],
            "overrides": scenario.overrides,
            "effective_sha256": scenario.effective_sha256,
            "resolved": scenario.document,
        },
        "run": {
            "engine": run.engine,
            "replications": run.replications,
            "seed": run.seed,
            "sim_version": run.version,
            "wall_seconds": round(run.wall_seconds, 3),
            "total_wall_seconds": round(run.total_wall_seconds, 3),
            "part_wall_seconds": [round(seconds, 3) for seconds in run.part_seconds],
            "percentiles": summaries.percentiles,
        },
        "years": scenario.year_list(),
        "metrics": metrics,
        "series": series,
        "files": {"replications": replications_file(run.replications, len(metrics))},
        "sources": {
            key: {k: (str(v) if v is not None else None) for k, v in source.model_dump().items()}
            for key, source in scenario.sources.items()
        },
    }
    if run.precision is not None:
        report["run"]["precision"] = run.precision
    if scenario.history:
        report["history"] = history_records(scenario, metrics, kept_values(run))
    if scenario.headline_year is not None:
        report["scenario"]["headline_year"] = scenario.headline_year
    if run.against is not None:
        report["against"] = run.against.json()
    if run.marginal is not None:
        report["marginal"] = run.marginal.json()
    return report


def _time_axis(start_year: int, years: int, points: int) -> dict[str, list]:
    """Label a series' points: months ('2027-03') or years, whichever it has; else indices."""
    if points == 12 * years:
        return {"months": [f"{start_year + m // 12}-{m % 12 + 1:02d}" for m in range(points)]}
    if points == years:
        return {"years": list(range(start_year, start_year + years))}
    return {"points": list(range(points))}


def dumps(report: dict[str, Any]) -> str:
    """Serialise with NaN and infinity as null (JSON has neither)."""
    return json.dumps(_finite(report), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
