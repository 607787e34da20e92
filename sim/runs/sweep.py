"""``sim sweep``: one parameter over several values, everything else held equal.

Each value is a variant of the base scenario (a ``--set`` override) run with the same
seed, so every other uncertain input takes the same draws in every variant (common random
numbers): differences along the sweep are the parameter's effect, not noise between runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim import catalogue
from sim.errors import Problem, ScenarioError
from sim.execution.precision import unknown_metric
from sim.execution.store import ChunkStore, MemoryStore
from sim.loading import load_scenario
from sim.runs.checkpoint import checkpoint_for
from sim.runs.montecarlo import Progress, Run, Study, run_studies
from sim.scenario.model import Scenario
from sim.simulation import metric_names


@dataclass
class Variant:
    """One point of a sweep: the value given and the finished run."""

    value: str
    run: Run


def variant_label(parameter: str, value: str) -> str:
    """'lines.amraam-jp.opens = 2028-01-01': how tables, figures and messages name a
    variant — by what it is, not by its place in the sweep."""
    return f"{parameter} = {value}"


def variant_folder(number: int, value: str) -> str:
    """'02-2028-01-01': a variant's folder under ``variants/``, its value made safe for a
    file name, after its place in the sweep (which keeps the folders in order and apart
    when two values are written alike once made safe)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", value).strip("-.")
    return f"{number:02d}-{safe}" if safe else f"{number:02d}"


def load_variants(
    path: str | Path,
    parameter: str,
    values: Sequence[str],
    overrides: Sequence[str] = (),
    allow_extends_outside: bool = False,
) -> list[Scenario]:
    """The scenario at `path` once per value of `parameter` (a dotted scenario path)."""
    if not values:
        raise ScenarioError([Problem("--values", 1, "", "give at least one value")])
    return [
        load_scenario(path, [*overrides, f"{parameter}={value}"], allow_extends_outside)
        for value in values
    ]


def sweep(
    path: str | Path,
    parameter: str,
    values: Sequence[str],
    replications: int | None = None,
    seed: int | None = None,
    overrides: Sequence[str] = (),
    progress: Progress | None = None,
    *,
    checkpoints: Path | None = None,
    fresh: bool = False,
    metrics: Sequence[str] = (),
    allow_extends_outside: bool = False,
    **execution: Any,
) -> list[Variant]:
    """Run the scenario at `path` once per value of `parameter`, all with the same seed.

    The variants' chunks share one backend (`execution`: ``workers``, ``scheduler``,
    ``chunk_size``, ``precision``, ``max_replications``, as for
    :func:`sim.runs.montecarlo.run_studies`), so workers stay busy across variants. With
    `checkpoints` (a sweep's ``OUT/.chunks``), variant n's chunks are saved under
    ``<checkpoints>/<nn>/`` and an interrupted sweep resumes. `metrics` are checked
    against what the scenario reports before anything runs.
    """
    scenarios = load_variants(path, parameter, values, overrides, allow_extends_outside)
    base_seed = scenarios[0].seed if seed is None else seed
    stores = [_store(checkpoints, n, s, base_seed, fresh) for n, s in enumerate(scenarios, 1)]
    studies = [Study(s, base_seed, store=store) for s, store in zip(scenarios, stores, strict=True)]
    if metrics:
        check_metric_names(metric_names(studies[0].network, base_seed), metrics)
    runs = run_studies(
        studies,
        scenarios[0].replications if replications is None else replications,
        progress=progress,
        **execution,
    )
    return [Variant(value, result) for value, result in zip(values, runs, strict=True)]


def _store(
    checkpoints: Path | None, number: int, scenario: Scenario, seed: int, fresh: bool
) -> ChunkStore:
    if checkpoints is None:
        return MemoryStore()

    return checkpoint_for(checkpoints / f"{number:02d}", scenario, seed, "vector", fresh)


def default_metrics(variant: Variant) -> list[str]:
    """Metrics to show when none are named: each end item's stock and deliveries at the end."""
    metrics = variant.run.summaries.metrics
    last = variant.run.scenario.year_list()[-1]
    stock, deliveries = catalogue.ITEM_STOCK_END, catalogue.ITEM_DELIVERIES
    chosen = [
        name
        for item in variant.run.network.items
        for name in (stock.name(item=item, year=last), deliveries.name(item=item))
        if stock.name(item=item, year=last) in metrics and name in metrics
    ]
    return chosen or list(metrics)[:4]


def check_metrics(variants: list[Variant], metrics: Sequence[str]) -> None:
    """Every named metric must exist in every variant (else a clear bad-input error)."""
    for variant in variants:
        check_metric_names(list(variant.run.summaries.metrics), metrics)


def check_metric_names(known: Sequence[str], metrics: Sequence[str]) -> None:
    """Every name in `metrics` must be in `known` (``--metric:N: name: no such metric``)."""
    available = set(known)
    problems = [
        Problem("--metric", position, name, unknown_metric(name, known))
        for position, name in enumerate(metrics, start=1)
        if name not in available
    ]
    if problems:
        raise ScenarioError(problems)


def _precision_met(variant: Variant) -> bool:
    """Whether the variant's run met its precision target."""
    # every variant of a sweep runs with the first one's settings, precision included
    assert variant.run.precision is not None
    return variant.run.precision["met"]


def sweep_summary(
    parameter: str, variants: list[Variant], metrics: Sequence[str]
) -> dict[str, Any]:
    """The sweep as JSON-ready data: per value, per metric, the usual summary."""
    first = variants[0].run
    run = {"engine": first.engine, "replications": first.replications, "seed": first.seed}
    if first.precision is not None:
        run["precision"] = {
            "target": first.precision["target"],
            "met": all(_precision_met(variant) for variant in variants),
            "replications": first.precision["replications"],
        }
    return {
        "parameter": parameter,
        "values": [variant.value for variant in variants],
        "variants": [
            {
                "value": variant.value,
                "label": variant_label(parameter, variant.value),
                "folder": f"variants/{variant_folder(number, variant.value)}",
            }
            for number, variant in enumerate(variants, start=1)
        ],
        "scenario": {"name": first.scenario.name, "file": first.scenario.file},
        "run": run,
        "metrics": {
            name: {
                "unit": first.summaries.metrics[name]["unit"],
                "points": [
                    _without_unit(variant.run.summaries.metrics[name]) for variant in variants
                ],
            }
            for name in metrics
        },
    }


def _without_unit(summary: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in summary.items() if key != "unit"}


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
