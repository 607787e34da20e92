"""Demand and conflict consumption as whole units falling due over time.

A stream's *cumulative* requirement C(t) grows at its rate between its start and end;
the k-th unit falls due when C(t) reaches k. Peacetime demand is given per calendar year
and accrues on the calendar-year clock (every year counts one, leap or not); conflict
consumption is given per day. Both engines use these functions, so they ask for exactly
the same units at the same moments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.calendar import Calendar
from sim.network import Network
from sim.production.units import EPSILON, whole_units

if TYPE_CHECKING:
    from sim.parameters import Parameters


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

    def by(self, day: float | np.ndarray) -> np.ndarray:
        """Units required by `day` for every stream, shape (reps, streams).

        `day` may also be an array of days shaped ``(..., 1, 1)``: the result is then
        ``(..., reps, streams)``, so the vector engine reads a block of steps in one call.
        """
        now = np.where(self.in_days, day, self.calendar.years_elapsed(np.array(day)))
        result: np.ndarray = self.rate * np.clip(np.minimum(now, self.end) - self.start, 0.0, None)
        return result

    def total(self) -> np.ndarray:
        """Whole units of each stream due within the horizon, shape (reps, streams)."""
        return whole_units(self.by(self.calendar.horizon_days))

    def due_days(self, rep: int, stream: int) -> np.ndarray:
        """Days at which units 1, 2, … of `stream` fall due in replication `rep`.

        The inverse of :meth:`by`: unit k falls due when C(t) reaches k − EPSILON, the
        moment :func:`whole_units` first counts it, so an engine that waits for these days
        (the DES) asks for the same units as one that reads C at step ends (the vector).
        Only units due within the horizon are listed.
        """
        rate = float(self.rate[rep, stream])
        total = int(whole_units(self.by(self.calendar.horizon_days)[rep, stream]))
        if total <= 0 or rate <= 0:
            return np.empty(0)
        clock = self.start[rep, stream] + (np.arange(1, total + 1) - EPSILON) / rate
        return clock if self.in_days[stream] else self.calendar.days_from_years(clock)


def protecting_streams(network: Network) -> list[tuple[int, ...]]:
    """For each stream, the conflict streams at its stock that rank ahead of it.

    Conflict consumption is served before peacetime demand (docs/model.md, "Stockpiles
    and demand"): a backordered stream ranks behind every conflict stream at its stock
    whose priority is the same or lower. While such a conflict is under way, the stream
    takes only stock beyond what the conflict still requires (:func:`held_back`), so a
    partner's backorder is never filled with a missile the war needs later. Conflict
    streams themselves protect nothing from each other (they are not backordered).
    """
    streams = network.streams
    return [
        tuple(
            c
            for c, other in enumerate(streams)
            if stream.backordered
            and not other.backordered
            and other.stock == stream.stock
            and other.priority <= stream.priority
        )
        for stream in streams
    ]


def held_back(
    protectors: tuple[int, ...],
    day: float,
    start: Sequence[float] | np.ndarray,
    total: Sequence[int] | np.ndarray,
    due: Sequence[int] | np.ndarray,
) -> int | np.ndarray:
    """Units of stock that demand ranked behind `protectors` may not take at `day`.

    For each protecting conflict stream c that has begun (``start[c] < day``), what it
    still requires within the horizon: ``total[c] − due[c]``, its whole units due by the
    end of the horizon less those already due. The conflict's requirement is known from
    its start (its rate and length are drawn), so the reserve shrinks as the conflict
    consumes and is zero once it is over. `start`, `total` and `due` are indexed by
    stream: per-replication numbers (the DES) or rows of arrays over replications (the
    vector engine), so one formula serves both.
    """
    held = 0
    for c in protectors:
        held = held + (total[c] - due[c]) * (start[c] < day)
    return held


@dataclass(frozen=True)
class RecoveryWindow:
    """The conflict that sets an item's recovery clock (docs/model.md, "Recovery").

    The item's total stock over `stocks` at `start` is the level to get back to, counted
    once the conflict has ended at `end`; `start` is inf in replications where the
    conflict consumes nothing (it does not happen).
    """

    item: int
    stocks: list[int]
    start: np.ndarray
    """(reps,) day the conflict starts, inf where it consumes nothing."""
    end: np.ndarray
    """(reps,) day it ends."""


def recovery_windows(network: Network, parameters: Parameters) -> list[RecoveryWindow]:
    """One window per item that conflict consumption draws on, from its first such stream."""
    windows = []
    for i in range(len(network.items)):
        consuming = [
            j
            for j, s in enumerate(network.streams)
            if s.conflict is not None and network.stocks[s.stock][0] == i
        ]
        if not consuming:
            continue
        members = [s for s, (item, _) in enumerate(network.stocks) if item == i]
        j = consuming[0]
        active = parameters.stream_rate[:, j] > 0
        start = np.where(active, parameters.stream_start[:, j], np.inf)
        windows.append(RecoveryWindow(i, members, start, parameters.stream_end[:, j]))
    return windows
