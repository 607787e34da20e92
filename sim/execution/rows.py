"""The rows of ``replications.csv``, formatted by the worker that computed the chunk.

Formatting a big run's table takes longer than writing it: done by each chunk's worker
(:func:`sim.execution.chunk.compute_chunk`), it runs in parallel with the simulation,
and the report writer (:mod:`sim.report.csv`) only copies the packed rows into place.
Cells: whole numbers without a decimal point, other numbers in Python's shortest
round-trip form (``repr``), empty where a metric is undefined; CRLF line ends.
"""

from __future__ import annotations

import functools
import gzip
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the chunk module packs its rows with this one
    from sim.execution.chunk import ChunkResult

PACK_LEVEL = 1
"""gzip level of the rows a worker packs: fast; digits compress well even so."""
LOOKED_UP = 100_000
"""Whole numbers below this have their text looked up (see :func:`format_rows`)."""


def pack_rows(chunk: ChunkResult) -> bytes:
    """The chunk's rows, gzip-compressed (one gzip member; mtime 0 for stable bytes)."""
    return gzip.compress(encoded_rows(chunk), PACK_LEVEL, mtime=0)


def encoded_rows(chunk: ChunkResult) -> bytes:
    """The chunk's rows as UTF-8 bytes (what the table holds for it)."""
    return format_rows(chunk).encode("utf-8")


def format_rows(chunk: ChunkResult) -> str:
    """The chunk's rows: replication index, then every metric, each row ending CRLF.

    Every cell is the text :func:`cell` gives, made a whole column-mask at a time: most
    cells are small whole numbers (counts, days, stock), whose text is looked up
    (:func:`_whole_numbers`) rather than formatted one by one; the rest are formatted by
    Python, ``int`` then ``str`` for other whole numbers and ``repr`` for fractions.
    """
    values = np.asarray(chunk.metrics, dtype=np.float64).T
    cells = np.full(values.shape, "", dtype=object)
    finite = np.isfinite(values)
    whole = finite & (np.floor(values) == values)
    looked_up = whole & (values >= 0) & (values < LOOKED_UP)
    cells[looked_up] = _whole_numbers()[values[looked_up].astype(np.int64)]
    other = whole & ~looked_up
    cells[other] = [str(int(value)) for value in values[other].tolist()]
    fractions = finite & ~whole
    cells[fractions] = [repr(value) for value in values[fractions].tolist()]
    separator = "," if values.shape[1] else ""
    return "".join(
        f"{index}{separator}" + ",".join(row) + "\r\n"
        for index, row in zip(chunk.replications, cells.tolist(), strict=True)
    )


@functools.cache
def _whole_numbers() -> np.ndarray:
    """The text of 0, 1, …, LOOKED_UP − 1 (built once per process: about 10 ms)."""
    return np.array([str(number) for number in range(LOOKED_UP)], dtype=object)


def cell(value: float) -> str:
    """One value: '' if undefined, '12' if whole, else the shortest round-trip form."""
    if not np.isfinite(value):
        return ""
    return str(int(value)) if value == int(value) else repr(float(value))
