"""A factory line as a SimPy process (docs/model.md, "Starting units, inputs and flow").

The line holds a *capacity credit* that accrues at its current rate and is capped at one
unit, because capacity cannot be banked. When the credit reaches one unit the line starts
a unit if every input of that unit is on hand in its stores; otherwise it is **starved**
and waits, credit full and capacity going to waste, until the inputs arrive. The moment
the credit next reaches one unit comes from integrating the piecewise-constant rate
(:meth:`sim.production.capacity.RateSchedule.reaches`), so the process sleeps from one start to the
next instead of polling.

The credit is kept as an amount of *accrued capacity*: ``base`` is the capacity accrued
when the credit was last empty, so the credit at day t is ``accrued(t) − base``. A line
that never starves therefore starts its n-th unit when the accrued capacity reaches
n − EPSILON, exactly when the vector engine's ⌊credit + EPSILON⌋ first counts it.

A started unit finishes ``flow_days`` later (one draw per replication, so units finish in
the order they started); unit k to finish fails acceptance iff k is among the pre-drawn
failure positions of :class:`sim.parameters.Parameters`, the same fate as in the vector
engine. Accepted units go out one at a time by :func:`sim.production.allocation.dispatch_one` (the
largest-deficit rule of :func:`sim.production.allocation.dispatch` for one unit).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import simpy
from simpy.events import ProcessGenerator

from sim.network import LineNode
from sim.production.allocation import destination_shares, dispatch_one, lines_shares_read
from sim.production.capacity import RateSchedule
from sim.production.orders import OrderBook
from sim.production.starvation import short_slots
from sim.production.surge import split_start
from sim.production.units import EPSILON
from sim.production.warm import exit_days, stated_exit_days

if TYPE_CHECKING:
    from sim.des.model import Replication


class Line:
    """One line in one replication: its credit, input stores, flow and counters."""

    def __init__(
        self,
        model: Replication,
        node: LineNode,
        schedule: RateSchedule,
        flow_days: float,
        failures: np.ndarray | None,
        yield_: float,
        warm_rate: float = 0.0,
        orders: OrderBook | None = None,
    ):
        self.model = model
        self.env = model.env
        self.node = node
        self.name = node.name
        self.schedule = schedule
        self.flow_days = flow_days
        self.yield_ = np.array([yield_])
        self.failures = failures
        self.failures_seen = 0
        self.next_failure = -1 if failures is None else int(failures[0])
        stores = model.network.stores
        self.per_unit = [stores[e].per_unit for e in node.stores]
        self.slot = {e: k for k, e in enumerate(node.stores)}
        self.on_hand = [stores[e].initial for e in node.stores]
        self.inputs_arrived: simpy.Event | None = None
        self.starved_since: float | None = None
        self.base = 0.0
        self.owed = [0.0] * len(node.destinations)
        self.shares: list[float] = []
        self.shares_until = -math.inf
        self.share_lines = lines_shares_read(model.network, node)
        self.started = 0
        self.finished = 0
        self.scrapped = 0
        self.output = [0] * model.calendar.years
        self.surge_output = [0.0] * model.calendar.years
        """Units started beyond peacetime capacity, by year of start
        (:mod:`sim.production.surge`)."""
        self.peacetime_seen = 0.0
        self.peacetime_credit = 0.0
        self.starved_days = 0.0
        self.input_starved_days = [0.0] * len(node.stores)
        """Starved days by input (slot), each counted while that input was short
        (:mod:`sim.production.starvation`)."""
        self.short_since: dict[int, float] = {}
        """Inputs (slots) short in the current starved spell, and since when."""
        self.orders = orders
        """The line's awards (:mod:`sim.production.orders`), all replications; None: starts
        not gated."""
        self.releases = None if orders is None else orders.of_replication(model.rep)
        self.unfunded_days = 0.0
        self.started_in_year = [0] * model.calendar.years
        self.in_flow_start = self._opening_flow(warm_rate)
        self.env.process(self.run())

    def _opening_flow(self, rate: float) -> int:
        """Put in flow what the line started before the start; returns how many units.

        The units the scenario states (``initial.in_flow``,
        :func:`sim.production.warm.stated_exit_days`), else a warm line's pipeline
        (:func:`sim.production.warm.exit_days`). They finish, in order and before any unit
        started in the horizon, and take the first places in the sequence
        of acceptance fates, as they would have had the line been simulated from before.
        """
        if self.node.in_flow is not None:
            finishing = stated_exit_days(self.node.in_flow, self.flow_days)
        else:
            finishing = exit_days(rate, self.flow_days) if rate > 0 else np.empty(0)
        for day in finishing:
            self.env.timeout(float(day)).callbacks.append(self.finish)
        return int(finishing.size)

    def run(self) -> ProcessGenerator:
        """Start units whenever a whole unit of capacity has accrued and inputs allow."""
        env, horizon = self.env, self.model.horizon
        while True:
            ready = self.schedule.reaches(self.base + 1.0 - EPSILON)
            if ready >= horizon:
                return
            yield env.timeout(max(ready - env.now, 0.0))
            if self.orders is not None and (release := self.funded_from()) > env.now:
                idle_since = env.now
                if release >= horizon:
                    self.count_unfunded(idle_since, horizon)
                    return
                yield env.timeout(release - env.now)
                self.count_unfunded(idle_since, release)
                # idle capacity is lost: the credit begins empty at the release
                self.base = self.schedule.accrued(env.now)
                continue
            if self.has_inputs():
                self.base += 1.0
            else:
                yield from self.starve()
                # the credit was capped at one unit while waiting: starting empties it
                self.base = self.schedule.accrued(env.now)
            self.start_unit()

    def funded_from(self) -> float:
        """The day the next unit is funded (:meth:`sim.production.orders.Releases.next_release`)."""
        assert self.releases is not None  # asked only of a line with orders
        return self.releases.next_release(self.started)

    def count_unfunded(self, since: float, until: float) -> None:
        """Count the days with a unit of capacity ready and no funded unit to start."""
        days = self.schedule.working_days(until) - self.schedule.working_days(since)
        self.unfunded_days += days
        self.model.log(self.name, "unfunded", days, day=since)

    def order_backlog(self) -> list[int]:
        """Units awarded and not yet started at each year's end (:mod:`sim.production.orders`)."""
        assert self.orders is not None  # asked only of a line with orders
        rep, edges = self.model.rep, self.model.calendar.year_edges
        started = np.cumsum(self.started_in_year)
        return [
            int(self.orders.awarded_by(float(edges[y + 1]))[rep]) - int(started[y])
            for y in range(len(started))
        ]

    def starve(self) -> ProcessGenerator:
        """Wait, credit full, until every input of one unit is on hand."""
        self.starved_since = self.env.now
        now = self.env.now
        self.short_since = {k: now for k in short_slots(self.on_hand, self.per_unit)}
        self.inputs_arrived = self.env.event()
        yield self.inputs_arrived
        self.end_starvation(self.env.now)

    def end_starvation(self, day: float) -> None:
        """Count the starved days since the credit filled (only days with capacity count)."""
        since = self.starved_since
        if since is None:
            return
        days = self.schedule.working_days(day) - self.schedule.working_days(since)
        self.starved_days += days
        self.starved_since = None
        self.model.log(self.name, "starve", days, day=since)
        for slot in list(self.short_since):
            self.end_shortage(slot, day)

    def end_shortage(self, slot: int, day: float) -> None:
        """Count the starved days input `slot` was short, up to `day` (its units came or
        the spell ended)."""
        since = self.short_since.pop(slot)
        working = self.schedule.working_days
        self.input_starved_days[slot] += working(day) - working(since)

    def has_inputs(self) -> bool:
        """Whether every input of one unit is on hand."""
        return all(have >= need for have, need in zip(self.on_hand, self.per_unit, strict=True))

    def receive(self, store: int) -> None:
        """One unit of an input arrives at `store`; a starved line starts at once if it can."""
        slot = self.slot[store]
        self.on_hand[slot] += 1
        if slot in self.short_since and self.on_hand[slot] >= self.per_unit[slot]:
            self.end_shortage(slot, self.env.now)
        if self.inputs_arrived is not None and self.has_inputs():
            waiting, self.inputs_arrived = self.inputs_arrived, None
            waiting.succeed()

    def start_unit(self) -> None:
        """Consume one unit's inputs and send the unit into flow."""
        for k, need in enumerate(self.per_unit):
            self.on_hand[k] -= need
        self.started += 1
        if self.schedule.peacetime_rates is not None:
            self.count_surge(self.env.now)
        self.started_in_year[self.model.year(self.env.now)] += 1
        self.model.log(self.name, "start", 1)
        if self.flow_days > 0:
            self.env.timeout(self.flow_days).callbacks.append(self.finish)
        else:
            self.finish()

    def count_surge(self, now: float) -> None:
        """Split the unit just started between peacetime capacity and the surge.

        :func:`sim.production.surge.split_start`, with the capacity the line would have accrued
        without its surge since the last start, capped at one unit as the line's own
        credit is while it waits for inputs (so after a wait only the first unit is
        peacetime's: the next come at the surged rate)."""
        accrued = self.schedule.peacetime_accrued(now)
        self.peacetime_credit = min(self.peacetime_credit + accrued - self.peacetime_seen, 1.0)
        self.peacetime_seen = accrued
        surged, self.peacetime_credit = split_start(1.0, self.peacetime_credit)
        self.surge_output[self.model.year(now)] += surged

    def finish(self, _event: simpy.Event | None = None) -> None:
        """A unit leaves flow: scrap it if its position is a failure, else dispatch it."""
        index = self.finished
        self.finished += 1
        if index == self.next_failure:
            self.scrapped += 1
            self.failures_seen += 1
            assert self.failures is not None  # next_failure is -1 without failures
            more = self.failures_seen < len(self.failures)
            self.next_failure = int(self.failures[self.failures_seen]) if more else -1
            self.model.log(self.name, "scrap", 1)
            return
        self.output[self.model.year(self.env.now)] += 1
        self.model.log(self.name, "finish", 1)
        self.model.ship(self, self.destination())

    def destination(self) -> int:
        """Which destination gets the next unit: largest deficit against today's shares.

        Shares follow the rates of this line, its consumers and their other inputs'
        suppliers (:func:`sim.production.allocation.lines_shares_read`), which change only at their
        schedules' boundaries, so they are recomputed only when one of those has passed.
        """
        if len(self.node.destinations) == 1:
            return 0
        now = self.env.now
        if now >= self.shares_until:
            yields = self.model.parameters.yield_[self.model.rep][None, :]
            shares = destination_shares(
                self.model.network, self.node, self.model.rates_now(), yields
            )
            self.shares = shares[0].tolist()
            self.shares_until = (
                math.inf
                if self.node.allocation == "split"
                else min(self.model.lines[i].schedule.next_change(now) for i in self.share_lines)
            )
        return dispatch_one(self.shares, self.owed)

    def close(self, horizon: float) -> None:
        """At the end of the horizon: a line still starved counts its days up to the end."""
        self.end_starvation(horizon)
