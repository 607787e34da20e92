"""Stockpiles, demand, backorders and recovery in continuous time (docs/model.md, §Stockpiles).

Each demand stream asks for whole units: the k-th falls due when its cumulative requirement
reaches k (:meth:`sim.production.demand.Requirements.due_days` inverts the requirement, so
nothing is polled). One process per stock walks the due units of all its streams in time order, and
among units due at the same moment in service order (by priority, conflict consumption
first at a tie). A due unit is met from stock if there is any beyond what the conflicts
ranked ahead of its stream still require (:func:`sim.production.demand.held_back`: none for conflict
consumption, and none for any stream while no such conflict is under way); otherwise it
is a shortfall, and peacetime demand is backordered while conflict consumption is not.

An arriving unit fills a backorder first (streams in priority order) if its stream may
take it past that reserve. So stock beyond the reserve and backorders are never both
positive, which is why a new due unit can be served straight from stock: the vector
engine's "backorders before new demand" holds by construction. (Stock beyond a stream's
reserve grows only with arrivals: a conflict unit that falls due lowers the stock and the
reserve together, or finds the stock empty.)

Events at one moment run in the vector engine's order within a step: snapshots of the
stock (month and year ends) before anything else at that moment, then arrivals, then
demand, then recovery checks (see :data:`SNAPSHOT`, :data:`DEMAND`, :data:`RECOVERY`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import simpy
from simpy.events import NORMAL, URGENT, EventPriority, ProcessGenerator

from sim.production.demand import RecoveryWindow, Requirements, held_back, protecting_streams

if TYPE_CHECKING:
    from sim.des.model import Replication

SNAPSHOT = URGENT
"""A month-end snapshot sees the stock before anything that happens at that moment."""
ARRIVAL = NORMAL
DEMAND = EventPriority(NORMAL + 1)
"""Demand falling due at the same moment as an arrival is served after it."""
RECOVERY = EventPriority(NORMAL + 2)
"""A recovery check at a conflict's end sees the stock after that moment's demand."""


class At(simpy.Event):
    """An event that fires on `day`, ordered by `priority` among events of that moment.

    SimPy's own timeouts all share one priority; this is how :class:`simpy.Timeout` is
    built, with the priority left open.
    """

    def __init__(self, env: simpy.Environment, day: float, priority: EventPriority):
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, priority, max(day - env.now, 0.0))


class Stocks:
    """Every stock of one replication, the demand on it, and the counters it fills."""

    def __init__(self, model: Replication, requirements: Requirements, rep: int):
        network = model.network
        self.model = model
        self.env = model.env
        self.network = network
        self.item_of = [item for item, _ in network.stocks]
        self.label = [f"{network.items[item]}@{owner}" for item, owner in network.stocks]
        self.level = [int(v) for v in model.parameters.stock_initial[rep]]
        self.backlog = [0] * len(network.streams)
        self.service_order = [network.stream_order(s) for s in range(len(network.stocks))]
        self.backorder_order = [
            [j for j in order if network.streams[j].backordered] for order in self.service_order
        ]
        self.protectors = protecting_streams(network)
        self.conflict_start = [float(day) for day in model.parameters.stream_start[rep]]
        self.due_total = [int(units) for units in requirements.total()[rep]]
        self.fallen = [0] * len(network.streams)
        """Units of each stream that have fallen due so far."""
        items, years = len(network.items), network.calendar.years
        self.to_stock = [0] * items
        self.consumed = [0] * items
        self.conflict_consumed = [0] * items
        self.conflict_shortfall = [0] * items
        self.shortfall = [[0] * years for _ in range(items)]
        self.year_end = [[0] * years for _ in network.stocks]
        self.monthly = [[0] * (12 * years) for _ in range(items)]
        self.watching: dict[int, _Recovery] = {}
        self.recoveries: list[_Recovery] = []

        for s, order in enumerate(self.service_order):
            due = [requirements.due_days(rep, j) for j in order]
            if any(len(days) for days in due):
                self.env.process(self.serve(s, order, due))
        self.env.process(self.snapshots())

    def recover(self, window: RecoveryWindow, rep: int) -> None:
        """Track how long the item of `window` takes to get back to its pre-conflict level."""
        start, end = float(window.start[rep]), float(window.end[rep])
        recovery = _Recovery(window, start, end)
        self.recoveries.append(recovery)
        if start < self.model.horizon:
            self.env.process(self.watch(recovery))

    def total(self, stocks: list[int]) -> int:
        """Units held over `stocks`."""
        return sum(self.level[s] for s in stocks)

    def receive(self, s: int) -> None:
        """A unit arrives at stock `s`: it fills a backorder if any, else stays in stock."""
        item = self.item_of[s]
        self.level[s] += 1
        self.to_stock[item] += 1
        self.model.log(self.label[s], "arrive", 1)
        for j in self.backorder_order[s]:
            if self.backlog[j] > 0 and self.level[s] > self.held(j):
                self.backlog[j] -= 1
                self.level[s] -= 1
                self.consumed[item] += 1
                self.model.log(self.label[s], "fill", 1)
                break
        recovery = self.watching.get(item)
        if recovery is not None and self.total(recovery.window.stocks) >= _level(recovery):
            recovery.days = self.env.now - recovery.start
            del self.watching[item]

    def serve(self, s: int, order: list[int], due: list[np.ndarray]) -> ProcessGenerator:
        """Walk the due units of the streams at stock `s` in time, then service, order."""
        days = np.concatenate(due)
        rank = np.concatenate([np.full(len(d), r) for r, d in enumerate(due)])
        for k in np.lexsort((rank, days)):
            day = float(days[k])
            if day >= self.model.horizon:
                return
            yield At(self.env, day, DEMAND)
            self.fall_due(s, order[rank[k]])

    def held(self, stream: int) -> int:
        """Stock that `stream` may not take now: what conflicts ranked ahead still need."""
        protectors = self.protectors[stream]
        if not protectors:
            return 0
        return int(
            held_back(protectors, self.env.now, self.conflict_start, self.due_total, self.fallen)
        )

    def fall_due(self, s: int, stream: int) -> None:
        """One unit of `stream` falls due at stock `s`."""
        item = self.item_of[s]
        backordered = self.network.streams[stream].backordered
        met = self.level[s] > self.held(stream)
        self.fallen[stream] += 1
        if met:
            self.level[s] -= 1
            self.consumed[item] += 1
            if not backordered:
                self.conflict_consumed[item] += 1
            self.model.log(self.label[s], "demand", 1)
            return
        self.shortfall[item][self.model.year(self.env.now)] += 1
        if backordered:
            self.backlog[stream] += 1
            self.model.log(self.label[s], "backorder", 1)
        else:
            self.conflict_shortfall[item] += 1
            self.model.log(self.label[s], "shortfall", 1)

    def watch(self, recovery: _Recovery) -> ProcessGenerator:
        """Note the level at the conflict's start; from its end, wait for stock to get back."""
        yield At(self.env, recovery.start, DEMAND)
        recovery.level = self.total(recovery.window.stocks)
        if recovery.end >= self.model.horizon:
            return
        yield At(self.env, recovery.end, RECOVERY)
        if self.total(recovery.window.stocks) >= recovery.level:
            recovery.days = self.env.now - recovery.start
        else:
            self.watching[recovery.window.item] = recovery

    def snapshots(self) -> ProcessGenerator:
        """Total stock per item at every month end, and each stock on every 31 December."""
        calendar = self.network.calendar
        for month, day in enumerate(calendar.month_edges[1:]):
            if day >= self.model.horizon:
                return
            yield At(self.env, float(day), SNAPSHOT)
            self.snapshot(month)

    def snapshot(self, month: int) -> None:
        """Record month `month`'s closing stock (and the year's, in December)."""
        for item in range(len(self.monthly)):
            self.monthly[item][month] = 0
        for s, level in enumerate(self.level):
            self.monthly[self.item_of[s]][month] += level
        if month % 12 == 11:
            for s, level in enumerate(self.level):
                self.year_end[s][month // 12] = level

    def close(self, horizon: float) -> None:
        """The last month- and year-end snapshot, and recoveries that end with the horizon."""
        self.snapshot(12 * self.network.calendar.years - 1)
        for recovery in self.recoveries:
            waiting = math.isnan(recovery.days) and recovery.level is not None
            if (
                waiting
                and recovery.end <= horizon
                and self.total(recovery.window.stocks) >= _level(recovery)
            ):
                recovery.days = horizon - recovery.start


class _Recovery:
    """One item's recovery clock in one replication."""

    def __init__(self, window: RecoveryWindow, start: float, end: float):
        self.window = window
        self.start = start
        self.end = end
        self.level: int | None = None
        self.days = math.nan


def _level(recovery: _Recovery) -> int:
    """The level a recovery waits for: noted at the conflict's start, before any wait."""
    assert recovery.level is not None, "watch() notes the level before it waits"
    return recovery.level
