"""Stockpiles, demand and recovery in the vector engine, all stocks at once.

Each stock serves its streams in order: first the backorders of backordered streams,
then each stream's new demand, by priority (conflict consumption first). The order
matters only within a stock, so the streams are taken by *rank*: the first stream of
every stock together, then the second, and so on. A step then costs a few operations
per rank instead of a few per stream.
"""

from __future__ import annotations

import numpy as np

from sim.demand import recovery_windows
from sim.network import Network
from sim.outcomes import Tallies
from sim.sampling import Parameters
from sim.vector.layout import as_slice


def _ranks(sequences: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
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
        self.backorder_ranks = _ranks([[j for j in o if streams[j].backordered] for o in orders])
        self.demand_ranks = [
            (s, j, np.array([stream.backordered for stream in streams])[j, None])
            for s, j in _ranks(orders)
        ]
        self.backlog = np.zeros((len(streams), reps), dtype=np.int64)
        self.consumed = np.zeros((len(streams), reps), dtype=np.int64)
        self.shortfall = np.zeros((len(streams), reps), dtype=np.int64)
        """Unmet demand this year, per stream."""
        self.due_before = np.zeros((len(streams), reps), dtype=np.int64)
        self.stream_item = [network.stocks[stream.stock][0] for stream in streams]

    def serve(self, due: np.ndarray) -> None:
        """Meet what is due by now (streams, reps): backorders first, then new demand."""
        new = due - self.due_before
        self.due_before = due
        level, backlog = self.level, self.backlog
        for s, j in self.backorder_ranks:
            met = np.minimum(level[s], backlog[j])
            level[s] -= met
            backlog[j] -= met
            self.consumed[j] += met
        for s, j, backordered in self.demand_ranks:
            met = np.minimum(level[s], new[j])
            level[s] -= met
            unmet = new[j] - met
            self.consumed[j] += met
            self.shortfall[j] += unmet
            backlog[j] += unmet * backordered

    def close_year(self, tallies: Tallies, year: int) -> None:
        """Write the year's shortfall by item; start the next year at zero."""
        for j, item in enumerate(self.stream_item):
            tallies.item_shortfall[:, item, year] += self.shortfall[j]
        self.shortfall[:] = 0

    def record(self, tallies: Tallies) -> None:
        """Write the backorders left at the end and what each item's streams consumed."""
        for j, item in enumerate(self.stream_item):
            tallies.item_backorder[:, item] += self.backlog[j]
            tallies.item_consumed[:, item] += self.consumed[j]


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
