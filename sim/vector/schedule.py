"""What the vector engine's steps are given from outside: capacity, shares and demand.

A line's capacity in a step (ramp × share of the step open × what disruptions leave,
capped by the funded rate), the shares in which a shared supplier splits its output, and
the units of demand due by each step's end depend only on the drawn parameters, never on
the state of the simulation. So they are computed here for a block of steps at a time,
in a few whole-array operations, instead of a handful of small ones in every step; a
block is short, so memory does not grow with the horizon. The maths is the shared one
(:mod:`sim.production.capacity`, :mod:`sim.production.allocation`,
:mod:`sim.production.demand`), element for element, so the numbers are those a
step-by-step computation gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from sim.network import Network
from sim.parameters import Disruptions, Parameters
from sim.production.allocation import PlannedSupply, line_shares
from sim.production.capacity import (
    disruption_shares_left,
    ramp_capacity_between,
    step_weights,
)
from sim.production.demand import Requirements
from sim.production.surge import mean_factor
from sim.production.units import whole_units
from sim.vector.layout import Layout

BLOCK_STEPS = 13
"""Steps per block: long enough to amortise the block's set-up, short for memory."""


@dataclass
class Block:
    """The inputs of steps ``steps`` (capacity and shares by position, see Layout)."""

    steps: range
    capacity: np.ndarray
    """(steps, lines, reps) units each line may start, after the funding cap."""
    shares: list[list[np.ndarray | None]]
    """Per level and outlets (see Layout): (steps, destinations, lines × reps), or None."""
    due: np.ndarray | None
    """(steps, streams, reps) whole units of each stream due by the step's end."""
    peacetime: np.ndarray | None = None
    """(steps, surging lines, reps) capacity each surging line would have had without its
    wartime surge, after the funding cap (:func:`surge_positions` order), or None when no
    line surges."""


def surge_positions(parameters: Parameters, layout: Layout) -> np.ndarray:
    """Layout positions of the lines that surge in some replication, in order."""
    if parameters.surge is None:
        return np.empty(0, dtype=np.int64)
    return np.sort(layout.line_position[parameters.surge.lines()])


class DisruptionFactors:
    """What disruptions leave of one line's capacity, as a sparse list per step.

    Events are few and short next to the horizon, so instead of testing every event in
    every step we list, once, each (replication, step) an event touches and the factor
    1 − lost × overlap/step it leaves there (or, where several events touch one step, the
    exact share they leave, from :func:`sim.production.capacity.disruption_share_left`).
    """

    def __init__(self, events: Disruptions, step_edges: np.ndarray):
        rows, event = np.nonzero(np.isfinite(events.start) & (events.end > events.start))
        start, end, lost = (
            events.start[rows, event],
            events.end[rows, event],
            events.lost[rows, event],
        )
        first = np.searchsorted(step_edges, start, side="right") - 1
        last = np.searchsorted(step_edges, end, side="left") - 1
        last = np.minimum(last, step_edges.size - 2)
        keep = first <= last
        rows, start, end, lost, first, last = (
            a[keep] for a in (rows, start, end, lost, first, last)
        )
        counts = last - first + 1
        owner = np.repeat(np.arange(rows.size), counts)
        step = first[owner] + (
            np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        )
        low, high = step_edges[step], step_edges[step + 1]
        overlap = np.clip(np.minimum(end[owner], high) - np.maximum(start[owner], low), 0.0, None)
        factor = 1.0 - lost[owner] * overlap / (high - low)
        # a step touched by several events of one replication: the exact average of what
        # the events active at each moment leave (they multiply only where they overlap)
        key = rows[owner] * step_edges.size + step
        by_key = np.argsort(key, kind="stable")
        sorted_key = key[by_key]
        first_entry = np.flatnonzero(np.r_[key.size > 0, sorted_key[1:] != sorted_key[:-1]])
        keys = sorted_key[first_entry]
        counts = np.diff(np.r_[first_entry, key.size])
        factor = factor[by_key[first_entry]]
        several = np.flatnonzero(counts > 1)
        if several.size:
            # the events of each such step in their original order, padded to a rectangle
            group = np.repeat(np.arange(keys.size), counts)
            place = np.arange(key.size) - first_entry[group]
            chosen = counts[group] > 1
            members = np.full((several.size, int(counts.max())), -1)
            rank = np.cumsum(counts > 1) - 1
            members[rank[group[chosen]], place[chosen]] = owner[by_key[chosen]]
            pad = members < 0
            low = step_edges[keys[several] % step_edges.size]
            high = step_edges[keys[several] % step_edges.size + 1]
            factor[several] = disruption_shares_left(
                np.where(pad, np.inf, start[members]),
                np.where(pad, np.inf, end[members]),
                np.where(pad, 0.0, lost[members]),
                low,
                high,
            )
        rows, step = keys // step_edges.size, keys % step_edges.size
        order = np.argsort(step, kind="stable")
        self.rows, self.step = rows[order].astype(np.int32), step[order].astype(np.int32)
        self.factor = factor[order]
        self.bounds = np.searchsorted(self.step, np.arange(step_edges.size))


class Schedule:
    """Capacity, shares and demand of a chunk's replications, block by block."""

    def __init__(self, network: Network, parameters: Parameters, layout: Layout):
        calendar = network.calendar
        self.network, self.layout = network, layout
        lines = [node.index for node in layout.lines]  # network index of each position
        reps = len(parameters.replications)
        edges = calendar.step_edges
        self.start, self.end = edges[:-1], edges[1:]
        self.length = self.end - self.start
        year = calendar.step_year
        self.year_days = calendar.year_edges[year + 1] - calendar.year_edges[year]

        periods = max((r.shape[1] for r in parameters.rates), default=1)
        self.rates = np.zeros((len(lines), periods, reps))
        steps = calendar.steps
        self.first = np.zeros((steps, len(lines)), dtype=np.int64)
        self.second = np.zeros((steps, len(lines)), dtype=np.int64)
        self.first_weight = np.zeros((steps, len(lines)))
        self.second_weight = np.zeros((steps, len(lines)))
        rows = np.arange(steps)
        self.drawn_ramps: list[tuple[int, np.ndarray, np.ndarray]] = []
        """(position, edges, rates) of lines whose ramp follows a drawn opening day: their
        ramp capacity comes per replication (:func:`ramp_capacity_between`)."""
        for p, i in enumerate(lines):
            line_rates = parameters.rates[i]
            if network.lines[i].ramp_start is None:
                self.drawn_ramps.append((p, parameters.ramp_edges[i], line_rates))
                continue
            ramp_edges = parameters.ramp_edges[i][0]
            self.rates[p, : line_rates.shape[1]] = line_rates.T
            weights = step_weights(calendar, ramp_edges)
            lead = np.argmax(weights > 0, axis=1)
            follow = np.minimum(lead + 1, weights.shape[1] - 1)
            self.first[:, p], self.first_weight[:, p] = lead, weights[rows, lead]
            self.second[:, p] = follow
            self.second_weight[:, p] = np.where(follow > lead, weights[rows, follow], 0.0)

        self.opens = np.ascontiguousarray(parameters.opens.T[lines])
        self.yield_ = np.ascontiguousarray(parameters.yield_.T[lines])
        funded = parameters.funded.T[lines]
        self.funded_lines = np.flatnonzero(np.isfinite(funded).any(axis=1))
        self.funded = np.ascontiguousarray(funded[self.funded_lines])
        self.disruptions = [
            (int(layout.line_position[i]), DisruptionFactors(events, edges))
            for i, events in enumerate(parameters.disruptions)
            if events is not None
        ]
        self.requirements = Requirements(network, parameters) if network.streams else None
        self.surging = surge_positions(parameters, layout)
        if self.surging.size:
            index = np.asarray(lines)[self.surging]
            windows = parameters.surge
            assert windows is not None  # lines surge only where windows were drawn
            self.surge_windows = tuple(
                a.T[index][None] for a in (windows.begin, windows.full, windows.end, windows.factor)
            )
            self.surge_funded = parameters.funded.T[index]

        self.capacity_total = np.zeros((len(lines), reps))
        self.funding_capped_days = np.zeros((len(lines), reps))
        self.disrupted_days = np.zeros((len(lines), reps))
        for p, factors in self.disruptions:
            step, rows = factors.step, factors.rows
            share = np.clip((self.end[step] - self.opens[p, rows]) / self.length[step], 0.0, 1.0)
            lost_days = (1.0 - factors.factor) * self.length[step] * share
            np.add.at(self.disrupted_days[p], rows, lost_days)  # in step order, as if per step

    def blocks(self, size: int = BLOCK_STEPS) -> Iterator[Block]:
        """The inputs of every step, `size` steps at a time, in order."""
        steps = self.length.size
        for first in range(0, steps, size):
            yield self.block(range(first, min(first + size, steps)))

    def block(self, steps: range) -> Block:
        """The inputs of `steps` (consecutive); adds their capacity to the totals."""
        k = slice(steps.start, steps.stop)
        lines = np.arange(self.rates.shape[0])
        capacity = self.rates[lines[None, :], self.first[k]] * self.first_weight[k][:, :, None]
        # a step inside one ramp year adds nothing from a second: add only where it does
        straddle = self.second_weight[k] > 0
        if straddle.any():
            step, line = np.nonzero(straddle)
            second = self.rates[line, self.second[k][straddle]]
            capacity[step, line] += second * self.second_weight[k][straddle][:, None]
        # a line open since before the block keeps all of it (the share is exactly 1)
        opening = np.flatnonzero(self.opens.max(axis=1) > self.start[steps.start])
        if opening.size:
            capacity[:, opening] *= np.clip(
                (self.end[k, None, None] - self.opens[opening]) / self.length[k, None, None],
                0.0,
                1.0,
            )
        for p, edges, rates in self.drawn_ramps:
            # from the opening on (nothing before it), so the opening share is in already
            capacity[:, p] = ramp_capacity_between(edges, rates, self.start[k], self.end[k]).T
        for p, factors in self.disruptions:
            low, high = factors.bounds[steps.start], factors.bounds[steps.stop]
            step = factors.step[low:high] - steps.start
            capacity[step, p, factors.rows[low:high]] *= factors.factor[low:high]
        peacetime = None
        if self.surging.size:
            peacetime = capacity[:, self.surging]
            capacity[:, self.surging] = peacetime * mean_factor(
                self.start[k, None, None], self.end[k, None, None], *self.surge_windows
            )
            funded = self.surge_funded * (self.length[k] / self.year_days[k])[:, None, None]
            peacetime = np.minimum(peacetime, funded)
        if self.funded_lines.size:
            uncapped = capacity[:, self.funded_lines]
            funded = self.funded * (self.length[k] / self.year_days[k])[:, None, None]
            capped = np.minimum(uncapped, funded)
            with np.errstate(invalid="ignore", divide="ignore"):
                lost = np.where(uncapped > 0, (uncapped - capped) / uncapped, 0.0)
            lost *= self.length[k, None, None]
            for b in range(len(steps)):
                self.funding_capped_days[self.funded_lines] += lost[b]
            capacity[:, self.funded_lines] = capped
        for b in range(len(steps)):
            self.capacity_total += capacity[b]

        due = None
        if self.requirements is not None:
            required = self.requirements.by(self.end[k, None, None])
            due = np.ascontiguousarray(whole_units(required).transpose(0, 2, 1))
        return Block(steps, capacity, self._shares(capacity), due, peacetime)

    def _shares(self, capacity: np.ndarray) -> list[list[np.ndarray | None]]:
        """Destination shares for the block, by level and outlets (None for one destination)."""
        layout, network = self.layout, self.network
        block, reps = capacity.shape[0], capacity.shape[2]
        shares: list[list[np.ndarray | None]] = []
        plan = PlannedSupply()  # what the block's shares read more than once
        for level in layout.levels:
            shares.append([])
            for outlets in level.outlets:
                if outlets.width == 1:
                    shares[-1].append(None)
                    continue
                lines = range(outlets.lines.start, outlets.lines.stop)
                these = np.empty((block, outlets.width, len(lines) * reps))
                for m, p in enumerate(lines):
                    these[:, :, m * reps : (m + 1) * reps] = line_shares(
                        network,
                        layout.lines[p],
                        lambda line: capacity[:, layout.line_position[line]],
                        lambda line: self.yield_[layout.line_position[line]],
                        axis=-2,
                        plan=plan,
                    )
                shares[-1].append(these)
        return shares
