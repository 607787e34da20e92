"""``sensitivity.json``: a study as plain JSON-ready data.

Per metric, per studied input (strongest first): the method, the input's rank, each
index with its 95 % interval (``spearman`` and ``srrc`` for the rank method,
``first_order`` and ``total_order`` for Sobol'), and the P5 and P95 of the input's draws
(dates as days since 1 January of the start year). Undefined numbers are ``null``.
"""

from __future__ import annotations

from typing import Any

from sim import __version__
from sim.parameter_id import ParameterId
from sim.sensitivity.estimates import InputSensitivity, MetricSensitivity
from sim.sensitivity.study import Study

SCHEMA_VERSION = 1

NOISE_NOTE = (
    "Inputs are the uncertain scalars drawn once per replication. Randomness drawn per "
    "event (disruption events, unit failures, ship arrivals, engine removals) and yes/no "
    "draws (whether a conflict happens or a certification succeeds) are not inputs: both "
    "methods treat them as noise. Rank: noise lowers every correlation and the rank "
    "regression's R². Sobol': noise and unstudied inputs form the input "
    "'(everything else)'."
)


def study_json(study: Study) -> dict[str, Any]:
    """The whole study: scenario, method and cost, then each metric's sensitivities."""
    request = study.request
    scenario = request.scenario
    size_key = "base_samples" if request.method == "sobol" else "replications"
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": {
            "name": scenario.name,
            "file": scenario.file,
            "sha256": scenario.sha256,
            "overrides": scenario.overrides,
        },
        "method": request.method,
        "run": {
            "engine": "vector",
            "seed": request.seed,
            size_key: request.size,
            "model_runs": request.model_runs,
            "inputs": len(request.inputs),
            "sim_version": __version__,
            "wall_seconds": round(study.wall_seconds, 3),
        },
        "noise": NOISE_NOTE,
        "metrics": {result.metric: metric_json(result, study.ranges) for result in study.results},
    }


def metric_json(
    result: MetricSensitivity, ranges: dict[ParameterId, tuple[float, float]]
) -> dict[str, Any]:
    """One metric: how many runs it rests on, diagnostics, and every input by rank."""
    entry: dict[str, Any] = {
        "unit": result.unit,
        "method": result.method,
        "ranked_by": result.lead,
        "n": result.replications,
        "varies": result.varies,
        **result.fit,
    }
    if result.remainder is not None:
        entry["remainder"] = _indices(result.remainder, result.method)
    entry["inputs"] = {
        item.name: {
            "kind": item.input.kind.value,
            **_indices(item, result.method),
            **_range(ranges.get(item.input)),
        }
        for item in result.inputs
    }
    return entry


def _indices(item: InputSensitivity, method: str) -> dict[str, Any]:
    values: dict[str, Any] = {"method": method}
    if item.rank:
        values["rank"] = item.rank
    for key, estimate in item.estimates.items():
        values[key] = estimate.value
        values[f"{key}_ci95"] = [estimate.low, estimate.high]
    return values


def _range(bounds: tuple[float, float] | None) -> dict[str, float]:
    return {} if bounds is None else {"p5": bounds[0], "p95": bounds[1]}
