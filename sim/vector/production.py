"""Production network, stockpiles and demand on the NumPy engine.

State arrays have the replications on the first axis; a Python loop walks the time steps
and its body is NumPy. Lines are visited in supply order inside each step, so a unit that
a supplier finishes and ships with no delay reaches its consumer in the same step.

The model rules (DESIGN §2.1–2.2, docs/model.md) in step order:

1. capacity of each line in the step: the ramp (exact integral over the step), times the
   share of the step after the line opens, times what disruptions leave, capped by the
   funded rate;
2. per line: inputs arriving, whole units started (capacity credit carried between steps,
   at most the units the inputs allow), flow time as a ring buffer of steps, acceptance
   by the pre-drawn failure positions, output shared among destinations, shipping as a
   second ring buffer;
3. per stock: arrivals, then backorders in priority order, conflict consumption, new
   demand in priority order (unmet peacetime demand is backordered, unmet conflict
   consumption is not).
"""

from __future__ import annotations

import numpy as np

from sim.allocation import dispatch, priority_shares, proportional_shares
from sim.capacity import ramp_year_edges, step_weights
from sim.demand import cumulative_requirement, whole_units
from sim.network import Network
from sim.outcomes import Outcomes, Tallies, outcomes_from_tallies
from sim.sampling import Parameters


def simulate(network: Network, parameters: Parameters) -> Outcomes:
    """Run the chunk of replications in `parameters`; return their outcomes."""
    tallies = run_tallies(network, parameters)
    return outcomes_from_tallies(network, tallies, parameters.replications, parameters.unit_cost)


class _Ring:
    """Per-replication delay lines: what enters at step k with delay d leaves at k + d."""

    def __init__(self, reps: int, lanes: int, delays: np.ndarray):
        self.delays = delays
        self.size = int(delays.max(initial=0)) + 1
        self.slots = np.zeros((reps, lanes, self.size), dtype=np.int64)
        self.rows = np.arange(reps)

    def put(self, step: int, lane: int, units: np.ndarray) -> None:
        slot = (step + self.delays[:, lane]) % self.size
        self.slots[self.rows, lane, slot] += units

    def take(self, step: int, lane: int) -> np.ndarray:
        slot = step % self.size
        units = self.slots[:, lane, slot].copy()
        self.slots[:, lane, slot] = 0
        return units

    def held(self, lane: int) -> np.ndarray:
        return self.slots[:, lane, :].sum(axis=1)


def _capacity_gather(network: Network, parameters: Parameters):
    """Per line, the ramp rates and the weights that turn them into units per step."""
    rates, weights = [], []
    for node in network.lines:
        ramp_start = network.scenario.lines[node.name].capacity.ramp_start or network.scenario.start
        edges, _ = ramp_year_edges(network.calendar, ramp_start)
        rates.append(parameters.rates[node.index])
        weights.append(step_weights(network.calendar, edges))
    return rates, weights


def _scrapped_counter(failures: np.ndarray | None):
    """A function: cumulative units finished → cumulative units that failed acceptance.

    Failure positions are sorted per replication; offsetting each row by a large constant
    lets one `searchsorted` over the flattened array count for all replications at once.
    """
    if failures is None:
        return None
    reps, width = failures.shape
    offset = np.int64(2**62) // max(reps, 1)
    capped = np.minimum(failures, offset - 1)
    flat = (capped + np.arange(reps, dtype=np.int64)[:, None] * offset).ravel()
    base = np.arange(reps, dtype=np.int64) * offset

    def count(finished: np.ndarray) -> np.ndarray:
        return np.searchsorted(flat, base + finished, side="left") - np.arange(reps) * width

    return count


def run_tallies(network: Network, parameters: Parameters) -> Tallies:
    """The simulation proper; returns the raw tallies (tests use them for invariants)."""
    calendar = network.calendar
    reps = len(parameters.replications)
    lines, stores, streams = network.lines, network.stores, network.streams
    tallies = Tallies.zeros(network, reps)

    rates, weights = _capacity_gather(network, parameters)
    flow = _Ring(reps, len(lines), calendar.steps_for(parameters.flow_days))
    routes = network.destinations()
    ship_delays = np.zeros((reps, len(routes)), dtype=np.int64)
    for g, (_, destination) in enumerate(routes):
        if destination.lane is not None:
            ship_delays[:, g] = calendar.steps_for(parameters.shipping_days[destination.lane])
    shipping = _Ring(reps, len(routes), ship_delays)
    first_route = np.cumsum([0] + [len(node.destinations) for node in lines])
    feeds = {("store", e): [] for e in range(len(stores))} | {("stock", s): [] for s in range(len(network.stocks))}
    for g, (_, destination) in enumerate(routes):
        feeds[(destination.kind, destination.index)].append(g)

    credit = np.zeros((reps, len(lines)))
    store = np.zeros((reps, len(stores)), dtype=np.int64)
    stock = parameters.stock_initial.astype(np.int64).copy()
    tallies.stock_initial[:] = stock
    owed = [np.zeros((reps, len(node.destinations))) for node in lines]
    finished = np.zeros((reps, len(lines)), dtype=np.int64)
    scrapped = np.zeros((reps, len(lines)), dtype=np.int64)
    scrap_counters = [_scrapped_counter(f) for f in parameters.failures]
    due_before = np.zeros((reps, len(streams)), dtype=np.int64)
    backlog = np.zeros((reps, len(streams)), dtype=np.int64)
    stream_order = [network.stream_order(s) for s in range(len(network.stocks))]
    stock_item = np.array([item for item, _ in network.stocks], dtype=np.int64)
    stream_item = np.array([network.stocks[s.stock][0] for s in streams], dtype=np.int64)
    recovery = _Recovery(network, parameters, reps)

    year_end = np.r_[calendar.step_year[1:] != calendar.step_year[:-1], True]
    for k in range(calendar.steps):
        start_day, end_day = calendar.step_edges[k], calendar.step_edges[k + 1]
        length = end_day - start_day
        y = calendar.step_year[k]
        year_days = calendar.year_edges[y + 1] - calendar.year_edges[y]

        capacity = np.column_stack([rates[i] @ weights[i][k] for i in range(len(lines))]) if lines else np.zeros((reps, 0))
        open_share = np.clip((end_day - parameters.opens) / length, 0.0, 1.0)
        capacity *= open_share
        for node in lines:
            events = parameters.disruptions[node.index]
            if events is None:
                continue
            overlap = np.clip(np.minimum(events.end, end_day) - np.maximum(events.start, start_day), 0.0, None)
            remaining = np.prod(1.0 - events.lost * overlap / length, axis=1)
            tallies.line_disrupted_days[:, node.index] += (1.0 - remaining) * length * open_share[:, node.index]
            capacity[:, node.index] *= remaining
        funded = parameters.funded * (length / year_days)
        capped = np.minimum(capacity, funded)
        with np.errstate(invalid="ignore", divide="ignore"):
            tallies.line_funding_capped_days += np.where(capacity > 0, (capacity - capped) / capacity, 0.0) * length
        capacity = capped
        tallies.line_capacity += capacity

        for node in lines:
            i = node.index
            for e in node.stores:
                arrived = sum((shipping.take(k, g) for g in feeds[("store", e)]), np.zeros(reps, dtype=np.int64))
                store[:, e] += arrived
                tallies.item_deliveries[:, stores[e].item, y] += arrived

            credit[:, i] += capacity[:, i]
            possible = np.floor(credit[:, i] + 1e-9).astype(np.int64)
            started = possible
            for e in node.stores:
                started = np.minimum(started, store[:, e] // stores[e].per_unit)
            for e in node.stores:
                store[:, e] -= started * stores[e].per_unit
            short = possible - started
            if node.stores and short.any():
                tallies.line_starved_days[:, i] += np.where(possible > 0, short / np.maximum(possible, 1), 0.0) * length
            credit[:, i] = np.maximum(credit[:, i] - possible, 0.0)
            tallies.line_started[:, i] += started

            flow.put(k, i, started)
            done = flow.take(k, i)
            finished[:, i] += done
            counter = scrap_counters[i]
            if counter is None:
                passed = done
            else:
                failed = counter(finished[:, i])
                passed = done - (failed - scrapped[:, i])
                scrapped[:, i] = failed
            tallies.line_output[:, i, y] += passed

            shares = _shares(network, node, capacity, parameters)
            given = dispatch(passed, shares, owed[i])
            for j in range(len(node.destinations)):
                shipping.put(k, first_route[i] + j, given[:, j])

        for s in range(len(network.stocks)):
            arrived = sum((shipping.take(k, g) for g in feeds[("stock", s)]), np.zeros(reps, dtype=np.int64))
            stock[:, s] += arrived
            tallies.item_deliveries[:, stock_item[s], y] += arrived
            tallies.item_to_stock[:, stock_item[s]] += arrived

        if streams:
            recovery.before_demand(start_day, end_day, stock)
            due_now = whole_units(
                cumulative_requirement(network, parameters.stream_rate, parameters.stream_start, parameters.stream_end, end_day)
            )
            new = due_now - due_before
            due_before = due_now
            for s, order in enumerate(stream_order):
                for j in order:
                    if streams[j].backordered:
                        met = np.minimum(stock[:, s], backlog[:, j])
                        stock[:, s] -= met
                        backlog[:, j] -= met
                        tallies.item_consumed[:, stream_item[j]] += met
                for j in order:
                    met = np.minimum(stock[:, s], new[:, j])
                    stock[:, s] -= met
                    unmet = new[:, j] - met
                    tallies.item_consumed[:, stream_item[j]] += met
                    tallies.item_shortfall[:, stream_item[j], y] += unmet
                    if streams[j].backordered:
                        backlog[:, j] += unmet
            recovery.after_demand(end_day, stock)

        if year_end[k]:
            tallies.stock_end[:, :, y] = stock
        month = calendar.step_closes_month[k]
        if month >= 0 and network.stocks:
            np.add.at(tallies.stock_monthly[:, :, month].T, stock_item, stock.T)

    tallies.item_recovery_days[:] = recovery.days
    for node in lines:
        tallies.line_scrapped[:, node.index] = scrapped[:, node.index]
        tallies.line_in_flow[:, node.index] = flow.held(node.index)
    for g, (i, destination) in enumerate(routes):
        tallies.item_in_transit[:, lines[i].item] += shipping.held(g)
    for e, entry in enumerate(stores):
        tallies.item_in_stores[:, entry.item] += store[:, e]
    for j, stream in enumerate(streams):
        tallies.item_backorder[:, stream_item[j]] += backlog[:, j]
    return tallies


def _shares(network: Network, node, capacity: np.ndarray, parameters: Parameters) -> np.ndarray:
    """Each destination's share of this step's output (see :mod:`sim.allocation`)."""
    if node.allocation == "split":
        return np.asarray(node.split)[None, :]
    needs = np.column_stack(
        [capacity[:, network.stores[d.index].line] * network.stores[d.index].per_unit for d in node.destinations]
    )
    if node.allocation == "proportional":
        return proportional_shares(needs)
    supply = capacity[:, node.index] * parameters.yield_[:, node.index]
    return priority_shares(supply, needs)


class _Recovery:
    """Days from a conflict's start until an item's stock is back to its pre-conflict level.

    The level is the item's total stock when the first conflict that consumes it begins;
    recovery counts only once that conflict is over. NaN when it never happens or never
    recovers within the horizon.
    """

    def __init__(self, network: Network, parameters: Parameters, reps: int):
        self.items: list[tuple[int, list[int], np.ndarray, np.ndarray]] = []
        for i in range(len(network.items)):
            consuming = [j for j, s in enumerate(network.streams) if s.conflict is not None and network.stocks[s.stock][0] == i]
            if not consuming:
                continue
            members = [s for s, (item, _) in enumerate(network.stocks) if item == i]
            j = consuming[0]
            active = parameters.stream_rate[:, j] > 0
            start = np.where(active, parameters.stream_start[:, j], np.inf)
            end = parameters.stream_end[:, j]
            self.items.append((i, members, start, end))
        self.level = np.full((reps, len(network.items)), np.nan)
        self.days = np.full((reps, len(network.items)), np.nan)

    def before_demand(self, start_day: float, end_day: float, stock: np.ndarray) -> None:
        for i, members, start, _ in self.items:
            begins = (start >= start_day) & (start < end_day)
            if begins.any():
                self.level[begins, i] = stock[begins][:, members].sum(axis=1)

    def after_demand(self, end_day: float, stock: np.ndarray) -> None:
        for i, members, start, end in self.items:
            waiting = np.isnan(self.days[:, i]) & (end <= end_day) & ~np.isnan(self.level[:, i])
            if waiting.any():
                back = waiting & (stock[:, members].sum(axis=1) >= self.level[:, i])
                self.days[back, i] = end_day - start[back]
