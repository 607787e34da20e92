"""Compare runs metric by metric: B against A, or every later run against the first.

The method is decided once per pair of runs, not per metric: replications pair up only
when both runs used the same seed and the same replication count (DESIGN §3: the same
seed gives the same draws to the same named parameters). Then every metric is compared
paired; otherwise every metric uses Welch's interval. Metrics reported by only one run
(a line that exists only in B, a conflict's recovery time) cannot be compared and are
listed instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.compare.differences import RunDifferences, run_differences
from sim.compare.load import RunFolder
from sim.compare.measures import Direction, MetricName, parse_metric
from sim.compare.statistics import (
    Difference,
    better_shares,
    paired_difference,
    welch_difference,
)
from sim.compare.value import PerBillion, per_billion


@dataclass(frozen=True)
class MetricComparison:
    """One metric of both runs."""

    metric: MetricName
    unit: str
    difference: Difference
    b_better_share: float | None
    """Paired and with a direction only: share of replications where B is strictly better."""
    b_worse_share: float | None

    @property
    def direction(self) -> Direction | None:
        """Which way is better for this metric (None: neither)."""
        return self.metric.direction


@dataclass(frozen=True)
class Comparison:
    """Run B against run A."""

    run_a: RunFolder
    run_b: RunFolder
    label_a: str
    label_b: str
    paired: bool
    method: str
    """Why the runs were (or were not) paired, in words."""
    metrics: dict[str, MetricComparison]
    """Every metric both runs report, in run A's order."""
    only_in_a: list[str]
    only_in_b: list[str]
    per_billion: PerBillion | None = None
    """Extra missiles per extra billion US$, when both runs report spending."""
    differences: RunDifferences | None = None
    """How B's scenario, overrides and settings differ from A's."""

    @property
    def years(self) -> list[int]:
        """Calendar years both runs simulated."""
        return [year for year in self.run_a.years if year in set(self.run_b.years)]

    @property
    def slug(self) -> str:
        """'co-production-vs-baseline': names this pair's files when there are several."""
        return f"{slug(self.label_b)}-vs-{slug(self.label_a)}"


def compare_runs(runs: list[RunFolder]) -> list[Comparison]:
    """Every run after the first against the first (at least two runs)."""
    if len(runs) < 2:
        raise ValueError("a comparison needs at least two runs")
    labels = run_labels(runs)
    return [
        compare_pair(runs[0], run, labels[0], label)
        for run, label in zip(runs[1:], labels[1:], strict=True)
    ]


def compare_pair(run_a: RunFolder, run_b: RunFolder, label_a: str, label_b: str) -> Comparison:
    """Every metric of `run_b` against `run_a`, paired when their replications pair up."""
    paired, method = pairing(run_a, run_b)
    order_a, order_b = np.argsort(run_a.replications), np.argsort(run_b.replications)
    shared = [name for name in run_a.values if name in run_b.values]
    metrics = {}
    for name in shared:
        a, b = run_a.values[name][order_a], run_b.values[name][order_b]
        metric = parse_metric(name)
        difference = paired_difference(a, b) if paired else welch_difference(a, b)
        better = worse = None
        if paired and metric.direction is not None:
            better, worse = better_shares(a, b, metric.direction == "higher")
        metrics[name] = MetricComparison(metric, run_a.unit(name), difference, better, worse)
    return Comparison(
        run_a=run_a,
        run_b=run_b,
        label_a=label_a,
        label_b=label_b,
        paired=paired,
        method=method,
        metrics=metrics,
        only_in_a=[name for name in run_a.values if name not in run_b.values],
        only_in_b=[name for name in run_b.values if name not in run_a.values],
        per_billion=per_billion(run_a, run_b, paired),
        differences=run_differences(run_a, run_b),
    )


def pairing(run_a: RunFolder, run_b: RunFolder) -> tuple[bool, str]:
    """Whether replication i of A and of B share their draws, and why, in words."""
    if run_a.seed != run_b.seed:
        return False, (
            f"not paired: the runs used different seeds ({run_a.seed} and {run_b.seed}), so "
            "their replications are independent; Welch's t interval"
        )
    if run_a.replication_count != run_b.replication_count:
        return False, (
            f"not paired: the runs have different replication counts "
            f"({run_a.replication_count:,} and {run_b.replication_count:,}); Welch's t interval"
        )
    if not np.array_equal(np.sort(run_a.replications), np.sort(run_b.replications)):
        return False, "not paired: the runs hold different replications; Welch's t interval"
    return True, (
        f"paired: same seed ({run_a.seed}) and {run_a.replication_count:,} replications each, "
        "so replication i of both runs drew the same values for every parameter they share "
        "(common random numbers); Student t interval on the per-replication differences"
    )


def run_labels(runs: list[RunFolder]) -> list[str]:
    """A short, distinct name per run: the scenario's name, else the folder's name."""
    for candidates in ([run.name for run in runs], [run.folder.name for run in runs]):
        if len(set(candidates)) == len(candidates):
            return candidates
    return [f"{run.folder.name} ({index})" for index, run in enumerate(runs, start=1)]


def slug(text: str) -> str:
    """`text` made safe for a file or folder name: 'PAC 3/x' → 'PAC-3-x'."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "run"


def default_folder(comparisons: list[Comparison]) -> Path:
    """results/compare-<A>-vs-<B>[-vs-<C>…]/ (DESIGN §5 puts all output under results/)."""
    labels = [comparisons[0].label_a, *(comparison.label_b for comparison in comparisons)]
    return Path("results") / ("compare-" + "-vs-".join(slug(label) for label in labels))
