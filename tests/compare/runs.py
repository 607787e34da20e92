"""Run folders for the comparison tests: hand-made ones, and small real runs.

A hand-made folder holds only what ``sim compare`` reads (report.json with the contract
keys, replications.csv), so a test states its numbers exactly. Real runs come from two
scenarios that differ in one line only, to check common random numbers end to end.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from sim.loading import load_scenario
from sim.report.writer import write_report
from sim.runs.montecarlo import run

TWO_LINES = """\
name: {name}
start_year: 2026
years: 3
seed: 7
items:
  Alpha: {{unit: missiles}}
  Beta: {{unit: missiles}}
lines:
  alpha-us:
    country: US
    makes: Alpha
    capacity: {{initial: 100, target: 400, growth_cap: {{uniform: [0.1, 0.5]}}}}
    disruptions: {{per_year: 2, days: {{uniform: [10, 60]}}, capacity_lost: 0.5}}
  beta-us:
    country: US
    makes: Beta
    capacity: {{initial: {beta_initial}, target: 400, growth_cap: {{uniform: [0.1, 0.5]}}}}
    disruptions: {{per_year: 2, days: {{uniform: [10, 60]}}, capacity_lost: 0.5}}
stockpiles:
  Alpha: {{US: 50}}
  Beta: {{US: 50}}
demand:
  - {{item: Alpha, owner: US, per_year: 150}}
  - {{item: Beta, owner: US, per_year: 150}}
"""
"""Two independent lines; variants differ only in beta-us's starting capacity."""


def write_folder(
    folder: Path,
    values: dict[str, list[float]],
    *,
    name: str = "plan",
    seed: int = 1,
    units: dict[str, str] | None = None,
    years: tuple[int, ...] = (2026,),
) -> Path:
    """A minimal run folder whose replications take exactly `values` (NaN: undefined)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = len(next(iter(values.values())))
    metrics = {
        metric: {"unit": (units or {}).get(metric, "missiles"), "mean": None} for metric in values
    }
    report = {
        "schema_version": 1,
        "scenario": {"name": name, "file": f"{name}.yaml", "sha256": "0" * 64},
        "run": {"engine": "vector", "replications": count, "seed": seed},
        "years": list(years),
        "metrics": metrics,
    }
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    with (folder / "replications.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["replication", *values])
        for index in range(count):
            row = [values[metric][index] for metric in values]
            writer.writerow([index, *("" if math.isnan(v) else repr(v) for v in row)])
    return folder


def real_run(folder: Path, name: str, beta_initial: int, seed: int, replications: int) -> Path:
    """Run the two-line scenario and write its report folder under `folder`."""
    scenario_file = folder / f"{name}.yaml"
    scenario_file.write_text(TWO_LINES.format(name=name, beta_initial=beta_initial))
    finished = run(load_scenario(scenario_file), replications, seed)
    return write_report(finished, folder / name)
