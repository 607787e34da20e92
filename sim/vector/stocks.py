"""Stockpiles, demand and recovery in the vector engine, all stocks at once.

Each stock serves its streams in order: first the new requirements of conflict
consumption, then the backorders of backordered (peacetime) streams, then their new
demand, each by priority. A peacetime stream takes only stock beyond what the conflicts
ranked ahead of it still require after this step (:func:`sim.production.demand.held_back`), so
partners' deliveries queue behind a war. The order matters only within a stock, so the
streams are taken by *rank*: the first stream of every stock together, then the second,
and so on. A step then costs a few operations per rank instead of a few per stream.
"""

from __future__ import annotations

import numpy as np

from sim.network import Network
from sim.parameters import Parameters
from sim.production.demand import Requirements, held_back, protecting_streams, recovery_windows
from sim.production.outcomes import Tallies
from sim.vector.layout import as_slice


def _ranks(sequences: list[list[int]]) -> list[tuple[slice | np.ndarray, slice | np.ndarray]]:
    """(stocks, streams) served at each rank, from each stock's stream sequence."""
    ranks = []
    for r in range(max((len(s) for s in sequences), default=0)):
        members = [(stock, order[r]) for stock, order in enumerate(sequences) if len(order) > r]
        stocks, streams = zip(*members, strict=True)
        ranks.append(
            (
                as_slice(np.array(stocks, dtype=np.int64)),
                as_slice(np.array(streams, dtype=np.int64)),
            )
        )
    return ranks


class Stocks:
    """Stock levels (stocks, reps) and the streams' backlogs and totals (streams, reps)."""

    def __init__(self, network: Network, parameters: Parameters, reps: int):
        streams = network.streams
        self.level = np.ascontiguousarray(parameters.stock_initial.T.astype(np.int64))
        orders = [network.stream_order(s) for s in range(len(network.stocks))]
        # conflicts that rank ahead of every peacetime stream at their stock (the default)
        # are served first; any other keeps its place among the new requirements
        leading = [self._leading_conflicts(network, o) for o in orders]
        self.first_ranks = _ranks(leading)
        self.backorder_ranks = _ranks([[j for j in o if streams[j].backordered] for o in orders])
        self.demand_ranks = [
            (s, j, np.array([stream.backordered for stream in streams])[j, None])
            for s, j in _ranks(
                [[j for j in o if j not in f] for o, f in zip(orders, leading, strict=True)]
            )
        ]
        self.conflict_streams = [j for j, stream in enumerate(streams) if not stream.backordered]
        self.later_conflicts = [
            j for j in self.conflict_streams if not any(j in f for f in leading)
        ]
        """Conflict streams served among the new requirements (an explicit priority)."""
        self.protectors = [
            (j, protectors)
            for j, protectors in enumerate(protecting_streams(network))
            if protectors
        ]
        self.held = None
        """(streams, reps) stock each stream may not take this step; None without conflicts."""
        if self.protectors:
            self.held = np.zeros((len(streams), reps), dtype=np.int64)
            self.total = np.ascontiguousarray(Requirements(network, parameters).total().T)
            self.start = np.ascontiguousarray(parameters.stream_start.T)
        self.backlog = np.zeros((len(streams), reps), dtype=np.int64)
        self.consumed = np.zeros((len(streams), reps), dtype=np.int64)
        self.shortfall = np.zeros((len(streams), reps), dtype=np.int64)
        """Unmet demand this year, per stream."""
        self.due_before = np.zeros((len(streams), reps), dtype=np.int64)
        self.stream_item = [network.stocks[stream.stock][0] for stream in streams]

    @staticmethod
    def _leading_conflicts(network: Network, order: list[int]) -> list[int]:
        """The conflict streams at the head of a stock's service order."""
        leading = []
        for j in order:
            if network.streams[j].backordered:
                break
            leading.append(j)
        return leading

    def serve(self, due: np.ndarray, end_day: float) -> None:
        """Meet what is due by `end_day` (streams, reps): conflict consumption first, then
        backorders, then new demand in service order; a peacetime stream takes only stock
        beyond what the conflicts ranked ahead of it still require."""
        before = self.due_before
        new = due - before
        self.due_before = due
        level, backlog = self.level, self.backlog
        for s, j in self.first_ranks:
            self._meet(s, j, new[j], False)
        held = self.held
        if held is not None:
            # backorders come before the conflicts served among the new requirements, so
            # those still hold back this step's units too
            seen = due
            if self.later_conflicts:
                seen = due.copy()
                seen[self.later_conflicts] = before[self.later_conflicts]
            self._hold(end_day, seen)
        for s, j in self.backorder_ranks:
            free = level[s] if held is None else np.maximum(level[s] - held[j], 0)
            met = np.minimum(free, backlog[j])
            level[s] -= met
            backlog[j] -= met
            self.consumed[j] += met
        if held is not None and self.later_conflicts:
            self._hold(end_day, due)  # each is served before the streams it protects
        for s, j, backordered in self.demand_ranks:
            self._meet(s, j, new[j], backordered)

    def _hold(self, end_day: float, seen: np.ndarray) -> None:
        """What each protected stream may not take, given conflict units `seen` due."""
        assert self.held is not None  # called only when streams are held back
        for j, protectors in self.protectors:
            self.held[j] = held_back(protectors, end_day, self.start, self.total, seen)

    def _meet(
        self,
        s: slice | np.ndarray,
        j: slice | np.ndarray,
        new: np.ndarray,
        backordered: np.ndarray | bool,
    ) -> None:
        """Serve `new` units of streams `j` at stocks `s`; the rest is short (and
        backordered where `backordered`)."""
        level, held = self.level, self.held
        free = level[s] if held is None else np.maximum(level[s] - held[j], 0)
        met = np.minimum(free, new)
        level[s] -= met
        unmet = new - met
        self.consumed[j] += met
        self.shortfall[j] += unmet
        self.backlog[j] += unmet * backordered

    def close_year(self, tallies: Tallies, year: int) -> None:
        """Write the year's shortfall by item; start the next year at zero."""
        for j, item in enumerate(self.stream_item):
            tallies.item_shortfall[:, item, year] += self.shortfall[j]
        for j in self.conflict_streams:
            tallies.item_conflict_shortfall[:, self.stream_item[j]] += self.shortfall[j]
        self.shortfall[:] = 0

    def record(self, tallies: Tallies) -> None:
        """Write the backorders left at the end and what each item's streams consumed."""
        for j, item in enumerate(self.stream_item):
            tallies.item_backorder[:, item] += self.backlog[j]
            tallies.item_consumed[:, item] += self.consumed[j]
        for j in self.conflict_streams:
            tallies.item_conflict_consumed[:, self.stream_item[j]] += self.consumed[j]


class Recovery:
    """Days from a conflict's start until an item's stock is back to its pre-conflict level.

    The level is the item's total stock when the first conflict that consumes it begins;
    recovery counts only once that conflict is over. NaN when it never happens or never
    recovers within the horizon.
    """

    def __init__(self, network: Network, parameters: Parameters, reps: int):
        self.items = [
            (window.item, window.stocks, window.start, window.end)
            for window in recovery_windows(network, parameters)
        ]
        self.level = np.full((reps, len(network.items)), np.nan)
        self.days = np.full((reps, len(network.items)), np.nan)
        finite = [start[np.isfinite(start)] for _, _, start, _ in self.items]
        self.first_day = min((float(s.min()) for s in finite if s.size), default=np.inf)

    def before_step(self, start_day: float, end_day: float, stock: np.ndarray) -> None:
        """Note the level of items whose conflict starts in this step: the stock (stocks,
        reps) before the step's arrivals and demand, the last state known from before the
        conflict began."""
        if end_day <= self.first_day:
            return
        for i, members, start, _ in self.items:
            begins = (start >= start_day) & (start < end_day)
            if begins.any():
                self.level[begins, i] = stock[members][:, begins].sum(axis=0)

    def after_demand(self, end_day: float, stock: np.ndarray) -> None:
        """Stop the clock of items whose stock (stocks, reps) is back to its level."""
        if end_day <= self.first_day:
            return
        for i, members, start, end in self.items:
            waiting = np.isnan(self.days[:, i]) & (end <= end_day) & ~np.isnan(self.level[:, i])
            if waiting.any():
                back = waiting & (stock[members].sum(axis=0) >= self.level[:, i])
                self.days[back, i] = end_day - start[back]
