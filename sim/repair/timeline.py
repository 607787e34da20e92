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


class Timeline:
    """Monthly integrals of step functions, one per (replication, entity)."""

    def __init__(self, month_edges: np.ndarray, reps: int, entities: int):
        self.edges = np.asarray(month_edges, dtype=float)
        months = self.edges.size - 1
        self.jumps = np.zeros((reps, entities, months + 1))
        self.partial = np.zeros((reps, entities, months + 1))

    def change(self, rows: np.ndarray, entity, day: np.ndarray, delta) -> None:
        """Add `delta` to the count of `entity` from `day` on, in replications `rows`."""
        day = np.asarray(day, dtype=float)
        month = np.searchsorted(self.edges, day, side="right") - 1
        month = np.where((day >= self.edges[-1]) | ~np.isfinite(day), self.edges.size - 1, month)
        month = np.maximum(month, 0)
        inside = month < self.edges.size - 1
        month_end = self.edges[np.minimum(month + 1, self.edges.size - 1)]
        delta = np.broadcast_to(np.asarray(delta, dtype=float), day.shape)
        spent = np.where(inside, delta * (month_end - np.maximum(day, self.edges[0])), 0.0)
        index = (rows, np.broadcast_to(entity, day.shape), month)
        np.add.at(self.jumps, index, np.where(inside, delta, 0.0))
        np.add.at(self.partial, index, spent)

    def integrals(self) -> np.ndarray:
        """``(reps, entities, months)``: the integral of each count over each month."""
        months = self.edges.size - 1
        level = np.cumsum(self.jumps[:, :, :months], axis=2) - self.jumps[:, :, :months]
        return level * np.diff(self.edges) + self.partial[:, :, :months]


def yearly(monthly: np.ndarray) -> np.ndarray:
    """Sum ``(..., months)`` into ``(..., years)``."""
    return monthly.reshape(*monthly.shape[:-1], -1, 12).sum(axis=-1)
