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

EPSILON = 1e-9
"""Guard against 0.9999999 units from floating-point sums."""


def cumulative_requirement(
    network: Network, rate: np.ndarray, start: np.ndarray, end: np.ndarray, day: float
) -> np.ndarray:
    """Units required by `day` for every stream, shape (reps, streams)."""
    calendar: Calendar = network.calendar
    until = np.minimum(day, end)
    conflict = np.array([s.conflict is not None for s in network.streams], dtype=bool)
    elapsed_days = np.clip(until - start, 0.0, None)
    elapsed_years = np.clip(calendar.years_elapsed(until) - calendar.years_elapsed(start), 0.0, None)
    return rate * np.where(conflict, elapsed_days, elapsed_years)


def whole_units(cumulative: np.ndarray) -> np.ndarray:
    """Whole units due by the time the cumulative requirement is `cumulative`."""
    return np.floor(cumulative + EPSILON).astype(np.int64)
