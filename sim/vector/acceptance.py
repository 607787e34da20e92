"""Acceptance in the vector engine: how many finished units fail, from pre-drawn positions.

The failing units of each line are drawn up front as sorted positions in the sequence of
units (:func:`sim.sampling._failures`), and units finish in order, so the failures among
the first ``n`` finished units are the positions below ``n``: a cursor per line and
replication that only moves forward counts them exactly. The positions of every line are
copied once into one flat array (32-bit, as drawn), so a step
finds the replications whose next failure has finished for a whole level at once, and
reads the next :data:`LOOKAHEAD` positions of each in one gather: a handful of array
operations per level and step, not one per line or per failure.
"""

from __future__ import annotations

import numpy as np

LOOKAHEAD = 4
"""Positions read per pass; rows with more failures in a step take another pass."""


class Acceptance:
    """Failure counting for every line; `failures` per line position, None if none fail."""

    def __init__(self, failures: list[np.ndarray | None], reps: int):
        lines = len(failures)
        drawn = [f for f in failures if f is not None]
        dtype = np.result_type(np.int32, *(f.dtype for f in drawn))
        never = np.iinfo(dtype).max  # the padding of the draws: a unit no line reaches
        widths = np.array([0 if f is None else f.shape[1] for f in failures], dtype=np.int64)
        # each row is padded with positions never reached, so a read of LOOKAHEAD
        # positions from a row's next failure stays within the row
        strides = np.where(widths > 0, widths + LOOKAHEAD - 1, 0)
        offsets = np.cumsum(strides * reps) - strides * reps
        self.positions = np.empty(int((strides * reps).sum()), dtype=dtype)
        for p, positions in enumerate(failures):
            if widths[p]:
                rows = self.positions[offsets[p] : offsets[p] + strides[p] * reps]
                rows = rows.reshape(reps, strides[p])
                rows[:, : widths[p]] = positions
                rows[:, widths[p] :] = never
        self.row_start = offsets[:, None] + np.arange(reps, dtype=np.int64) * strides[:, None]
        self.cursor = self.row_start.copy()
        """(lines, reps) index of each row's next failure in `positions`."""
        self.next_failure = np.full((lines, reps), never, dtype=np.int64)
        failing = widths > 0
        self.next_failure[failing] = self.positions[self.row_start[failing]]

    @property
    def failed(self) -> np.ndarray:
        """Units failed so far, (lines, reps)."""
        result: np.ndarray = self.cursor - self.row_start
        return result

    def scrap(self, lines: slice, finished: np.ndarray, passed: np.ndarray) -> None:
        """Count failures among the `finished` units (lines, reps) of the `lines` slice,
        and take the new ones off `passed` (lines, reps) in place."""
        hits = np.flatnonzero(self.next_failure[lines] < finished)
        if hits.size == 0:
            return
        cursor = self.cursor[lines].reshape(-1)  # a view: updated in place
        finished, passed = finished.reshape(-1), passed.reshape(-1)
        ahead = np.arange(LOOKAHEAD)[:, None]
        rows, done = hits, finished[hits]
        next_failure = self.next_failure[lines].reshape(-1)
        while rows.size:
            # (lookahead, rows), so that the count runs over whole rows
            values = self.positions[cursor[rows] + ahead]
            count = (values < done).sum(axis=0)
            cursor[rows] += count
            passed[rows] -= count
            # the next failure is among the values just read (rows with LOOKAHEAD failures
            # get a stale one here, and the right one in the next pass)
            read = np.minimum(count, LOOKAHEAD - 1) * rows.size + np.arange(rows.size)
            next_failure[rows] = values.reshape(-1)[read]
            more = count == LOOKAHEAD
            rows, done = rows[more], done[more]
