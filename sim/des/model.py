"""One replication of the production network as a SimPy model, and the chunk loop around it.

The DES engine is the reference semantics of docs/model.md in continuous time (days since
1 January of the first year): every unit is an event, every delay is exact, and nothing
is rounded to a step. It consumes the very same :class:`sim.parameters.Parameters` as the
vector engine (ramp rates, flow and shipping days, pre-drawn acceptance failures,
disruption events, demand rates and conflict windows) and fills the same
:class:`sim.production.outcomes.Tallies`, one row per replication, so the engines differ only where
time steps and continuous time must differ (docs/model.md, "Engine agreement").

:class:`Replication` wires the pieces: a :class:`~sim.des.lines.Line` process per line, the
:class:`~sim.des.stocks.Stocks` with their demand processes, and the shipping between them
(units leave a line one at a time and reach a stock or a consuming line's store after the
lane's shipping days). Ship repair (:class:`~sim.des.ships.Shipyards`) and each engine
type (:class:`~sim.des.engines.EnginePool`) run in the same environment but do not touch
production: a missile line never waits for a ship.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.des.engines import EnginePool
from sim.des.lines import Line
from sim.des.ships import Shipyards
from sim.des.stocks import Stocks
from sim.des.trace import Trace
from sim.network import Destination, LineNode, Network
from sim.parameters import Parameters
from sim.production.capacity import rate_schedule
from sim.production.demand import RecoveryWindow, Requirements, recovery_windows
from sim.production.outcomes import Outcomes, Tallies, outcomes_from_tallies
from sim.production.warm import exit_days
from sim.repair.outcomes import RepairTallies, add_repair_metrics

if TYPE_CHECKING:
    from sim.execution.partial import Fraction


def simulate(
    network: Network,
    parameters: Parameters,
    trace: str | Path | None = None,
    progress: Fraction | None = None,
) -> Outcomes:
    """Run the chunk of replications in `parameters`, one at a time; return their outcomes.

    With `trace`, the event log of the chunk's first replication is written there as CSV;
    `progress` hears the share of replications done after each one.
    """
    repair = RepairTallies.zeros(network, len(parameters.replications))
    tallies = run_tallies(network, parameters, trace, repair, progress)
    outcomes = outcomes_from_tallies(
        network, tallies, parameters.replications, parameters.unit_cost, parameters.costs
    )
    add_repair_metrics(outcomes, network, parameters, repair)
    return outcomes


def run_tallies(
    network: Network,
    parameters: Parameters,
    trace: str | Path | None = None,
    repair: RepairTallies | None = None,
    progress: Fraction | None = None,
) -> Tallies:
    """The simulation proper; returns the raw production tallies (tests use them for
    invariants) and fills `repair`, when given, with the ship and engine repair tallies."""
    reps = len(parameters.replications)
    tallies = Tallies.zeros(network, reps)
    requirements = Requirements(network, parameters)
    windows = recovery_windows(network, parameters)
    for rep in range(reps):
        log = Trace() if trace is not None and rep == 0 else None
        replication = Replication(network, parameters, rep, requirements, windows, log)
        replication.run()
        replication.record(tallies)
        if repair is not None:
            replication.record_repair(repair)
        if log is not None and trace is not None:  # a log is kept only with a trace file
            log.write(trace)
        if progress is not None:
            progress((rep + 1) / reps)
    return tallies


class Replication:
    """The SimPy environment of one replication and the routes between its lines and stocks."""

    def __init__(
        self,
        network: Network,
        parameters: Parameters,
        rep: int,
        requirements: Requirements,
        windows: list[RecoveryWindow],
        trace: Trace | None = None,
    ):
        self.network = network
        self.parameters = parameters
        self.rep = rep
        self.calendar = network.calendar
        self.horizon = self.calendar.horizon_days
        self.trace = trace
        self.env = simpy.Environment()
        items = len(network.items)
        self.deliveries = [[0] * self.calendar.years for _ in range(items)]
        self.in_transit = [0] * items
        self.shipping_days = {
            lane: float(days[rep]) for lane, days in parameters.shipping_days.items()
        }
        self.stocks = Stocks(self, requirements, rep)
        for window in windows:
            self.stocks.recover(window, rep)
        self.lines = [self._line(node) for node in network.lines]
        self.in_transit_start = [0] * items
        self._warm_shipping()
        self.shipyards: Shipyards | None = None
        if network.ships is not None:
            assert parameters.ships is not None  # sampled whenever the network has ships
            self.shipyards = Shipyards(self, network.ships, parameters.ships)
        self.engines = [
            EnginePool(self, engine, draws)
            for engine, draws in zip(network.engines, parameters.engines, strict=True)
        ]

    def _line(self, node: LineNode) -> Line:
        """The line process of `node`, with this replication's draws."""
        parameters, rep, i = self.parameters, self.rep, node.index
        events = parameters.disruptions[i]
        surge = None if parameters.surge is None else parameters.surge.of(rep, i)
        schedule = rate_schedule(
            self.calendar,
            parameters.ramp_edges[i][rep],
            parameters.rates[i][rep],
            float(parameters.opens[rep, i]),
            float(parameters.funded[rep, i]),
            None if events is None else (events.start[rep], events.end[rep], events.lost[rep]),
            surge,
        )
        failures = parameters.failures[i]
        return Line(
            self,
            node,
            schedule,
            float(parameters.flow_days[rep, i]),
            None if failures is None else failures[rep],
            float(parameters.yield_[rep, i]),
            float(parameters.warm_rate[rep, i]),
            parameters.orders[i] if parameters.orders else None,
        )

    def _warm_shipping(self) -> None:
        """Put at sea what warm lines shipped before the start (docs/model.md, "Warm start").

        Each unit arrives, and counts as a delivery, when its place in the pipeline says
        (:func:`sim.production.warm.exit_days`); until then it is in transit like any other.
        """
        rates = self.parameters.warm_route_rate[self.rep]
        for g, (i, destination) in enumerate(self.network.destinations()):
            days = self.shipping_days[destination.lane] if destination.lane else 0.0
            if rates[g] <= 0 or days <= 0:
                continue
            item = self.network.lines[i].item
            arrivals = exit_days(float(rates[g]), days)
            self.in_transit[item] += arrivals.size
            self.in_transit_start[item] += arrivals.size
            for day in arrivals:
                self.env.timeout(float(day)).callbacks.append(self._landing(destination, item))

    def _landing(self, destination: Destination, item: int) -> Callable[[simpy.Event], None]:
        """The callback of a warm shipment's arrival event: it lands at `destination`."""

        def land(_event: simpy.Event) -> None:
            self.arrive(destination, item, from_sea=True)

        return land

    def year(self, day: float) -> int:
        """Index of the calendar year holding `day`."""
        return self.calendar.year_of(day)

    def log(self, where: str, event: str, quantity: float, day: float | None = None) -> None:
        """Add a row to the event log, if this replication keeps one."""
        if self.trace is not None:
            self.trace.add(self.env.now if day is None else day, where, event, quantity)

    def rates_now(self) -> np.ndarray:
        """Every line's capacity rate at this moment, shape (1, lines): shared-supplier needs."""
        now = self.env.now
        return np.array([[line.schedule.rate(now) for line in self.lines]])

    def ship(self, line: Line, index: int) -> None:
        """Send one accepted unit of `line` to its destination `index`."""
        destination = line.node.destinations[index]
        item = line.node.item
        self.log(line.name, "ship", 1)
        days = self.shipping_days[destination.lane] if destination.lane else 0.0
        if days <= 0:
            self.arrive(destination, item)
            return
        self.in_transit[item] += 1
        self.env.timeout(days).callbacks.append(
            lambda _event: self.arrive(destination, item, from_sea=True)
        )

    def arrive(self, destination: Destination, item: int, from_sea: bool = False) -> None:
        """A unit reaches a stock or a consuming line's input store: a delivery."""
        if from_sea:
            self.in_transit[item] -= 1
        self.deliveries[item][self.year(self.env.now)] += 1
        if destination.kind == "stock":
            self.stocks.receive(destination.index)
            return
        consumer = self.lines[self.network.stores[destination.index].line]
        self.log(consumer.name, "arrive", 1)
        consumer.receive(destination.index)

    def run(self) -> None:
        """Simulate to the end of the horizon (events at the very end fall outside it)."""
        self.env.run(until=self.horizon)
        for line in self.lines:
            line.close(self.horizon)
        self.stocks.close(self.horizon)

    def record(self, tallies: Tallies) -> None:
        """Copy this replication's counters into its row of `tallies`."""
        if not self.network.items:  # repair only: no production tables (and [] has no shape)
            return
        r = self.rep
        for line in self.lines:
            i = line.node.index
            tallies.line_output[r, i] = line.output
            tallies.line_started[r, i] = line.started
            tallies.line_scrapped[r, i] = line.scrapped
            tallies.line_in_flow[r, i] = line.started + line.in_flow_start - line.finished
            tallies.line_in_flow_start[r, i] = line.in_flow_start
            tallies.line_capacity[r, i] = line.schedule.capacity()
            tallies.line_starved_days[r, i] = line.starved_days
            tallies.store_starved_days[r, list(line.node.stores)] = line.input_starved_days
            tallies.line_funding_capped_days[r, i] = line.schedule.funding_capped_days()
            tallies.line_disrupted_days[r, i] = line.schedule.disrupted_days()
            tallies.line_surge_output[r, i] = line.surge_output
            if line.orders is not None:
                tallies.line_unfunded_days[r, i] = line.unfunded_days
                tallies.line_order_backlog[r, i] = line.order_backlog()
            for k, store in enumerate(line.node.stores):
                held = self.network.stores[store]
                tallies.item_in_stores[r, held.item] += line.on_hand[k]
                tallies.item_in_stores_start[r, held.item] += held.initial
        stocks = self.stocks
        tallies.item_deliveries[r] = self.deliveries
        tallies.item_to_stock[r] = stocks.to_stock
        tallies.item_in_transit[r] = self.in_transit
        tallies.item_in_transit_start[r] = self.in_transit_start
        tallies.item_consumed[r] = stocks.consumed
        tallies.item_shortfall[r] = stocks.shortfall
        tallies.item_conflict_consumed[r] = stocks.conflict_consumed
        tallies.item_conflict_shortfall[r] = stocks.conflict_shortfall
        for j, stream in enumerate(self.network.streams):
            tallies.item_backorder[r, self.network.stocks[stream.stock][0]] += stocks.backlog[j]
        for recovery in stocks.recoveries:
            tallies.item_recovery_days[r, recovery.window.item] = recovery.days
        tallies.stock_initial[r] = self.parameters.stock_initial[r]
        if self.network.stocks:
            tallies.stock_end[r] = stocks.year_end
        tallies.stock_monthly[r] = stocks.monthly

    def record_repair(self, repair: RepairTallies) -> None:
        """Copy this replication's ship and engine repairs into its row of `repair`."""
        if self.shipyards is not None:
            assert repair.ships is not None  # shaped whenever the network has ships
            self.shipyards.record(repair.ships)
        for engine, tallies in zip(self.engines, repair.engines, strict=True):
            engine.record(tallies)
