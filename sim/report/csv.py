"""``replications.csv``: one row per replication, one column per scalar metric."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from sim.outcomes import Outcomes


def write_replications(outcomes: Outcomes, path: Path) -> None:
    """Write every metric of every replication; empty cells where undefined."""
    names = list(outcomes.metrics)
    columns = [outcomes.metrics[name] for name in names]
    table = np.column_stack(columns) if columns else np.zeros((len(outcomes.replications), 0))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["replication", *names])
        for index, row in zip(outcomes.replications, table, strict=True):
            writer.writerow([index, *(_cell(v) for v in row)])


def _cell(value: float) -> str:
    if not np.isfinite(value):
        return ""
    return str(int(value)) if value == int(value) else repr(float(value))
