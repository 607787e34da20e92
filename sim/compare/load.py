"""Read a finished run back from its output folder: ``report.json`` and ``replications.csv``.

A comparison needs more than the summaries in ``report.json``: a paired confidence
interval rests on the per-replication values, which only ``replications.csv`` holds. Both
files are checked against each other, because a folder assembled from two different runs
would otherwise yield a confident comparison of nothing. Every problem is a one-line
:class:`~sim.errors.RunFolderError` naming the file, never a traceback.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.errors import RunFolderError

REPORT = "report.json"
REPLICATIONS = "replications.csv"


@dataclass(frozen=True)
class RunFolder:
    """A finished run as a comparison sees it."""

    folder: Path
    report: dict[str, Any]
    replications: np.ndarray
    """Replication index of each row of `values` (0, 1, 2, … for a whole run)."""
    values: dict[str, np.ndarray]
    """Metric name → value per replication, float64, NaN where undefined."""

    @property
    def name(self) -> str:
        """The scenario's name."""
        return str(self.report["scenario"]["name"])

    @property
    def seed(self) -> int:
        """The seed the run was made with."""
        return int(self.report["run"]["seed"])

    @property
    def replication_count(self) -> int:
        """How many replications the run has."""
        return int(self.report["run"]["replications"])

    @property
    def years(self) -> list[int]:
        """The calendar years the run simulated."""
        return [int(year) for year in self.report["years"]]

    def unit(self, metric: str) -> str:
        """The unit of `metric` as the run reported it."""
        return str(self.report["metrics"][metric].get("unit", ""))


def load_run(folder: str | Path) -> RunFolder:
    """Read and cross-check the run in `folder`; raise RunFolderError if it is not one."""
    folder = Path(folder)
    if not folder.exists():
        raise RunFolderError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise RunFolderError(f"{folder}: not a folder (give the output folder of `sim run`)")
    if not (folder / REPORT).is_file():
        raise RunFolderError(f"{folder}: not a run folder of `sim run` (no {REPORT})")
    report = _read_report(folder / REPORT)
    replications, values = _read_replications(folder / REPLICATIONS, list(report["metrics"]))
    expected = int(report["run"]["replications"])
    if len(replications) != expected:
        raise RunFolderError(
            f"{folder / REPLICATIONS}: {len(replications):,} rows, but {REPORT} says "
            f"{expected:,} replications"
        )
    if len(np.unique(replications)) != len(replications):
        raise RunFolderError(f"{folder / REPLICATIONS}: a replication appears twice")
    return RunFolder(folder, report, replications, values)


_REQUIRED = (
    ("scenario", "name"),
    ("run", "seed"),
    ("run", "replications"),
    ("years",),
    ("metrics",),
)
"""The keys of report.json a comparison relies on (all part of the DESIGN §6 contract)."""


def _read_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RunFolderError(
            f"{path}:{error.lineno}: not valid JSON ({error.msg}); re-run `sim run`"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunFolderError(f"{path}: cannot read it ({_reason(error)})") from None
    if not isinstance(report, dict):
        raise RunFolderError(f"{path}: not a report (expected a JSON object)")
    for keys in _REQUIRED:
        value: Any = report
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            raise RunFolderError(f"{path}: '{'.'.join(keys)}' is missing")
    if not isinstance(report["metrics"], dict):
        raise RunFolderError(f"{path}: 'metrics' is not a mapping of metric names")
    return report


def _read_replications(path: Path, metrics: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The replication column and the columns of `metrics`; other columns are ignored."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing (a comparison needs every replication)") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RunFolderError(f"{path}: cannot read it ({_reason(error)})") from None
    if not rows or not rows[0] or rows[0][0] != "replication":
        raise RunFolderError(f"{path}: not a replications table (no 'replication' column first)")
    header = rows[0]
    missing = [name for name in metrics if name not in header]
    if missing:
        listed = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
        raise RunFolderError(f"{path}: no column for {len(missing)} reported metric(s): {listed}")
    table = np.empty((len(rows) - 1, len(header)))
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise RunFolderError(f"{path}:{number}: {len(row)} cells, expected {len(header)}")
        try:
            table[number - 2] = [float(cell) if cell else math.nan for cell in row]
        except ValueError:
            raise RunFolderError(f"{path}:{number}: a cell is not a number") from None
    if not np.all(np.isfinite(table[:, 0])):
        raise RunFolderError(f"{path}: a row has no replication number")
    columns = {name: index for index, name in enumerate(header)}
    values = {name: table[:, columns[name]] for name in metrics}
    return table[:, 0].astype(np.int64), values


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)
