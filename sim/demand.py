"""Demand and conflict consumption as whole units falling due over time.

A stream's *cumulative* requirement C(t) grows at its rate between its start and end;
the k-th unit falls due when C(t) reaches k. Peacetime demand is given per calendar year
and accrues on the calendar-year clock (every year counts one, leap or not); conflict
consumption is given per day. Both engines use these functions, so they ask for exactly
the same units at the same moments.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import Calendar
from sim.network import Network
from sim.sampling import Parameters

EPSILON = 1e-9
"""Guard against 0.9999999 units from floating-point sums."""


class Requirements:
    """The cumulative requirement C(t) of every stream, for a chunk of replications.

    Each stream runs on its own clock (calendar years or days); the clock readings at
    each stream's start and end are computed once, so C(t) costs three array operations.
    """

    def __init__(self, network: Network, parameters: Parameters):
        calendar: Calendar = network.calendar
        self.calendar = calendar
        self.in_days = np.array([s.conflict is not None for s in network.streams], dtype=bool)
        self.rate = parameters.stream_rate
        self.start = self._clock(parameters.stream_start)
        self.end = self._clock(parameters.stream_end)

    def _clock(self, days: np.ndarray) -> np.ndarray:
        return np.where(self.in_days, days, self.calendar.years_elapsed(days))

    def by(self, day: float) -> np.ndarray:
        """Units required by `day` for every stream, shape (reps, streams)."""
        now = np.where(self.in_days, day, self.calendar.years_elapsed(np.array(day)))
        return self.rate * np.clip(np.minimum(now, self.end) - self.start, 0.0, None)


def whole_units(cumulative: np.ndarray) -> np.ndarray:
    """Whole units due by the time the cumulative requirement is `cumulative`."""
    return np.floor(cumulative + EPSILON).astype(np.int64)
