"""Matrices stored a compressed row at a time: how checkpoints hold a chunk's numbers.

A checkpoint's metric and series matrices are most of its bytes (~11 KB a replication
for co-production, raw), and most of their values are whole numbers or repeat, so they
compress to about a third. Compressing each row on its own keeps the property the
summaries rely on: one metric of every chunk can be read without touching the others
(:mod:`sim.execution.summaries` reads groups of rows). :class:`PackedRows` answers the
indexing the readers use — a row, a slice of rows, a list of rows, the whole matrix —
from a memory-mapped blob, decompressing only the rows asked for.
"""

from __future__ import annotations

import zlib
from typing import IO, Any

import numpy as np

RECORDS = 4
"""``.npy`` records a packed matrix takes in a file."""
LEVEL = 1
"""zlib level: fast; level 6 saves only a further 6 % here for three times the time."""


def write_packed(handle: IO[bytes], matrix: np.ndarray) -> None:
    """Write `matrix` row by row compressed: four records, its shape, its dtype, the row
    offsets and the blob (:data:`RECORDS`)."""
    matrix = np.ascontiguousarray(matrix)
    pieces = [zlib.compress(row.tobytes(), LEVEL) for row in matrix]
    offsets = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum([len(piece) for piece in pieces], out=offsets[1:])
    np.lib.format.write_array(handle, np.array(matrix.shape, dtype=np.int64))
    np.lib.format.write_array(handle, np.frombuffer(matrix.dtype.str.encode("ascii"), np.uint8))
    np.lib.format.write_array(handle, offsets)
    np.lib.format.write_array(handle, np.frombuffer(b"".join(pieces), dtype=np.uint8))


class PackedRows:
    """A read-only matrix whose rows are decompressed when indexed."""

    def __init__(self, shape: np.ndarray, dtype: np.ndarray, offsets: np.ndarray, blob: np.ndarray):
        rows, columns = (int(value) for value in shape)
        self.shape = (rows, columns)
        self.dtype = np.dtype(bytes(dtype).decode("ascii"))
        if offsets.shape != (rows + 1,) or int(offsets[-1]) != blob.size:
            raise ValueError("row offsets do not match the packed rows")
        self._offsets = offsets
        self._blob = blob

    def row(self, index: int) -> np.ndarray:
        """Row `index`, decompressed (read-only)."""
        start, stop = int(self._offsets[index]), int(self._offsets[index + 1])
        values = np.frombuffer(zlib.decompress(self._blob[start:stop].data), self.dtype)
        if values.size != self.shape[1]:
            raise ValueError(f"packed row {index} holds {values.size} values, not {self.shape[1]}")
        return values

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: Any) -> np.ndarray:
        if isinstance(key, int | np.integer):
            return self.row(int(key) % self.shape[0] if key < 0 else int(key))
        indices = range(self.shape[0])[key] if isinstance(key, slice) else list(key)
        rows = np.empty((len(indices), self.shape[1]), dtype=self.dtype)
        for position, index in enumerate(indices):  # one decompressed row at a time
            rows[position] = self.row(int(index))
        return rows

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        whole = self[:]
        return whole if dtype is None else whole.astype(dtype)
