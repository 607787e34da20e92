"""Where each line, input store and shipping route sits in the vector engine's arrays.

The step loop keeps its state in arrays shaped ``(lines, reps)``, ``(stores, reps)`` and
``(routes, reps)``. Lines are grouped into *levels* by supply depth — a line without
inputs is on level 0, a consumer one level above its deepest supplier — because lines on
one level never feed each other, so within a step they can start, finish and ship their
units together, in one array operation, where the rules would otherwise have us visit
them one by one in supply order. Each level's lines, input stores and routes are laid out
contiguously, so the loop works on slices (views), not on gathered copies; within a
level, lines with one destination come first and lines that split their output last.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.network import Network


@dataclass(frozen=True)
class Outlets:
    """Lines of one level with the same number of destinations, and their routes."""

    lines: slice
    width: int
    """Destinations of each line: 1 (no dispatch needed) or more."""
    routes: slice
    """Their routes, line by line, destination by destination."""


@dataclass(frozen=True)
class Level:
    """One level's positions in the loop's arrays."""

    lines: slice
    outlets: tuple[Outlets, ...]
    """The level's lines grouped by their number of destinations, in line order."""
    stores: slice
    """Input stores of the level's lines (empty on level 0)."""
    first_store: np.ndarray
    """First store of each line, counted from ``stores.start``."""
    other_stores: tuple[tuple[int, int], ...]
    """(store, line) of the stores after a line's first, counted from the level's start."""
    store_line: np.ndarray
    """Line of each store, counted from ``lines.start``."""
    per_unit: np.ndarray | None
    """(stores, 1) inputs consumed per unit started; None when every one is 1."""
    feeds: np.ndarray
    """Routes that feed the level's stores: the first of each store, in store order, then
    the others (see :func:`sum_groups`)."""
    feed_extra: np.ndarray
    """Store (counted from ``stores.start``) of each feed after the first ones."""


class Layout:
    """Positions of the lines, stores and routes of `network` in the loop's arrays.

    ``line_position[i]`` is where line ``i`` (network order) sits; likewise
    ``store_position`` and ``route_position`` (routes numbered as
    :meth:`Network.destinations`).
    """

    def __init__(self, network: Network):
        lines = network.lines
        suppliers: dict[int, list[int]] = {e: [] for e in range(len(network.stores))}
        for node in lines:
            for d in node.destinations:
                if d.kind == "store":
                    suppliers[d.index].append(node.index)
        depth = [0] * len(lines)
        for node in lines:  # supply order: suppliers come first
            feeding = [s for e in node.stores for s in suppliers[e]]
            depth[node.index] = (
                1 + max((depth[s] for s in feeding), default=-1) if node.stores else 0
            )
        order = sorted(range(len(lines)), key=lambda i: (depth[i], len(lines[i].destinations), i))
        self.lines = [lines[i] for i in order]
        self.line_position = np.empty(len(lines), dtype=np.int64)
        self.line_position[order] = np.arange(len(lines))

        first_route = np.cumsum([0] + [len(node.destinations) for node in lines])
        route_order = [first_route[i] + j for i in order for j in range(len(lines[i].destinations))]
        self.route_position = np.empty(len(route_order), dtype=np.int64)
        self.route_position[route_order] = np.arange(len(route_order))
        self.route_line = np.array(
            [self.line_position[i] for i, _ in network.destinations()], dtype=np.int64
        )[route_order]
        """Line (position) that ships on each route (position)."""

        store_order = [e for i in order for e in lines[i].stores]
        self.store_position = np.empty(len(store_order), dtype=np.int64)
        self.store_position[store_order] = np.arange(len(store_order))
        self.store_item = np.array([network.stores[e].item for e in store_order], dtype=np.int64)
        self.store_index = store_order
        """Network index of the store at each position."""

        feeding: dict[tuple[str, int], list[int]] = {}
        for g, (_, destination) in enumerate(network.destinations()):
            feeding.setdefault((destination.kind, destination.index), []).append(
                int(self.route_position[g])
            )
        self.levels = []
        line_at = store_at = route_at = 0
        for level in range(max(depth, default=-1) + 1):
            members = [i for i in order if depth[i] == level]
            outlets = []
            for width in sorted({len(lines[i].destinations) for i in members}):
                count = sum(len(lines[i].destinations) == width for i in members)
                outlets.append(
                    Outlets(
                        slice(line_at, line_at + count),
                        width,
                        slice(route_at, route_at + count * width),
                    )
                )
                line_at, route_at = line_at + count, route_at + count * width
            stores = [e for i in members for e in lines[i].stores]
            counts = [len(lines[i].stores) for i in members]
            first_store = _starts(counts)
            feeds = [sorted(feeding[("store", e)]) for e in stores]
            per_unit = np.array([[network.stores[e].per_unit] for e in stores], dtype=np.int64)
            self.levels.append(
                Level(
                    lines=slice(outlets[0].lines.start, line_at),
                    outlets=tuple(outlets),
                    stores=slice(store_at, store_at + len(stores)),
                    first_store=first_store,
                    other_stores=tuple(
                        (int(first_store[m]) + extra, m)
                        for m, count in enumerate(counts)
                        for extra in range(1, count)
                    ),
                    store_line=np.repeat(np.arange(len(members)), counts),
                    per_unit=None if np.all(per_unit == 1) else per_unit.reshape(-1, 1),
                    feeds=_firsts_then_rest(feeds)[0],
                    feed_extra=_firsts_then_rest(feeds)[1],
                )
            )
            store_at += len(stores)

        stock_feeds = [sorted(feeding.get(("stock", s), [])) for s in range(len(network.stocks))]
        self.fed_stocks = np.array([s for s, g in enumerate(stock_feeds) if g], dtype=np.int64)
        """Stocks that some route delivers to."""
        self.stock_feeds, self.stock_feed_extra = _firsts_then_rest([g for g in stock_feeds if g])


def _starts(counts: list[int]) -> np.ndarray:
    """Where each of consecutive groups of `counts` members begins."""
    counts = np.asarray(counts, dtype=np.int64)
    return np.cumsum(counts) - counts


def _firsts_then_rest(groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The first member of every group, then the other members; and each other's group."""
    firsts = [group[0] for group in groups]
    rest = [(member, g) for g, group in enumerate(groups) for member in group[1:]]
    return (
        np.array(firsts + [member for member, _ in rest], dtype=np.int64),
        np.array([g for _, g in rest], dtype=np.int64),
    )


def sum_groups(rows: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Totals of groups laid out by :func:`_firsts_then_rest`: one row per group.

    The first rows already stand for their groups, so the few other members are added
    onto them in place (`rows` is a scratch buffer) and the result is a view.
    """
    groups = rows.shape[0] - extra.size
    totals = rows[:groups]
    for member, group in enumerate(extra, start=groups):
        totals[group] += rows[member]
    return totals


def as_slice(index: np.ndarray) -> slice | np.ndarray:
    """`index` as a slice when it is a run of consecutive positions (a view, not a
    gather and scatter), else as it is."""
    if index.size and np.array_equal(index, np.arange(index[0], index[0] + index.size)):
        return slice(int(index[0]), int(index[0]) + index.size)
    return index
