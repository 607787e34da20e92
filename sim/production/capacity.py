"""The capacity ramp of a line (DESIGN §2.1): the one place its maths is written.

Time is split into *ramp years*: the n-th runs from the n-th anniversary of
``ramp_start`` to the next (n may be negative before the ramp starts). In ramp year
n ≥ 0 the rate is ``min(target, initial·(1+g)ⁿ)``; before it, ``min(target, initial)``.
Within a ramp year the rate is spread evenly over its days, so a deterministic line
makes exactly the rate in each ramp year, leap years included.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sim.calendar import Calendar, anniversary
from sim.production.surge import mean_factor, surge_breaks


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


def opening_ramp_edges(calendar: Calendar, opening_days: np.ndarray) -> np.ndarray:
    """Ramp-year edges of a line whose growth counts from its *drawn* opening day.

    Ramp year 0 begins on the opening day o of each replication and ramp year n on its
    n-th anniversary (o's date moved n years, plus o's fraction of a day), as
    :func:`ramp_year_edges` does for a stated ``ramp_start``. Returns (reps, n + 1) day
    offsets, enough ramp years that every replication's last edge reaches the end of the
    horizon; nothing is made before the opening, so no ramp year comes before it.
    """
    opening_days = np.asarray(opening_days, dtype=float)
    whole = np.floor(opening_days)
    years = int(np.ceil((calendar.horizon_days - whole.min(initial=0.0)) / 365.0)) + 1
    days, inverse = np.unique(whole, return_inverse=True)
    table = np.array(
        [
            [
                calendar.day(anniversary(calendar.start + dt.timedelta(days=int(day)), n))
                for n in range(years + 1)
            ]
            for day in days
        ],
        dtype=float,
    ).reshape(days.size, years + 1)
    result: np.ndarray = table[inverse.reshape(-1)] + (opening_days - whole)[:, None]
    return result


def ramp_capacity_between(
    edges: np.ndarray, rates: np.ndarray, low: npt.ArrayLike, high: npt.ArrayLike
) -> np.ndarray:
    """Ramp capacity of each replication over each interval [low, high], (reps, intervals).

    `edges` (reps, periods + 1) and `rates` (reps, periods) per replication: the exact
    integral of the piecewise-constant rate (each period's rate spread evenly over its
    days), zero outside the edges. The per-replication twin of :func:`step_weights`.
    """
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    start, end = edges[:, :-1, None], edges[:, 1:, None]
    overlap = np.clip(np.minimum(end, high) - np.maximum(start, low), 0.0, None)
    per_day = rates / np.diff(edges, axis=1)
    result: np.ndarray = np.einsum("rp,rpk->rk", per_day, overlap)
    return result


def line_ramp(
    calendar: Calendar,
    ramp_start: dt.date | None,
    opening_days: np.ndarray,
    initial: np.ndarray,
    target: np.ndarray,
    growth_cap: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One line's ramp in every replication: edges, rates and capacity over the horizon.

    Edges (reps, periods + 1) from `ramp_start` (the same row for every replication, a
    read-only broadcast) or, when it is None, from each replication's drawn opening day
    (:func:`opening_ramp_edges`); rates (reps, periods) by :func:`ramp_rates`; and the
    capacity over the horizon (reps,), which bounds the units the line can start.
    """
    reps = opening_days.shape[0]
    if ramp_start is None:
        edges = opening_ramp_edges(calendar, opening_days)
        rates = ramp_rates(initial, target, growth_cap, np.arange(edges.shape[1] - 1))
        horizon = ramp_capacity_between(edges, rates, [0.0], [calendar.horizon_days])[:, 0]
        return edges, rates, horizon
    shared, first = ramp_year_edges(calendar, ramp_start)
    rates = ramp_rates(initial, target, growth_cap, np.arange(first, first + shared.size - 1))
    horizon = rates @ step_weights(calendar, shared).sum(axis=0)
    return np.broadcast_to(shared, (reps, shared.size)), rates, horizon


def ramp_rates(
    initial: np.ndarray, target: np.ndarray, growth_cap: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """Rate per year in each ramp year.

    `initial`, `target`, `growth_cap` are per replication, shape (reps,); `years` holds the
    ramp-year numbers n. Returns shape (reps, len(years)).
    """
    n = np.maximum(np.asarray(years), 0)[None, :]
    grown = initial[:, None] * np.power(1.0 + growth_cap[:, None], n)
    result: np.ndarray = np.minimum(grown, target[:, None])
    return result


def step_weights(calendar: Calendar, edges: np.ndarray) -> np.ndarray:
    """Fraction of each ramp year that falls in each step, shape (steps, periods).

    Capacity in a step is ``rates @ weights.T``: exact, not a midpoint approximation.
    """
    lows = np.maximum(calendar.step_edges[:-1, None], edges[None, :-1])
    highs = np.minimum(calendar.step_edges[1:, None], edges[None, 1:])
    overlap = np.clip(highs - lows, 0.0, None)
    result: np.ndarray = overlap / np.diff(edges)[None, :]
    return result


def rate_at(day: float, edges: np.ndarray, rates: np.ndarray) -> float:
    """Units per day at time `day` for one replication's ramp (`rates` per ramp year)."""
    period = int(np.clip(np.searchsorted(edges, day, side="right") - 1, 0, rates.size - 1))
    return float(rates[period] / (edges[period + 1] - edges[period]))


@dataclass(frozen=True)
class RateSchedule:
    """One line's capacity in one replication as a piecewise-constant rate (units per day).

    The continuous-time twin of the vector engine's capacity per step (docs/model.md,
    "Capacity"): the ramp rate of :func:`rate_at`, zero before the line opens, times what
    active disruptions leave (1 − lost for each, multiplied), capped by the funded rate
    (``funded_per_year`` spread over the days of the calendar year). Every quantity the
    rules need is then exact: the capacity accrued by any moment, the moment a given amount
    has accrued (the DES engine's capacity credit), and the days capped or disrupted.

    Lists rather than arrays: the DES engine asks these questions once per unit, and
    :mod:`bisect` on a list is several times cheaper than a NumPy call on a scalar.
    """

    breaks: list[float]
    """Segment boundaries, from 0 to the end of the horizon."""
    rates: list[float]
    """Units per day in each segment, after opening, disruptions and the funding cap."""
    uncapped: list[float]
    """Units per day before the funding cap."""
    remaining: list[float]
    """Share of capacity that disruptions leave in each segment."""
    opened: list[bool]
    accrued_by: list[float]
    """Capacity accrued from 0 to each boundary."""
    working_by: list[float]
    """Days with a positive rate from 0 to each boundary."""
    peacetime_rates: list[float] | None = None
    """Units per day in each segment without the wartime surge (:mod:`sim.production.surge`), after
    the funding cap; None for a line that does not surge."""
    peacetime_by: list[float] | None = None
    """Peacetime capacity accrued from 0 to each boundary (None: no surge)."""

    def peacetime_accrued(self, day: float) -> float:
        """Capacity the line would have accrued by `day` without its surge."""
        if self.peacetime_rates is None or self.peacetime_by is None:
            return self.accrued(day)
        i = self.segment(day)
        return self.peacetime_by[i] + self.peacetime_rates[i] * (day - self.breaks[i])

    def segment(self, day: float) -> int:
        """Index of the segment that holds `day` (the last one at the end of the horizon)."""
        return min(max(bisect_right(self.breaks, day) - 1, 0), len(self.rates) - 1)

    def rate(self, day: float) -> float:
        """Units per day at `day`."""
        return self.rates[self.segment(day)]

    def next_change(self, day: float) -> float:
        """The next segment boundary after `day`: the rate holds at least until then."""
        return self.breaks[self.segment(day) + 1]

    def accrued(self, day: float) -> float:
        """Capacity accrued from the start of the horizon to `day`."""
        i = self.segment(day)
        return self.accrued_by[i] + self.rates[i] * (day - self.breaks[i])

    def working_days(self, day: float) -> float:
        """Days before `day` on which the line had a positive rate."""
        i = self.segment(day)
        return self.working_by[i] + (day - self.breaks[i] if self.rates[i] > 0 else 0.0)

    def reaches(self, amount: float) -> float:
        """The first day by which `amount` of capacity has accrued (inf if never)."""
        if amount <= 0:
            return 0.0
        i = bisect_left(self.accrued_by, amount)
        if i >= len(self.accrued_by):
            return math.inf
        # accrued_by[i - 1] < amount <= accrued_by[i], so segment i - 1 has a positive rate
        day = self.breaks[i - 1] + (amount - self.accrued_by[i - 1]) / self.rates[i - 1]
        return min(day, self.breaks[i])

    def capacity(self) -> float:
        """Capacity over the whole horizon, units."""
        return self.accrued_by[-1]

    def funding_capped_days(self) -> float:
        """Days lost to the funding cap: each day counts the share of capacity it removes."""
        return sum(
            (high - low) * (uncapped - rate) / uncapped
            for low, high, uncapped, rate in zip(
                self.breaks[:-1], self.breaks[1:], self.uncapped, self.rates, strict=True
            )
            if uncapped > 0
        )

    def disrupted_days(self) -> float:
        """Days lost to disruptions while open: each day counts the share they remove."""
        return sum(
            (high - low) * (1.0 - left)
            for low, high, left, opened in zip(
                self.breaks[:-1], self.breaks[1:], self.remaining, self.opened, strict=True
            )
            if opened
        )


def disruption_share_left(
    starts: np.ndarray, ends: np.ndarray, losts: np.ndarray, low: float, high: float
) -> float:
    """Average share of capacity that disruption events leave over [low, high].

    At each moment the events then active each take away their ``capacity_lost`` of what
    the others leave: overlapping events multiply, ∏(1 − lost). Events that follow each
    other within the interval do not.
    """
    one = np.array([low], dtype=float), np.array([high], dtype=float)
    return float(disruption_shares_left(starts[None], ends[None], losts[None], *one)[0])


def disruption_shares_left(
    starts: np.ndarray, ends: np.ndarray, losts: np.ndarray, low: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """:func:`disruption_share_left` of many intervals at once, shape (intervals,).

    `starts`, `ends`, `losts` are (intervals, events), padded with events that never
    happen (start = end = inf); `low`, `high` (intervals,). The interval is cut at every
    event start and end inside it, and each piece counts the product over the events
    active at its middle. Pieces are summed left to right and products taken in event
    order, so a replication's number does not depend on how many others share the call.
    """
    low, high = low[:, None], high[:, None]
    points = np.sort(
        np.concatenate([low, high, np.clip(starts, low, high), np.clip(ends, low, high)], axis=1),
        axis=1,
    )
    left = np.zeros(points.shape[0])
    for i in range(points.shape[1] - 1):
        a, b = points[:, i], points[:, i + 1]  # a piece of length 0 adds exactly 0
        middle = ((a + b) / 2)[:, None]
        share = np.where((starts <= middle) & (middle < ends), 1.0 - losts, 1.0)
        product = np.ones(points.shape[0])
        for event in range(share.shape[1]):
            product *= share[:, event]
        left += (b - a) * product
    result: np.ndarray = left / (high[:, 0] - low[:, 0])
    return result


def rate_schedule(
    calendar: Calendar,
    ramp_edges: np.ndarray,
    ramp_rates_of_line: np.ndarray,
    opens: float,
    funded_per_year: float,
    disruptions: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    surge: tuple[float, float, float, float] | None = None,
) -> RateSchedule:
    """The :class:`RateSchedule` of one line in one replication.

    `ramp_rates_of_line` is that replication's row of ``Parameters.rates[line]``;
    `disruptions` its rows of event (start, end, lost), padded events having start = inf.
    The rate changes only at ramp-year edges, calendar-year edges (the funding cap is per
    calendar year), the opening day and disruption starts and ends, so those are the
    segment boundaries and the rate is read at each segment's middle. A wartime `surge`
    window (begin, full, end, factor) multiplies the rate before the funding cap by its
    mean factor over each segment, cut at :func:`sim.production.surge.surge_breaks`.
    """
    horizon = calendar.horizon_days
    points = [0.0, horizon, opens, *ramp_edges, *calendar.year_edges]
    starts = ends = losts = np.empty(0)
    if disruptions is not None:
        start, end, lost = disruptions
        real = np.isfinite(start) & (end > start)
        starts, ends, losts = start[real], end[real], lost[real]
        points += [*starts, *ends]
    if surge is not None:
        points += surge_breaks(surge, horizon)
    breaks = sorted({float(p) for p in points if 0.0 <= p <= horizon})
    middles = (np.array(breaks[:-1]) + np.array(breaks[1:])) / 2
    ramp = [rate_at(day, ramp_edges, ramp_rates_of_line) for day in middles]
    opened = middles >= opens
    lows, highs = np.array(breaks[:-1]), np.array(breaks[1:])
    every = (lows.size, starts.size)
    remaining = disruption_shares_left(
        np.broadcast_to(starts, every),
        np.broadcast_to(ends, every),
        np.broadcast_to(losts, every),
        lows,
        highs,
    )
    uncapped = np.asarray(ramp) * opened * remaining
    year = np.searchsorted(calendar.year_edges, middles, side="right") - 1
    funded = funded_per_year / np.diff(calendar.year_edges)[year]
    lengths = np.diff(breaks)
    peacetime_rates = peacetime_by = None
    if surge is not None:
        peacetime = np.minimum(uncapped, funded)
        peacetime_rates = peacetime.tolist()
        peacetime_by = [0.0, *np.cumsum(peacetime * lengths).tolist()]
        uncapped = uncapped * mean_factor(lows, highs, *surge)
    rates = np.minimum(uncapped, funded)
    return RateSchedule(
        breaks=breaks,
        rates=rates.tolist(),
        uncapped=uncapped.tolist(),
        remaining=remaining.tolist(),
        opened=opened.tolist(),
        accrued_by=[0.0, *np.cumsum(rates * lengths).tolist()],
        working_by=[0.0, *np.cumsum(np.where(rates > 0, lengths, 0.0)).tolist()],
        peacetime_rates=peacetime_rates,
        peacetime_by=peacetime_by,
    )
