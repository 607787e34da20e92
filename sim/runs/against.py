"""A plan against its counterfactual, in one run (issue 15).

A scenario that ``extends:`` another is a plan written as changes to it, so the question
its reader asks is "what does the plan change?". ``sim run`` therefore runs the parent
file too — the counterfactual — with the plan's seed, replications and engine, on the
same backend (:func:`sim.runs.montecarlo.run_studies`). The same seed gives the same draws to
the same named parameters (DESIGN §3), so replication *i* of the plan and of the
counterfactual saw the same future wherever they share an input, and the paired
per-replication differences isolate the plan's effect (common random numbers). The
comparison itself is ``sim compare``'s (:func:`sim.compare.comparison.compare_pair`),
so ``report.json``'s ``against`` carries exactly comparison.json's fields.

A run too large to keep its per-replication values in memory
(:attr:`sim.runs.montecarlo.Run.kept_outcomes`) is compared from its stored chunks, a group
of metrics at a time within the memory budget, for the headline metrics only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim import catalogue
from sim.compare.comparison import Comparison, MetricComparison, compare_pair
from sim.compare.json import metric_json, run_json
from sim.compare.load import RunFolder
from sim.compare.measures import end_items, is_headline, parse_metric
from sim.compare.value import per_billion_json
from sim.errors import Problem, ScenarioError
from sim.execution.store import ChunkStore, MemoryStore
from sim.loading import load_scenario
from sim.runs.montecarlo import MEMORY_BUDGET, Progress, Run, Study, run_studies
from sim.scenario.model import Scenario

FOLDER = "against"
"""Subfolder of a run's ``OUT/.chunks`` holding the counterfactual's checkpoints."""


@dataclass
class Against:
    """A finished plan's counterfactual: its run and the paired comparison with it."""

    run: Run
    """The counterfactual's run (same seed, replications and engine as the plan)."""
    comparison: Comparison
    """The plan (B) against the counterfactual (A), as ``sim compare`` makes it."""
    scope: str
    """'all': every metric both runs report; 'headline': the headline metrics only (a
    run too large to hold in memory, compared from its chunks)."""
    plan_overrides: list[str]
    """``--set`` overrides, which apply to the plan only."""

    @property
    def name(self) -> str:
        """The counterfactual's label in the report (its scenario name as a rule)."""
        return self.comparison.label_a

    def json(self) -> dict[str, Any]:
        """``report.json``'s ``against``: comparison.json's fields for every metric
        compared (DESIGN §8), and which file and run they come from."""
        comparison = self.comparison
        return {
            "scenario": self.run.scenario.name,
            "file": self.run.scenario.file,
            "effective_sha256": self.run.scenario.effective_sha256,
            "method": "paired" if comparison.paired else "welch",
            "method_note": comparison.method,
            "scope": self.scope,
            "plan_overrides": self.plan_overrides,
            "run_a": run_json(comparison.run_a, comparison.label_a),
            "run_b": run_json(comparison.run_b, comparison.label_b),
            "metrics": {name: metric_json(entry) for name, entry in comparison.metrics.items()},
            "only_in_a": comparison.only_in_a,
            "only_in_b": comparison.only_in_b,
            **(
                {"per_billion": per_billion_json(comparison.per_billion)}
                if comparison.per_billion is not None
                else {}
            ),
        }


def counterfactual_file(scenario: Scenario, against: str | None, no_against: bool) -> str | None:
    """The file to run as `scenario`'s counterfactual: `against` if given, else the file
    the scenario extends directly (its immediate parent), else none."""
    if no_against:
        return None
    if against is not None:
        return against
    files = scenario.files
    return files[1] if len(files) > 1 else None


def load_counterfactual(
    scenario: Scenario,
    against: str | None = None,
    no_against: bool = False,
    allow_extends_outside: bool = False,
    overrides: Sequence[str] = (),
) -> Scenario | None:
    """The counterfactual scenario of `scenario`, loaded and validated, or None.

    A parent found through ``extends:`` was already read, with its whole chain, under the
    extends-safety rule of the plan's folder (:mod:`sim.scenario.variants`), so it is read again
    with that check done; a base in ``bases/`` may extend ``../common.yaml``, which is
    inside the plan's tree though outside its own. A file named by `against` is a
    scenario the user chose: its own ``extends:`` chain must stay in its folder unless
    `allow_extends_outside`. The plan's ``--set`` overrides never apply to it; its own
    (`overrides`, ``--against-set``) do: ``--against`` the plan's own file with
    ``--against-set conflicts.0.surge.approved=0`` measures what the surge does.
    """
    path = counterfactual_file(scenario, against, no_against)
    if path is None:
        if overrides:
            message = "no counterfactual to change: the scenario extends no file (--against)"
            raise ScenarioError([Problem("--against-set", 1, "", message)])
        return None
    if against is not None:
        if not Path(against).is_file():
            raise ScenarioError([Problem("--against", 1, "", f"{against}: no such file")])
        return load_scenario(against, overrides, allow_extends_outside)
    return load_scenario(path, overrides, True)


def run_with_counterfactual(
    scenario: Scenario,
    counterfactual: Scenario,
    replications: int,
    seed: int,
    engine: str = "vector",
    *,
    stores: tuple[ChunkStore, ChunkStore] | None = None,
    trace: str | None = None,
    progress: Progress | None = None,
    memory_budget: int | None = None,
    **execution: Any,
) -> Run:
    """Run `scenario` and `counterfactual` alike; the plan's run, its ``against`` set.

    Both studies share one backend and the same replications, seed and engine; with
    ``precision`` in `execution` they advance together, so they stay paired. `stores`
    (plan's, counterfactual's) keep their chunks to resume; the event trace is the plan's.
    """
    plan_store, counter_store = stores or (MemoryStore(), MemoryStore())
    studies = [
        Study(scenario, seed, engine, plan_store, trace),
        Study(counterfactual, seed, engine, counter_store),
    ]
    plan, counter = run_studies(
        studies, replications, progress=progress, memory_budget=memory_budget, **execution
    )
    budget = MEMORY_BUDGET if memory_budget is None else memory_budget
    plan.against = paired_with(plan, counter, budget)
    return plan


def paired_with(plan: Run, counter: Run, memory_budget: int = MEMORY_BUDGET) -> Against:
    """`plan` against `counter`, metric by metric, paired replication by replication.

    When both runs hold their values in memory, every shared metric is compared. Else
    the headline metrics (and those the report's lead names) are read from the chunks a
    group at a time, each group's two columns per metric within `memory_budget`.
    """
    label_a, label_b = _labels(counter.scenario, plan.scenario)
    units_a, units_b = counter.summaries.units, plan.summaries.units
    shared = [name for name in units_a if name in units_b]
    in_memory = plan.kept_outcomes is not None and counter.kept_outcomes is not None
    chosen = shared if in_memory else headline_names(shared, plan.scenario)
    per_metric = 2 * 8 * max(plan.replications, 1)
    group = len(chosen) if in_memory else max(1, memory_budget // per_metric)
    replications_a, replications_b = _replications(counter), _replications(plan)
    first: Comparison | None = None
    metrics: dict[str, MetricComparison] = {}
    for start in range(0, max(len(chosen), 1), max(group, 1)):
        part = chosen[start : start + group]
        folder_a = RunFolder(
            Path(label_a), _report(counter, part), replications_a, _columns(counter, part)
        )
        folder_b = RunFolder(
            Path(label_b), _report(plan, part), replications_b, _columns(plan, part)
        )
        comparison = compare_pair(folder_a, folder_b, label_a, label_b)
        first = first or comparison
        metrics.update(comparison.metrics)
    assert first is not None
    comparison = dataclasses.replace(
        first,
        metrics=metrics,
        only_in_a=[name for name in units_a if name not in units_b],
        only_in_b=[name for name in units_b if name not in units_a],
    )
    return Against(
        run=counter,
        comparison=comparison,
        scope="all" if in_memory else "headline",
        plan_overrides=plan.scenario.overrides,
    )


def lead_names(names: Sequence[str], years: Sequence[int], year: int) -> dict[str, list[str]]:
    """The metrics the report leads with, in reading order: ``"year"`` those of the
    headline `year`, ``"horizon"`` those of the horizon's end and totals over it.

    Per end item (an item with a stock): deliveries and end stock, and the stock held by
    each owner, in the year; the item's shortfall over the horizon; ship maintenance
    delay and ship-days in maintenance; bare firewalls per engine type.
    """
    last = years[-1]
    stocked = set(end_items(list(names)))
    found = {name: catalogue.family_of(name) for name in names}
    owners: dict[str, set] = {}
    for family, fields in found.values():
        if family is catalogue.ITEM_OWNER_STOCK_END:
            owners.setdefault(str(fields["item"]), set()).add(fields["owner"])

    def pick(families: Sequence[catalogue.Family], when: int | None) -> list[str]:
        chosen = []
        for family in families:
            for name, (found_family, fields) in found.items():
                if found_family is not family:
                    continue
                if "item" in fields and fields["item"] not in stocked:
                    continue
                if when is not None and fields.get("year") != when:
                    continue
                item = str(fields.get("item"))
                if family is catalogue.ITEM_OWNER_STOCK_END and len(owners[item]) < 2:
                    continue  # one owner holds it all: the item's stock says it already
                chosen.append(name)
        return _by_subject(chosen)

    items = (
        catalogue.ITEM_DELIVERIES_IN_YEAR,
        catalogue.ITEM_STOCK_END,
        catalogue.ITEM_OWNER_STOCK_END,
    )
    in_year = (
        catalogue.SHIPS.ship_days_unavailable_in_year,
        catalogue.ENGINE_BARE_FIREWALLS_IN_YEAR,
    )
    totals = (
        catalogue.ITEM_SHORTFALL,
        catalogue.SHIPS.delay_days,
        catalogue.SHIPS.ship_days_unavailable,
        catalogue.ENGINE_BARE_FIREWALLS,
    )
    lead = {"year": pick(items, year) + pick(in_year, year)}
    horizon = pick(items, last) if last != year else []
    lead["horizon"] = _by_subject(horizon + pick(totals, None))
    return lead


def headline_names(names: Sequence[str], scenario: Scenario) -> list[str]:
    """Of `names`, the headline metrics a comparison leads with (:mod:`sim.compare`)
    and those the report's lead names: what a large run compares from its chunks."""
    stocked = set(end_items(list(names)))
    years = scenario.year_list()
    lead = lead_names(names, years, scenario.lead_year)
    wanted = {*lead["year"], *lead["horizon"]}
    return [name for name in names if name in wanted or is_headline(parse_metric(name), stocked)]


def _by_subject(names: list[str]) -> list[str]:
    """`names` grouped by the item (or engine) they are about, first-seen order kept."""
    subjects: dict[str, int] = {}
    for name in names:
        subjects.setdefault(str(catalogue.family_of(name)[1].get("item", "")), len(subjects))
    return sorted(
        names, key=lambda name: subjects[str(catalogue.family_of(name)[1].get("item", ""))]
    )


def _labels(counter: Scenario, plan: Scenario) -> tuple[str, str]:
    """Distinct names for the two runs: scenario names (the counterfactual's with its own
    overrides, when the plan runs against itself changed), else file names."""
    if counter.name != plan.name:
        return counter.name, plan.name
    if counter.overrides != plan.overrides:
        return f"{counter.name} with {', '.join(counter.overrides) or 'no overrides'}", plan.name
    stems = Path(counter.file).stem, Path(plan.file).stem
    return stems if stems[0] != stems[1] else ("counterfactual", "plan")


def _report(run: Run, names: Sequence[str]) -> dict[str, Any]:
    """The part of a report.json a comparison reads (DESIGN §6 keys), for `names`."""
    units = run.summaries.units
    return {
        "scenario": {
            "name": run.scenario.name,
            "file": run.scenario.file,
            "sha256": run.scenario.sha256,
        },
        "run": {
            "engine": run.engine,
            "replications": run.replications,
            "seed": run.seed,
            "sim_version": run.version,
        },
        "years": run.scenario.year_list(),
        "metrics": {name: {"unit": units[name]} for name in names},
    }


def _replications(run: Run) -> np.ndarray:
    if run.kept_outcomes is not None:
        return np.asarray(run.kept_outcomes.replications)
    return np.concatenate([np.arange(r.start, r.stop) for r in run.ranges])


def _columns(run: Run, names: Sequence[str]) -> dict[str, np.ndarray]:
    """Each metric of `names` in every replication: from memory, else from the chunks
    (reading only those metrics' rows of each chunk)."""
    if run.kept_outcomes is not None:
        return {name: run.kept_outcomes.metrics[name] for name in names}
    columns = {name: np.empty(run.replications) for name in names}
    if not names:
        return columns
    offset = 0
    for chunk in run.chunks():
        positions = {name: index for index, name in enumerate(chunk.metric_names)}
        rows = np.asarray(chunk.metrics[[positions[name] for name in names]], dtype=np.float64)
        width = rows.shape[1]
        for name, row in zip(names, rows, strict=True):
            columns[name][offset : offset + width] = row
        offset += width
    return columns
