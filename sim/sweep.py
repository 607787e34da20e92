"""``sim sweep``: one parameter over several values, everything else held equal.

Each value is a variant of the base scenario (a ``--set`` override) run with the same
seed, so every other uncertain input takes the same draws in every variant (common random
numbers): differences along the sweep are the parameter's effect, not noise between runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import Problem, ScenarioError
from sim.montecarlo import Run, run
from sim.scenario import load_scenario
from sim.stats import summarise


@dataclass
class Variant:
    """One point of a sweep: the value given and the finished run."""

    value: str
    run: Run


def sweep(
    path: str | Path,
    parameter: str,
    values: Sequence[str],
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> list[Variant]:
    """Run the scenario at `path` once per value of `parameter` (a dotted scenario path)."""
    if not values:
        raise ScenarioError([Problem("--values", 1, "", "give at least one value")])
    scenarios = [load_scenario(path, [*overrides, f"{parameter}={value}"]) for value in values]
    base_seed = scenarios[0].seed if seed is None else seed
    return [
        Variant(value, run(scenario, replications, base_seed, progress=progress))
        for value, scenario in zip(values, scenarios, strict=True)
    ]


def default_metrics(variant: Variant) -> list[str]:
    """Metrics to show when none are named: each end item's stock and deliveries at the end."""
    metrics = variant.run.outcomes.metrics
    last = variant.run.scenario.year_list()[-1]
    chosen = [
        name
        for item in variant.run.network.items
        for name in (f"item.{item}.stock_end.{last}", f"item.{item}.deliveries")
        if f"item.{item}.stock_end.{last}" in metrics and name in metrics
    ]
    return chosen or list(metrics)[:4]


def check_metrics(variants: list[Variant], metrics: Sequence[str]) -> None:
    """Every named metric must exist in every variant (else a clear bad-input error)."""
    known = variants[0].run.outcomes.metrics
    problems = [
        Problem("--metric", position, name, _unknown_metric(name, known))
        for position, name in enumerate(metrics, start=1)
        if name not in known
    ]
    if problems:
        raise ScenarioError(problems)


def _unknown_metric(name: str, known: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"no such metric{hint}"


def sweep_summary(
    parameter: str, variants: list[Variant], metrics: Sequence[str]
) -> dict[str, Any]:
    """The sweep as JSON-ready data: per value, per metric, the usual summary."""
    first = variants[0].run
    return {
        "parameter": parameter,
        "values": [variant.value for variant in variants],
        "scenario": {"name": first.scenario.name, "file": first.scenario.file},
        "run": {"engine": first.engine, "replications": first.replications, "seed": first.seed},
        "metrics": {
            name: {
                "unit": first.outcomes.units[name],
                "points": [summarise(variant.run.outcomes.metrics[name]) for variant in variants],
            }
            for name in metrics
        },
    }


def positions(values: Sequence[str]) -> tuple[np.ndarray, str]:
    """Where to plot the swept values: as dates, numbers, or evenly spaced categories."""
    try:
        dates = [dt.date.fromisoformat(str(value)) for value in values]
        return np.array([d.year + (d.timetuple().tm_yday - 1) / 365.25 for d in dates]), "date"
    except ValueError:
        pass
    try:
        return np.array([float(value) for value in values]), "number"
    except ValueError:
        return np.arange(len(values), dtype=float), "category"
