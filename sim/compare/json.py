"""``comparison.json``: the contract of DESIGN §6, plus what a script needs to trust it.

Two runs give one comparison object at the top level::

    {"schema_version": 1, "method": "paired", "method_note": "...",
     "run_a": {...}, "run_b": {...}, "years": [...],
     "metrics": {"item.PAC-3 MSE.stock_end.2030":
                   {"a": <mean of A>, "b": <mean of B>, "diff": <mean of B - A>,
                    "ci95": [lo, hi], "paired": true, "unit": "missiles",
                    "direction": "higher", "n_pairs": 1000, "b_better_share": ..., ...}},
     "only_in_a": [...], "only_in_b": [...],
     "differences": {"scenario_recorded": true, "changes": [{"path": "lines.x.opens",
                     "kind": "changed", "a": "2028-01-01", "b": "2029-01-01"}, ...],
                     "overrides": {"a": [...], "b": [...]}, "run": {"seed": {"a": 1, "b": 2}}}}

``differences`` says how B's inputs differ from A's (:mod:`sim.compare.differences`):
every scenario key by its dotted path (``kind`` changed, added or removed), each run's
``--set`` overrides, and the run settings that differ.

Three or more runs give ``{"schema_version": 1, "reference": <run A>, "comparisons":
[<one object as above per later run>]}``: each element has exactly the two-run shape, so
a script reads every pair the same way. Undefined numbers (no replication where both
values exist) are ``null``.
"""

from __future__ import annotations

from typing import Any

from sim.compare.comparison import Comparison, MetricComparison
from sim.compare.load import RunFolder
from sim.compare.value import per_billion_json
from sim.report.json import SCHEMA_VERSION


def comparisons_json(comparisons: list[Comparison]) -> dict[str, Any]:
    """The content of comparison.json for B against A, or for each later run against A."""
    if len(comparisons) == 1:
        return comparison_json(comparisons[0])
    return {
        "schema_version": SCHEMA_VERSION,
        "reference": run_json(comparisons[0].run_a, comparisons[0].label_a),
        "comparisons": [comparison_json(comparison) for comparison in comparisons],
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """One pair of runs."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "method": "paired" if comparison.paired else "welch",
        "method_note": comparison.method,
        "run_a": run_json(comparison.run_a, comparison.label_a),
        "run_b": run_json(comparison.run_b, comparison.label_b),
        "years": comparison.years,
        "metrics": {name: metric_json(entry) for name, entry in comparison.metrics.items()},
        "only_in_a": comparison.only_in_a,
        "only_in_b": comparison.only_in_b,
    }
    if comparison.differences is not None:
        document["differences"] = comparison.differences.json()
    if comparison.per_billion is not None:
        document["per_billion"] = per_billion_json(comparison.per_billion)
    return document


def run_json(run: RunFolder, label: str) -> dict[str, Any]:
    """Which run this is: enough to find it again and to check the pairing."""
    scenario, facts = run.report["scenario"], run.report["run"]
    return {
        "label": label,
        "folder": str(run.folder),
        "scenario": scenario.get("name"),
        "file": scenario.get("file"),
        "sha256": scenario.get("sha256"),
        "engine": facts.get("engine"),
        "seed": facts.get("seed"),
        "replications": facts.get("replications"),
        "sim_version": facts.get("sim_version"),
    }


def metric_json(entry: MetricComparison) -> dict[str, Any]:
    """The DESIGN §6 keys first (a, b, diff, ci95, paired), then the supporting ones."""
    difference = entry.difference
    return {
        "a": difference.a,
        "b": difference.b,
        "diff": difference.diff,
        "ci95": list(difference.ci95),
        "paired": difference.paired,
        "unit": entry.unit,
        "direction": entry.direction,
        "n_a": difference.n_a,
        "n_b": difference.n_b,
        "n_pairs": difference.n_pairs,
        "sd_diff": difference.sd_diff,
        "p5_diff": difference.p5_diff,
        "p95_diff": difference.p95_diff,
        "pooled_sd": difference.pooled_sd,
        "standardised_diff": difference.standardised,
        "b_better_share": entry.b_better_share,
        "b_worse_share": entry.b_worse_share,
    }
