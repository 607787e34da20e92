"""The capacity ramp of a line (DESIGN §2.1): the one place its maths is written.

Time is split into *ramp years*: the n-th runs from the n-th anniversary of
``ramp_start`` to the next (n may be negative before the ramp starts). In ramp year
n ≥ 0 the rate is ``min(target, initial·(1+g)ⁿ)``; before it, ``min(target, initial)``.
Within a ramp year the rate is spread evenly over its days, so a deterministic line
makes exactly the rate in each ramp year, leap years included.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from sim.calendar import Calendar, anniversary


def ramp_year_edges(calendar: Calendar, ramp_start: dt.date) -> tuple[np.ndarray, int]:
    """Day offsets of the ramp-year boundaries that cover the horizon.

    Returns the edges and the ramp-year number n of the first period.
    """
    first = 0
    while calendar.day(anniversary(ramp_start, first)) > 0:
        first -= 1
    while calendar.day(anniversary(ramp_start, first + 1)) <= 0:
        first += 1
    edges = [calendar.day(anniversary(ramp_start, first))]
    n = first
    while edges[-1] < calendar.horizon_days:
        n += 1
        edges.append(calendar.day(anniversary(ramp_start, n)))
    return np.array(edges, dtype=float), first


def ramp_rates(
    initial: np.ndarray, target: np.ndarray, growth_cap: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """Rate per year in each ramp year.

    `initial`, `target`, `growth_cap` are per replication, shape (reps,); `years` holds the
    ramp-year numbers n. Returns shape (reps, len(years)).
    """
    n = np.maximum(np.asarray(years), 0)[None, :]
    grown = initial[:, None] * np.power(1.0 + growth_cap[:, None], n)
    return np.minimum(grown, target[:, None])


def step_weights(calendar: Calendar, edges: np.ndarray) -> np.ndarray:
    """Fraction of each ramp year that falls in each step, shape (steps, periods).

    Capacity in a step is ``rates @ weights.T``: exact, not a midpoint approximation.
    """
    lows = np.maximum(calendar.step_edges[:-1, None], edges[None, :-1])
    highs = np.minimum(calendar.step_edges[1:, None], edges[None, 1:])
    overlap = np.clip(highs - lows, 0.0, None)
    return overlap / np.diff(edges)[None, :]


def rate_at(day: float, edges: np.ndarray, rates: np.ndarray) -> float:
    """Units per day at time `day` for one replication's ramp (`rates` per ramp year)."""
    period = int(np.clip(np.searchsorted(edges, day, side="right") - 1, 0, rates.size - 1))
    return float(rates[period] / (edges[period + 1] - edges[period]))
