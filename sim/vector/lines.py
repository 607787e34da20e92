"""The production lines of the vector engine: one step of every line, a level at a time.

Per step and level (see :mod:`sim.vector.layout`), for all the level's lines and
replications at once: inputs arriving from shipping, whole units started (capacity
credit carried between steps, capped at one unit, at most the units the inputs allow),
flow time as delay lines, acceptance by the pre-drawn failure positions, output shared
among destinations by :func:`sim.production.allocation.dispatch`, and shipping as delay lines.
Levels are visited in supply order, so a unit that a supplier finishes and ships with
no delay reaches its consumer in the same step.

State is kept ``(lines, reps)``, lines in the layout's order; :meth:`Lines.record`
writes the totals into the network-ordered tallies at the end.
"""

from __future__ import annotations

import numpy as np

from sim.network import Network
from sim.parameters import Parameters
from sim.production.allocation import dispatch
from sim.production.outcomes import Tallies
from sim.production.starvation import share_out, short_inputs
from sim.production.surge import split_start
from sim.production.units import whole_units
from sim.production.warm import entered_by_step, stated_entered
from sim.vector.acceptance import Acceptance
from sim.vector.delays import DelayLines
from sim.vector.funding import Funding
from sim.vector.layout import Layout, Level, sum_groups
from sim.vector.schedule import Block, surge_positions


class Lines:
    """Every line of a chunk of replications, stepped together."""

    def __init__(self, network: Network, parameters: Parameters, layout: Layout):
        calendar = network.calendar
        reps = len(parameters.replications)
        self.layout, self.reps = layout, reps
        self.index = [node.index for node in layout.lines]
        """Network index of the line at each position."""
        lines = len(self.index)

        self.flow = DelayLines(calendar.steps_for(parameters.flow_days).T[self.index])
        ship_delays = np.zeros((len(layout.route_line), reps), dtype=np.int64)
        route_rates = np.zeros((len(layout.route_line), reps))
        for g, (_, destination) in enumerate(network.destinations()):
            if destination.lane is not None:
                lane_days = parameters.shipping_days[destination.lane]
                ship_delays[layout.route_position[g]] = calendar.steps_for(lane_days)
                route_rates[layout.route_position[g]] = parameters.warm_route_rate[:, g]
        self.shipping = DelayLines(ship_delays)
        # the warm start (sim.production.warm): pipelines as after running at the start's rate
        step = calendar.mean_step_days
        flow = self.flow
        entered = entered_by_step(parameters.warm_rate.T[self.index], flow.delays, step, flow.size)
        self.at_once = _stated_flow(network, self.index, flow, step, entered)
        """Stated units in flow that finish in step 0 (a flow of no whole step), or None."""
        self.in_flow_start = flow.preload(entered)
        if self.at_once is not None:
            self.in_flow_start = self.in_flow_start + self.at_once
        self.in_transit_start = self.shipping.preload(
            entered_by_step(route_rates, ship_delays, step, self.shipping.size)
        )
        self.flow_readers = [
            self.flow.reader(np.arange(level.lines.start, level.lines.stop))
            for level in layout.levels
        ]
        self.feed_readers = [self.shipping.reader(level.feeds) for level in layout.levels]
        self.stock_reader = self.shipping.reader(layout.stock_feeds)
        self.acceptance = Acceptance([parameters.failures[i] for i in self.index], reps)
        self.funding = Funding(layout, parameters.orders, calendar)

        self.credit = np.zeros((lines, reps))
        self.store = np.zeros((len(layout.store_item), reps), dtype=np.int64)
        self.store_start = np.array(
            [network.stores[e].initial for e in layout.store_index], dtype=np.int64
        )
        self.store += self.store_start[:, None]
        self.started = np.zeros((lines, reps), dtype=np.int64)
        self.finished = np.zeros((lines, reps), dtype=np.int64)
        self.starved = np.zeros((lines, reps))
        self.store_starved = np.zeros((len(layout.store_item), reps))
        """Starved days by input store, counted while that input was short."""
        self.output = np.zeros((lines, reps), dtype=np.int64)
        """Output passing acceptance this year."""
        self.store_arrivals = np.zeros_like(self.store)
        """Arrivals at input stores this year."""
        self.surging = surge_positions(parameters, layout)
        self.surge_output = np.zeros((self.surging.size, reps))
        """Units started beyond peacetime capacity this year, by surging line."""
        self.peacetime_credit = np.zeros((self.surging.size, reps))
        """Peacetime capacity accrued and not yet used
        (:func:`sim.production.surge.split_start`)."""
        self.level_surging = [
            (np.flatnonzero((self.surging >= lv.lines.start) & (self.surging < lv.lines.stop)))
            for lv in layout.levels
        ]
        self.owed = {
            id(outlets): np.zeros(
                (outlets.width, (outlets.lines.stop - outlets.lines.start) * reps)
            )
            for level in layout.levels
            for outlets in level.outlets
            if outlets.width > 1
        }
        # scratch buffers for what leaves the delay lines
        self.leaving = [
            np.empty((level.lines.stop - level.lines.start, reps), dtype=np.int32)
            for level in layout.levels
        ]
        self.arriving = [
            np.empty((level.feeds.size, reps), dtype=np.int32) for level in layout.levels
        ]
        self.to_stocks = np.empty((layout.stock_feeds.size, reps), dtype=np.int32)

    def step(self, k: int, b: int, block: Block, length: float) -> None:
        """Step `k` (the `b`-th of `block`), `length` days, of every line."""
        for v, level in enumerate(self.layout.levels):
            started = self._start(k, v, level, block.capacity[b, level.lines], length)
            if block.peacetime is not None and self.level_surging[v].size:
                self._count_surge(v, level, started, block.peacetime[b])
            self.flow.enter(k, level.lines, started)
            passed = self.flow.leave(k, self.flow_readers[v], self.leaving[v])
            if k == 0 and self.at_once is not None:
                passed += self.at_once[level.lines]
            self.finished[level.lines] += passed
            self.acceptance.scrap(level.lines, self.finished[level.lines], passed)
            self.output[level.lines] += passed
            self._ship(k, level, passed, block.shares[v], b)

    def _start(
        self, k: int, v: int, level: Level, capacity: np.ndarray, length: float
    ) -> np.ndarray:
        """Take in the level's inputs and start whole units; returns the units started."""
        here, credit, store = level.lines, self.credit, self.store
        inputs = level.stores.stop > level.stores.start
        if level.feeds.size:
            arrived = sum_groups(
                self.shipping.leave(k, self.feed_readers[v], self.arriving[v]), level.feed_extra
            )
            store[level.stores] += arrived
            self.store_arrivals[level.stores] += arrived
        gated = self.funding.levels[v]
        if inputs or gated:
            carried = credit[here].copy()
        credit[here] += capacity
        if gated:
            self.funding.open_step(k, v, credit, capacity, self.started)
        possible = whole_units(credit[here])
        if gated:
            self.funding.cap(v, possible, carried, capacity, length)
        started = possible
        if inputs:
            allowed = store[level.stores]
            if level.per_unit is not None:
                allowed = allowed // level.per_unit
            started = np.minimum(possible, allowed[level.first_store])
            for e, line in level.other_stores:
                np.minimum(started[line], allowed[e], out=started[line])
            used = started[level.store_line]
            if level.per_unit is not None:
                used *= level.per_unit
            store[level.stores] -= used
            short = possible - started
            if short.any():
                days = _starved_days(carried, capacity, started, short, length)
                self.starved[here] += days
                lacking = short_inputs(store[level.stores], level.per_unit)
                self.store_starved[level.stores] += share_out(days, lacking, level.store_line)
        # the credit carried on is capped at one unit: a starved line keeps one unit
        # ready; a line that started all it could keeps the fractional remainder
        credit[here] = np.minimum(np.maximum(credit[here] - started, 0.0), 1.0)
        if gated:
            self.funding.close_step(v, credit)
        self.started[here] += started
        return started

    def _count_surge(
        self, v: int, level: Level, started: np.ndarray, peacetime: np.ndarray
    ) -> None:
        """Split the level's surging lines' starts between peacetime capacity and surge."""
        j = self.level_surging[v]
        credit = self.peacetime_credit[j] + peacetime[j]
        surged, self.peacetime_credit[j] = split_start(
            started[self.surging[j] - level.lines.start], credit
        )
        self.surge_output[j] += surged

    def _ship(
        self, k: int, level: Level, passed: np.ndarray, shares: list[np.ndarray | None], b: int
    ) -> None:
        """Share the level's accepted units among destinations and send them on their way."""
        for outlets, outlet_shares in zip(level.outlets, shares, strict=True):
            first = outlets.lines.start - level.lines.start
            units = passed[first : first + outlets.lines.stop - outlets.lines.start]
            if outlets.width > 1:
                assert outlet_shares is not None  # None only for a single destination
                given = dispatch(
                    units.reshape(-1), outlet_shares[b], self.owed[id(outlets)], axis=0
                )
                units = given.reshape(outlets.width, -1, self.reps).transpose(1, 0, 2)
            self.shipping.enter(k, outlets.routes, units.reshape(-1, self.reps))

    def arrivals_at_stocks(self, k: int) -> np.ndarray:
        """Units reaching each stock that routes deliver to (``layout.fed_stocks``) at `k`."""
        taken = self.shipping.leave(k, self.stock_reader, self.to_stocks)
        return sum_groups(taken, self.layout.stock_feed_extra)

    def close_year(self, tallies: Tallies, year: int) -> None:
        """Write the year's output and store arrivals; start the next year at zero."""
        tallies.line_output[:, self.index, year] = self.output.T
        if self.surging.size:
            surging = np.asarray(self.index)[self.surging]
            tallies.line_surge_output[:, surging, year] = self.surge_output.T
            self.surge_output[:] = 0.0
        for e, item in enumerate(self.layout.store_item):
            tallies.item_deliveries[:, item, year] += self.store_arrivals[e]
        self.output[:] = 0
        self.store_arrivals[:] = 0
        if self.funding.gated:
            self.funding.close_year(year, self.started)

    def record(self, tallies: Tallies, steps: int) -> None:
        """Write the totals at the end of `steps` steps."""
        index = self.index
        tallies.line_starved_days[:, index] = self.starved.T
        tallies.store_starved_days[:, self.layout.store_index] = self.store_starved.T
        tallies.line_started[:, index] = self.started.T
        tallies.line_scrapped[:, index] = self.acceptance.failed.T
        tallies.line_in_flow[:, index] = self.flow.held(steps).T
        tallies.line_in_flow_start[:, index] = self.in_flow_start.T
        for p in self.funding.gated:
            tallies.line_unfunded_days[:, index[p]] = self.funding.unfunded[p]
            tallies.line_order_backlog[:, index[p]] = self.funding.backlog[p].T
        in_transit = self.shipping.held(steps)
        for g, p in enumerate(self.layout.route_line):
            item = self.layout.lines[p].item
            tallies.item_in_transit[:, item] += in_transit[g]
            tallies.item_in_transit_start[:, item] += self.in_transit_start[g]
        for e, item in enumerate(self.layout.store_item):
            tallies.item_in_stores[:, item] += self.store[e]
            tallies.item_in_stores_start[:, item] += self.store_start[e]


def _stated_flow(
    network: Network, index: list[int], flow: DelayLines, step: float, entered: np.ndarray
) -> np.ndarray | None:
    """Put the units stated in flow (``initial.in_flow``) into `entered`, the flow ring's
    preload, in place of the warm pipeline (:func:`sim.production.warm.stated_entered`); returns the
    units that finish in step 0, (lines, reps), or None when no line states any."""
    stated = [p for p, i in enumerate(index) if network.lines[i].in_flow is not None]
    if not stated:
        return None
    at_once = np.zeros(flow.delays.shape, dtype=np.int64)
    units = np.array([network.lines[index[p]].in_flow for p in stated])[:, None]
    ring, lanes = stated_entered(
        np.broadcast_to(units, flow.delays[stated].shape), flow.delays[stated], step, flow.size
    )
    entered[:, stated] = ring
    at_once[stated] = lanes
    return at_once


def _starved_days(
    carried: np.ndarray,
    capacity: np.ndarray,
    started: np.ndarray,
    short: np.ndarray,
    length: float,
) -> np.ndarray:
    """Days of the step a line spent with a whole unit of credit but not the inputs for it.

    Capacity accrues evenly over the step from the `carried` credit, so the credit for
    the first unit the inputs did not allow (unit ``started + 1``) is there from
    ``(started + 1 − carried) / capacity`` of the way through the step; the line is starved
    from then to the end of the step. A line that was starved at the end of the last step
    carries a full unit and is starved from the start. Days without capacity do not count.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        ready = np.clip((started + 1 - carried) / capacity, 0.0, 1.0)
    return np.where((short > 0) & (capacity > 0), (1.0 - ready) * length, 0.0)
