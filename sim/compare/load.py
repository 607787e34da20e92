"""Read a finished run back from its output folder: ``report.json`` and ``replications.csv``.

A comparison needs more than the summaries in ``report.json``: a paired confidence
interval rests on the per-replication values, which only ``replications.csv`` holds (or
``replications.csv.gz``, which ``sim run`` writes instead for a huge table). Both
files are checked against each other, because a folder assembled from two different runs
would otherwise yield a confident comparison of nothing. Every problem is a one-line
:class:`~sim.errors.RunFolderError` naming the file, never a traceback.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from sim.errors import RunFolderError
from sim.report.csv import COMPRESSED, PLAIN, file_digest
from sim.scenario.limits import replications_problem

REPORT = "report.json"


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
    path = replications_path(folder, report)
    _check_digest(path, report)
    expected = int(report["run"]["replications"])
    replications, values = _read_replications(path, list(report["metrics"]), expected)
    if len(np.unique(replications)) != len(replications):
        raise RunFolderError(f"{path}: a replication appears twice")
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
    _check_types(path, report)
    return report


def _check_types(path: Path, report: dict[str, Any]) -> None:
    """Each field a comparison computes with has the type and range `sim run` writes."""
    run = report["run"]
    problem = replications_problem(run["replications"])
    if problem:
        raise RunFolderError(f"{path}: 'run.replications' {problem}")
    seed = run["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise RunFolderError(f"{path}: 'run.seed' must be a whole number of at least 0")
    years = report["years"]
    if not isinstance(years, list) or not years:
        raise RunFolderError(f"{path}: 'years' must be a list of calendar years")
    if not all(isinstance(year, int) and not isinstance(year, bool) for year in years):
        raise RunFolderError(f"{path}: 'years' must be a list of calendar years")
    if not isinstance(report["scenario"]["name"], str):
        raise RunFolderError(f"{path}: 'scenario.name' must be text")


def _check_digest(table: Path, report: dict[str, Any]) -> None:
    """The table is the one this report.json was written with, if the report says which.

    Reports before the checksum was recorded, and a table since compressed or unpacked
    (another file name), are checked by their row count only.
    """
    files = report.get("files")
    if not isinstance(files, dict) or files.get("replications") != table.name:
        return
    expected = files.get("replications_sha256")
    if not isinstance(expected, str):
        return
    try:
        actual = file_digest(table)
    except OSError as error:
        raise RunFolderError(f"{table}: cannot read it ({_reason(error)})") from None
    if actual != expected:
        raise RunFolderError(
            f"{table}: not the table written with {REPORT} (its checksum differs: damaged, "
            "or copied from another run?); re-run `sim run`"
        )


def replications_path(folder: Path, report: dict[str, Any]) -> Path:
    """The folder's replications table: ``replications.csv`` or ``replications.csv.gz``.

    ``sim run`` writes one of the two (the compressed one for a huge table) and names it
    in ``report.json`` under ``files.replications``; a user may since have compressed or
    unpacked it, so whichever is there is read, the named one if both are.
    """
    files = report.get("files")
    named = files.get("replications") if isinstance(files, dict) else None
    candidates = [PLAIN, COMPRESSED]
    if named == COMPRESSED:
        candidates.reverse()
    for name in candidates:
        if (folder / name).is_file():
            return folder / name
    raise RunFolderError(
        f"{folder / PLAIN}: missing, and no {COMPRESSED} either "
        "(a comparison needs every replication)"
    )


def _read_replications(
    path: Path, metrics: list[str], expected: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The replication column and the columns of `metrics`; other columns are ignored.

    Streams the file a row at a time, plain or gzip (several members back to back read as
    one), so memory holds the numbers kept (`expected` rows, report.json's count, of the
    columns asked for) and never the table's text. Rows beyond `expected` are only
    counted, for the error message.
    """
    try:
        with _open_table(path) as handle:
            return _parse_table(path, csv.reader(handle), metrics, expected)
    except (OSError, EOFError, zlib.error) as error:
        if path.suffix == ".gz":
            raise RunFolderError(
                f"{path}: damaged gzip file ({_reason(error)}); re-run `sim run`"
            ) from None
        raise RunFolderError(f"{path}: cannot read it ({_reason(error)})") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise RunFolderError(f"{path}: cannot read it ({_reason(error)})") from None


def _open_table(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", newline="", encoding="utf-8")
    return path.open(newline="", encoding="utf-8")


def _parse_table(
    path: Path, reader: Iterator[list[str]], metrics: list[str], expected: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    header = next(reader, None)
    if not header or header[0] != "replication":
        raise RunFolderError(f"{path}: not a replications table (no 'replication' column first)")
    missing = [name for name in metrics if name not in header]
    if missing:
        listed = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
        raise RunFolderError(f"{path}: no column for {len(missing)} reported metric(s): {listed}")
    positions = {name: index for index, name in enumerate(header)}
    kept = [0, *(positions[name] for name in metrics)]
    pick = itemgetter(*kept) if len(kept) > 1 else lambda row: (row[0],)
    table = np.empty((max(expected, 0), len(kept)))
    rows = 0
    for number, row in enumerate(reader, start=2):  # the header is line 1
        if len(row) != len(header):
            raise RunFolderError(f"{path}:{number}: {len(row)} cells, expected {len(header)}")
        if rows < expected:
            table[rows] = _numbers(path, number, pick(row))
        rows += 1
    if rows != expected:
        raise RunFolderError(f"{path}: {rows:,} rows, but {REPORT} says {expected:,} replications")
    if not np.all(np.isfinite(table[:, 0])):
        raise RunFolderError(f"{path}: a row has no replication number")
    values = {name: table[:, column] for column, name in enumerate(metrics, start=1)}
    return table[:, 0].astype(np.int64), values


def _numbers(path: Path, number: int, cells: tuple[str, ...]) -> list[float]:
    """`cells` as floats, NaN where a cell is empty (an undefined metric)."""
    try:
        return list(map(float, cells))
    except ValueError:
        pass
    try:
        return [float(cell) if cell else math.nan for cell in cells]
    except ValueError:
        raise RunFolderError(f"{path}:{number}: a cell is not a number") from None


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error)
