"""Simulated time: days since 1 January of the first year, and the vector engine's steps.

The vector engine advances in steps of about ``time_step_days``, but every calendar year
holds a whole number of steps (52 steps of 7.02 days in a common year), so yearly totals
such as deliveries are attributed to the right year exactly; only *when within a year*
something happens is rounded to a step.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

import numpy as np


def anniversary(day: dt.date, years: int) -> dt.date:
    """`day` moved by a whole number of years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Calendar:
    """The horizon of a scenario and its division into years, months and steps."""

    start: dt.date
    years: int
    step_days: float = 7.0

    def day(self, date: dt.date) -> int:
        """Days from the start of the horizon to `date`."""
        return (date - self.start).days

    @cached_property
    def year_edges(self) -> np.ndarray:
        """Day offsets of 1 January of each year, and of the end of the horizon."""
        return np.array(
            [self.day(dt.date(self.start.year + n, 1, 1)) for n in range(self.years + 1)],
            dtype=float,
        )

    @property
    def horizon_days(self) -> float:
        """Length of the horizon in days."""
        return float(self.year_edges[-1])

    @cached_property
    def month_edges(self) -> np.ndarray:
        """Day offsets of the first of each month, and of the end of the horizon."""
        days = [
            self.day(dt.date(self.start.year + n // 12, n % 12 + 1, 1))
            for n in range(12 * self.years)
        ]
        return np.array([*days, self.horizon_days], dtype=float)

    @cached_property
    def step_edges(self) -> np.ndarray:
        """Day offsets of step boundaries: each year split into equal whole steps."""
        edges = [0.0]
        for first, last in zip(self.year_edges[:-1], self.year_edges[1:], strict=True):
            count = max(1, round((last - first) / self.step_days))
            edges.extend(np.linspace(first, last, count + 1)[1:])
        return np.array(edges)

    @cached_property
    def step_year(self) -> np.ndarray:
        """Index of the year each step belongs to."""
        middles = (self.step_edges[:-1] + self.step_edges[1:]) / 2
        return np.searchsorted(self.year_edges, middles, side="right") - 1

    @cached_property
    def step_closes_month(self) -> np.ndarray:
        """For each step, the month whose last day it ends (or -1): monthly snapshots."""
        closes = np.full(self.steps, -1)
        month_ends = self.month_edges[1:]
        index = np.searchsorted(self.step_edges[1:], month_ends - 1e-9, side="left")
        closes[np.minimum(index, self.steps - 1)] = np.arange(month_ends.size)
        return closes

    @property
    def steps(self) -> int:
        """Number of steps over the horizon."""
        return self.step_edges.size - 1

    @property
    def mean_step_days(self) -> float:
        """Average step length in days."""
        return self.horizon_days / self.steps

    def steps_for(self, days: np.ndarray) -> np.ndarray:
        """A delay in days as a whole number of steps (rounded to nearest)."""
        return np.rint(np.asarray(days, dtype=float) / self.mean_step_days).astype(np.int64)

    def years_elapsed(self, days: np.ndarray) -> np.ndarray:
        """Calendar time in years: each calendar year counts 1 whatever its length.

        A rate given per year accrues exactly that amount in every calendar year.
        """
        days = np.clip(np.asarray(days, dtype=float), 0.0, self.horizon_days)
        year = np.minimum(np.searchsorted(self.year_edges, days, side="right") - 1, self.years - 1)
        first, last = self.year_edges[year], self.year_edges[year + 1]
        return year + (days - first) / (last - first)

    def days_from_years(self, years: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`years_elapsed`: the day at which calendar time reads `years`.

        The DES engine uses it to find the exact moment a per-year requirement reaches a
        whole unit, instead of polling the clock.
        """
        years = np.clip(np.asarray(years, dtype=float), 0.0, float(self.years))
        year = np.minimum(np.floor(years).astype(np.int64), self.years - 1)
        first, last = self.year_edges[year], self.year_edges[year + 1]
        return first + (years - year) * (last - first)

    @cached_property
    def _year_starts(self) -> list[float]:
        return self.year_edges[:-1].tolist()

    def year_of(self, day: float) -> int:
        """Index of the calendar year that contains `day` (a year runs [1 Jan, next 1 Jan)).

        A plain-float lookup: the DES engine asks it for every unit.
        """
        return min(max(bisect_right(self._year_starts, day) - 1, 0), self.years - 1)
