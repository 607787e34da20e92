"""Time-averages of counts that step up and down: busy berths, ships away, bare firewalls.

A count such as "berths busy at yard y" is a step function of time. Its integral over a
month is ``level at the start of the month × month length + Σ Δ·(month end − t)`` over
the changes Δ at times t inside the month. So it is enough to record each change once,
in any order and even ahead of time (a booking knows when its work will end): changes
after the horizon fall outside every month and are dropped. Both engines record their
changes here, so the integrals, and every utilisation and time-average built on them,
are computed by one piece of code.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.repair.scatter import add_at


class Timeline:
    """Monthly integrals of step functions, one per (replication, entity).

    Month edges are whole days (calendar months from :mod:`sim.calendar`), so the month
    of a change is a table look-up by its day rather than a search.
    """

    def __init__(self, month_edges: np.ndarray, reps: int, entities: int):
        self.edges = np.asarray(month_edges, dtype=float)
        if not np.array_equal(self.edges, np.round(self.edges)):
            raise ValueError("month edges must be whole days")
        months = self.edges.size - 1
        self.jumps = np.zeros((reps, entities, months + 1))
        self.partial = np.zeros((reps, entities, months + 1))
        # The month of each whole day from the first edge on; the last entry, for the
        # horizon's end day, is the overflow month `months` that collects changes after
        # the horizon (and undated ones), which no integral reads.
        lengths = np.diff(self.edges).astype(np.intp)
        self._month_of_day = np.append(np.repeat(np.arange(months), lengths), months)
        self._month_end = np.append(self.edges[1:], self.edges[-1])

    def change(
        self, rows: np.ndarray, entity: int | np.ndarray, day: npt.ArrayLike, delta: npt.ArrayLike
    ) -> None:
        """Add `delta` to the count of `entity` from `day` on, in replications `rows`.

        A change before the first edge counts from the first edge; one on or after the
        horizon's end, or on no day at all (NaN), falls outside every month.
        """
        first, end = self.edges[0], self.edges[-1]
        day = np.asarray(day, dtype=float)
        inside = day < end  # False for NaN
        position = np.where(inside, np.maximum(day, first), end)
        month = self._month_of_day[(position - first).astype(np.intp)]
        delta = np.broadcast_to(np.asarray(delta, dtype=float), day.shape)
        spent = delta * (self._month_end[month] - position)
        index = (rows, entity, month)
        add_at(self.jumps, index, delta)
        add_at(self.partial, index, spent)

    def integrals(self) -> np.ndarray:
        """``(reps, entities, months)``: the integral of each count over each month."""
        months = self.edges.size - 1
        level = np.cumsum(self.jumps[:, :, :months], axis=2) - self.jumps[:, :, :months]
        return level * np.diff(self.edges) + self.partial[:, :, :months]


def yearly(monthly: np.ndarray) -> np.ndarray:
    """Sum ``(..., months)`` into ``(..., years)``."""
    result: np.ndarray = monthly.reshape(*monthly.shape[:-1], -1, 12).sum(axis=-1)
    return result
