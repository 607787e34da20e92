"""Per-replication values in tidy long form: one row per replication, metric and year.

``replications.csv`` is wide (a column per metric), which suits a spreadsheet; analysis
code (pandas, R, DuckDB) would rather group and filter a long table whose yearly
metrics are split into the family's name and the year:

    replication  metric                        year  value
    0            item.AIM-120.stock_end        2030  14102.0
    0            item.AIM-120.shortfall        <NA>  0.0

The split is the catalogue's (:func:`sim.catalogue.without_year`), so it is exact; a
metric of the whole horizon has no year (``item.AIM-120.deliveries`` with no year is the
horizon's total beside each year's).
The same columns make :meth:`sim.api.Result.to_frame` ``(form="long")`` and the optional
``replications.parquet`` of ``sim run --parquet``, which is written a chunk at a time
(one row group each), so a run of millions of replications never holds its table whole.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sim.catalogue import without_year
from sim.errors import RunError

PARQUET = "replications.parquet"
NO_YEAR = -1
"""The year of a metric that has none, in :func:`long_columns` (null in pandas/Parquet)."""


def split_names(names: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The metric families of `names` (each once, in first-seen order), and per name the
    index of its family and its year (:data:`NO_YEAR` for a metric without one)."""
    families: dict[str, int] = {}
    codes = np.empty(len(names), dtype=np.int32)
    years = np.full(len(names), NO_YEAR, dtype=np.int32)
    for position, name in enumerate(names):
        family = without_year(name)
        if family is not None:
            years[position] = int(name.rsplit(".", 1)[1])
        codes[position] = families.setdefault(family or name, len(families))
    return list(families), codes, years


def long_columns(
    names: Sequence[str], values: np.ndarray, replications: Sequence[int]
) -> tuple[list[str], dict[str, np.ndarray]]:
    """The long form of `values` ((metrics, replications), rows in `names` order).

    Rows go replication by replication, each replication's metrics in `names` order.
    Returns the metric families and the columns ``replication``, ``metric`` (the index
    of the row's family), ``year`` and ``value``.
    """
    families, codes, years = split_names(names)
    count = len(replications)
    return families, {
        "replication": np.repeat(np.asarray(replications, dtype=np.int64), len(names)),
        "metric": np.tile(codes, count),
        "year": np.tile(years, count),
        "value": np.asarray(values, dtype=np.float64).T.reshape(-1),
    }


def long_frame(names: Sequence[str], values: np.ndarray, replications: Sequence[int]) -> Any:
    """The long form as a pandas DataFrame (metric categorical, year nullable)."""
    pandas = _import("pandas", "to_frame()")
    families, columns = long_columns(names, values, replications)
    year = pandas.array(columns["year"], dtype="Int32")
    year[columns["year"] == NO_YEAR] = pandas.NA
    return pandas.DataFrame(
        {
            "replication": columns["replication"],
            "metric": pandas.Categorical.from_codes(columns["metric"], categories=families),
            "year": year,
            "value": columns["value"],
        }
    )


def write_parquet(chunks: Iterable[Any], path: Path) -> None:
    """Write the long form of a run's chunks (:class:`ChunkResult`) to `path` (Parquet)."""
    arrow = _import("pyarrow", "--parquet")
    parquet = _import("pyarrow.parquet", "--parquet")
    writer = None
    try:
        for chunk in chunks:
            table = _arrow_table(arrow, chunk.metric_names, chunk.metrics, chunk.replications)
            if writer is None:
                writer = parquet.ParquetWriter(path, table.schema, compression="zstd")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _arrow_table(
    arrow: Any, names: Sequence[str], values: np.ndarray, replications: Sequence[int]
) -> Any:
    families, columns = long_columns(names, values, replications)
    return arrow.table(
        {
            "replication": arrow.array(columns["replication"]),
            "metric": arrow.DictionaryArray.from_arrays(
                arrow.array(columns["metric"]), arrow.array(families)
            ),
            "year": arrow.array(columns["year"], mask=columns["year"] == NO_YEAR),
            "value": arrow.array(columns["value"], from_pandas=True),  # NaN → null
        }
    )


def require_parquet() -> None:
    """Fail before any work if ``--parquet`` cannot be written (pyarrow missing)."""
    _import("pyarrow.parquet", "--parquet")


def _import(module: str, needed_by: str) -> Any:
    """An optional dependency, or a one-line error saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        extra = "parquet" if package == "pyarrow" else "test"
        raise RunError(
            f"{needed_by} needs {package}: pip install {package} (or the package's [{extra}] extra)"
        ) from None
