"""``replications.csv``: one row per replication, one column per scalar metric.

Cells: whole numbers without a decimal point, other numbers in Python's shortest
round-trip form (``repr``), empty where a metric is undefined; CSV quoting for the
header, CRLF line ends (Python's csv dialect).

For big runs the table is built where the numbers are made: each chunk's worker formats
its own rows and gzips them (:func:`pack_rows`, carried in the chunk and its checkpoint),
so formatting runs in parallel with the simulation and writing the file is a copy, never
holding more than a chunk. When the plain file would pass :data:`COMPRESS_ABOVE` (a
million replications of co-production would be about 2 GB of digits) the file is
``replications.csv.gz`` instead: the chunks' gzip members back to back, which every gzip
reader reads as one stream.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from sim.execution.chunk import ChunkResult
from sim.execution.rows import encoded_rows, format_rows, pack_rows
from sim.production.outcomes import Outcomes

PLAIN = "replications.csv"
COMPRESSED = "replications.csv.gz"
COMPRESS_ABOVE = 2**30
"""Estimated bytes above which the table is written gzip-compressed."""
BYTES_PER_CELL = 6
"""A typical cell ('1243,') for the size estimate."""
COPY_BYTES = 2**16
"""Unpacked a piece at a time, so a chunk's rows are never whole in memory."""


def replications_file(replications: int, metrics: int) -> str:
    """The file name a table of this size is written to."""
    estimate = replications * (metrics + 1) * BYTES_PER_CELL
    return COMPRESSED if estimate > COMPRESS_ABOVE else PLAIN


def write_replications(outcomes: Outcomes, path: Path) -> None:
    """Write every metric of every replication of `outcomes` to `path` (plain CSV)."""
    chunk = ChunkResult.from_outcomes(outcomes)
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(header_line(chunk.metric_names))
        handle.write(format_rows(chunk))


def write_chunks(chunks: Iterable[ChunkResult], replications: int, folder: Path) -> tuple[str, str]:
    """Write the chunks of a run, in replication order, to its table in `folder`.

    Returns the file's name (:data:`PLAIN`, or :data:`COMPRESSED` for a huge table) and
    the SHA-256 of its bytes, which report.json records so that a table copied in from
    another run is caught (:mod:`sim.compare.load`).
    """
    chunks = iter(chunks)
    first = next(chunks)
    name = replications_file(replications, len(first.metric_names))
    every = _chain(first, chunks)
    header = header_line(first.metric_names).encode("utf-8")
    with (folder / name).open("wb") as file:
        handle = _Digesting(file)
        if name == PLAIN:
            handle.write(header)
            for chunk in every:
                packed = _packed(chunk)
                if packed is None:
                    handle.write(encoded_rows(chunk))
                    continue
                with gzip.GzipFile(fileobj=io.BytesIO(packed)) as rows:
                    shutil.copyfileobj(rows, handle, COPY_BYTES)
        else:
            handle.write(gzip.compress(header, mtime=0))
            for chunk in every:
                handle.write(_packed(chunk) or pack_rows(chunk))
    return name, handle.digest.hexdigest()


class _Digesting(io.RawIOBase):
    """A binary file that hashes what is written through it."""

    def __init__(self, file: io.BufferedWriter):
        self.file = file
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    # narrower than RawIOBase.write (any buffer): only bytes are written through it
    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        return self.file.write(data)


def file_digest(path: Path) -> str:
    """SHA-256 of the file at `path`, as :func:`write_chunks` records it."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _packed(chunk: ChunkResult) -> bytes | None:
    """The rows its worker packed, if it did (chunks from memory may not have them)."""
    return bytes(chunk.rows) if len(chunk.rows) else None


def _chain(first: ChunkResult, rest: Iterator[ChunkResult]) -> Iterator[ChunkResult]:
    yield first
    yield from rest


def header_line(names: Iterable[str]) -> str:
    """'replication,<metric>,…' with CSV quoting where a name needs it."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["replication", *names])
    return buffer.getvalue()
