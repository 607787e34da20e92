"""``report.json``: the contract of DESIGN §6, built from a finished run."""

from __future__ import annotations

import json
import math
from typing import Any

from sim.montecarlo import Run
from sim.stats import band, summarise

SCHEMA_VERSION = 1


def build_report(run: Run) -> dict[str, Any]:
    """The report of `run` as plain JSON-ready data."""
    scenario = run.scenario
    outcomes = run.outcomes
    metrics = {
        name: {"unit": outcomes.units[name], **summarise(values)}
        for name, values in outcomes.metrics.items()
    }
    calendar = run.network.calendar
    months = [
        f"{calendar.start.year + m // 12}-{m % 12 + 1:02d}" for m in range(12 * scenario.years)
    ]
    series = {
        name: {"months": months, **{k: v.tolist() for k, v in band(values).items()}}
        for name, values in outcomes.series.items()
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "name": scenario.name,
            "file": scenario.file,
            "sha256": scenario.sha256,
            "description": scenario.description,
            "extends": scenario.files[1:],
            "overrides": scenario.overrides,
            "effective_sha256": scenario.effective_sha256,
        },
        "run": {
            "engine": run.engine,
            "replications": run.replications,
            "seed": run.seed,
            "sim_version": run.version,
            "wall_seconds": round(run.wall_seconds, 3),
        },
        "years": scenario.year_list(),
        "metrics": metrics,
        "series": series,
        "sources": {
            key: {k: (str(v) if v is not None else None) for k, v in source.model_dump().items()}
            for key, source in scenario.sources.items()
        },
    }


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
