"""The Python API for notebooks and scripts: the command line's work as plain calls.

::

    from sim import load_scenario, run, compare

    baseline = run("scenarios/baseline.yaml", reps=2000)
    plan = run("scenarios/co-production.yaml", reps=2000)
    plan.summary("item.AIM-120.stock_end.2030")      # {'unit': 'missiles', 'mean': ..., ...}
    plan.to_frame()                                   # one row per replication (pandas)
    plan.save("results/faco-2028")                    # the same files as `sim run`
    compare(baseline, plan).to_frame()                # B − A per metric, with 95 % CIs

Runs use local worker processes (every core by default) or a Dask cluster, exactly as
``sim run`` does, and give the same numbers. Nothing is written unless asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from sim.compare.comparison import compare_runs
from sim.compare.json import comparison_json, comparisons_json
from sim.compare.load import RunFolder, load_run
from sim.compare.write import write_comparisons
from sim.errors import RunError
from sim.execution.precision import unknown_metric
from sim.loading import load_scenario as _load_scenario
from sim.report.json import build_report
from sim.report.notebook import result_html
from sim.report.tidy import long_frame, write_parquet
from sim.report.writer import write_report
from sim.runs.against import load_counterfactual, run_with_counterfactual
from sim.runs.montecarlo import Run
from sim.runs.montecarlo import run as run_scenario
from sim.scenario.model import Scenario

if TYPE_CHECKING:
    import pandas  # optional: only to_frame() imports it


def load_scenario(
    path: str | Path, overrides: Sequence[str] = (), allow_extends_outside: bool = False
) -> Scenario:
    """Read and validate a scenario file; `overrides` are ``PATH=VALUE`` (as ``--set``).

    ``extends:`` may name files outside the scenario's folder only with
    `allow_extends_outside`. Raises :class:`sim.errors.ScenarioError`, whose ``problems``
    say file, line and path.
    """
    return _load_scenario(path, overrides, allow_extends_outside)


class Result:
    """A finished run: its summaries, per-replication values and report files on request."""

    def __init__(self, finished: Run):
        self.run = finished

    @property
    def scenario(self) -> Scenario:
        """The scenario that was run."""
        return self.run.scenario

    @property
    def replications(self) -> int:
        """How many replications were run."""
        return self.run.replications

    @property
    def seed(self) -> int:
        """The seed the draws came from."""
        return self.run.seed

    @property
    def metrics(self) -> dict[str, dict[str, Any]]:
        """Metric name → summary (unit, mean, sd, ci95, p5, p50, p95, n), as in report.json."""
        return self.run.summaries.metrics

    @property
    def precision(self) -> dict[str, Any] | None:
        """With ``precision=``: the target, whether it was met and how many replications it took."""
        return self.run.precision

    @property
    def against(self) -> Comparison | None:
        """With ``run(..., against=...)``: the plan against its counterfactual, paired."""
        if self.run.against is None:
            return None
        return Comparison([self.run.against.comparison])

    def summary(self, name: str) -> dict[str, Any]:
        """The summary of metric `name` (a KeyError naming close matches if there is none)."""
        if name not in self.metrics:
            raise KeyError(_no_such_metric(name, list(self.metrics)))
        return self.metrics[name]

    def values(self, name: str) -> np.ndarray:
        """Metric `name` in every replication, in replication order (NaN where undefined)."""
        if name not in self.metrics:
            raise KeyError(_no_such_metric(name, list(self.metrics)))
        return self.run.outcomes.metrics[name]

    def to_frame(self, form: Literal["wide", "long"] = "wide") -> pandas.DataFrame:
        """The per-replication values as a pandas DataFrame.

        ``"wide"``: one row per replication, one column per metric (as replications.csv).
        ``"long"``: tidy, one row per replication, metric and year, the columns
        ``replication, metric, year, value``: a yearly metric is split into its family's
        name and the year (``item.AIM-120.stock_end``, 2030), others have no year.
        pandas is not a dependency of sim: install it to use this (``values()`` needs
        nothing more).
        """
        outcomes = self.run.outcomes
        if form == "long":
            names = list(outcomes.metrics)
            values = np.array([outcomes.metrics[name] for name in names])
            return long_frame(names, values, outcomes.replications)
        if form != "wide":
            raise ValueError(f"form must be 'wide' or 'long', not {form!r}")
        pandas = _pandas("values(name) does not")
        frame = pandas.DataFrame(outcomes.metrics, index=np.asarray(outcomes.replications))
        frame.index.name = "replication"
        return frame

    def to_parquet(self, path: str | Path) -> Path:
        """Write the long form of :meth:`to_frame` to a Parquet file (needs pyarrow)."""
        path = Path(path)
        write_parquet(self.run.chunks(), path)
        return path

    def save(self, folder: str | Path) -> Path:
        """Write the report folder ``sim run`` writes (report.json, .md, .html, figures, CSV)."""
        return write_report(self.run, folder)

    def __repr__(self) -> str:
        return (
            f"<Result {self.scenario.name}: {self.replications:,} replications, "
            f"seed {self.seed}, {self.run.engine} engine, {len(self.metrics)} metrics>"
        )

    def _repr_html_(self) -> str:
        """What a notebook shows: the run, then its headline metrics (mean, P5–P95)."""
        return result_html(self.run)


def run(
    scenario: Scenario | str | Path,
    reps: int | None = None,
    seed: int | None = None,
    engine: str = "vector",
    workers: int | None = None,
    *,
    scheduler: Any = None,
    overrides: Sequence[str] = (),
    precision: float | None = None,
    max_reps: int | None = None,
    against: bool | str | Path = False,
) -> Result:
    """Run a scenario (or the scenario file at a path) and return its :class:`Result`.

    `reps` and `seed` default to the scenario's; `workers` local processes default to
    every core (1: this process only); `scheduler` is a Dask address or
    ``distributed.Client``. With `precision` (e.g. 0.01), replications are added until
    every headline metric's 95 % CI is that tight, up to `max_reps`.

    `against` runs a counterfactual alongside, as ``sim run`` does by default: ``True``
    the file the scenario extends, or a path to any scenario file; same seed,
    replications and engine, and `overrides` apply to the plan only. Then
    :attr:`Result.against` is the paired comparison and :meth:`Result.save` writes the
    report that leads with it. Off by default here, so a script pays only for what it asks.
    """
    if not isinstance(scenario, Scenario):
        scenario = _load_scenario(scenario, overrides)
    elif overrides:
        raise ValueError("overrides apply to a scenario file; pass its path instead")
    execution = {
        "workers": workers,
        "scheduler": scheduler,
        "precision": precision,
        "max_replications": max_reps,
    }
    if against is False:
        return Result(run_scenario(scenario, reps, seed, engine, **execution))
    named = None if against is True else str(against)
    counterfactual = load_counterfactual(
        scenario, named, allow_extends_outside=scenario.allow_extends_outside
    )
    if counterfactual is None:
        raise ValueError(f"{scenario.file} extends no file: name the counterfactual, against=PATH")
    finished = run_with_counterfactual(
        scenario,
        counterfactual,
        scenario.replications if reps is None else reps,
        scenario.seed if seed is None else seed,
        engine,
        **execution,
    )
    return Result(finished)


class Comparison:
    """Runs compared with the first: what ``sim compare`` computes, as data."""

    def __init__(self, comparisons: list):
        self.comparisons = comparisons

    @property
    def data(self) -> dict[str, Any]:
        """The content of ``comparison.json``."""
        return comparisons_json(self.comparisons)

    @property
    def metrics(self) -> dict[str, dict[str, Any]]:
        """Metric → a, b, diff, ci95, paired, … for B against A (the first pair)."""
        return comparison_json(self.comparisons[0])["metrics"]

    @property
    def paired(self) -> bool:
        """Whether B and A pair up replication by replication (same seed and count)."""
        return self.comparisons[0].paired

    def to_frame(self) -> pandas.DataFrame:
        """One row per metric of B against A (pandas), the differences and their CIs."""
        pandas = _pandas("use .metrics")
        rows = {
            name: {**entry, "ci95_low": entry["ci95"][0], "ci95_high": entry["ci95"][1]}
            for name, entry in self.metrics.items()
        }
        frame = pandas.DataFrame.from_dict(rows, orient="index").drop(columns="ci95")
        frame.index.name = "metric"
        return frame

    def save(self, folder: str | Path) -> Path:
        """Write the folder ``sim compare`` writes (comparison.json, .md, .html, figures)."""
        return write_comparisons(self.comparisons, folder)


def compare(first: Result | str | Path, *others: Result | str | Path) -> Comparison:
    """Compare each of `others` with `first`; each a :class:`Result` or a run folder.

    Runs with the same seed and replication count are compared replication by
    replication (common random numbers), others by Welch's interval, as ``sim compare``.
    """
    if not others:
        raise ValueError("compare needs at least two runs")
    return Comparison(compare_runs([_run_folder(run) for run in (first, *others)]))


def _run_folder(run: Result | str | Path) -> RunFolder:
    """A run as :mod:`sim.compare` reads it: a folder on disk, or a result in memory."""
    if not isinstance(run, Result):
        return load_run(run)
    outcomes = run.run.outcomes
    return RunFolder(
        folder=Path(run.scenario.name),
        report=build_report(run.run),
        replications=np.asarray(outcomes.replications),
        values=dict(outcomes.metrics),
    )


def _pandas(alternative: str) -> ModuleType:
    """pandas, imported on demand: it is optional for sim."""
    try:
        import pandas
    except ImportError:
        raise RunError(f"to_frame() needs pandas (pip install pandas); {alternative}") from None
    return pandas


def _no_such_metric(name: str, known: list[str]) -> str:
    return f"{name}: {unknown_metric(name, known)}"
