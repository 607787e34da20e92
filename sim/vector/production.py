"""Production network, stockpiles and demand on the NumPy engine.

State arrays have the replications on the first axis; a Python loop walks the time steps
and its body is NumPy. Lines are visited in supply order inside each step, so a unit that
a supplier finishes and ships with no delay reaches its consumer in the same step.

The model rules (DESIGN §2.1–2.2, docs/model.md) in step order:

1. capacity of each line in the step: the ramp (exact integral over the step), times the
   share of the step after the line opens, times what disruptions leave, capped by the
   funded rate;
2. per line: inputs arriving, whole units started (capacity credit carried between steps,
   capped at one unit, at most the units the inputs allow), flow time as a ring buffer of
   steps, acceptance by the pre-drawn failure positions, output shared among
   destinations, shipping as a second ring buffer;
3. per stock: arrivals, then backorders in priority order, conflict consumption, new
   demand in priority order (unmet peacetime demand is backordered, unmet conflict
   consumption is not).
"""

from __future__ import annotations

import numpy as np

from sim.allocation import destination_shares, dispatch
from sim.capacity import disruption_share_left, ramp_year_edges, step_weights
from sim.demand import Requirements, recovery_windows, whole_units
from sim.network import Network
from sim.outcomes import Outcomes, Tallies, outcomes_from_tallies
from sim.sampling import Parameters


def simulate(network: Network, parameters: Parameters) -> Outcomes:
    """Run the chunk of replications in `parameters`; return their outcomes."""
    tallies = run_tallies(network, parameters)
    return outcomes_from_tallies(network, tallies, parameters.replications, parameters.unit_cost)


class _Ring:
    """Per-replication delay lines: what enters at step k with delay d leaves at k + d.

    Laid out (lanes, slots, reps) so that taking a slot reads one contiguous row and
    putting writes through a flat index, the cheapest scatter NumPy offers.
    """

    def __init__(self, reps: int, lanes: int, delays: np.ndarray):
        self.reps = reps
        self.size = int(delays.max(initial=0)) + 1
        self.slots = np.zeros((lanes, self.size, reps), dtype=np.int64)
        self.flat = self.slots.reshape(-1)
        rows = np.arange(reps, dtype=np.int64)
        self.offsets = [
            (lane * self.size * reps) + delays[:, lane] * reps + rows for lane in range(lanes)
        ]
        self.uniform = [
            bool(np.all(delays[:, lane] == delays[0, lane])) if reps else True
            for lane in range(lanes)
        ]
        self.delays = delays

    def put(self, step: int, lane: int, units: np.ndarray) -> None:
        if self.uniform[lane]:
            slot = (step + int(self.delays[0, lane])) % self.size if self.reps else 0
            self.slots[lane, slot] += units
            return
        index = self.offsets[lane] + (step % self.size) * self.reps
        index -= np.where(index >= (lane + 1) * self.size * self.reps, self.size * self.reps, 0)
        self.flat[index] += units

    def take(self, step: int, lane: int) -> np.ndarray:
        row = self.slots[lane, step % self.size]
        units = row.copy()
        row[:] = 0
        return units

    def held(self, lane: int) -> np.ndarray:
        return self.slots[lane].sum(axis=0)


def _capacity_gather(network: Network, parameters: Parameters):
    """Ramp rates of all lines, (reps, lines, ramp years), and per step the two ramp years
    each step touches with the fraction of each that falls in the step."""
    reps, lines = len(parameters.replications), len(network.lines)
    periods = max((r.shape[1] for r in parameters.rates), default=1)
    rates = np.zeros((reps, lines, periods))
    steps = network.calendar.steps
    first, second = (
        np.zeros((steps, lines), dtype=np.int64),
        np.zeros((steps, lines), dtype=np.int64),
    )
    first_weight, second_weight = np.zeros((steps, lines)), np.zeros((steps, lines))
    for node in network.lines:
        ramp_start = network.scenario.lines[node.name].capacity.ramp_start or network.scenario.start
        edges, _ = ramp_year_edges(network.calendar, ramp_start)
        line_rates = parameters.rates[node.index]
        rates[:, node.index, : line_rates.shape[1]] = line_rates
        weights = step_weights(network.calendar, edges)
        lead = np.argmax(weights > 0, axis=1)
        follow = np.minimum(lead + 1, weights.shape[1] - 1)
        rows = np.arange(steps)
        first[:, node.index], first_weight[:, node.index] = lead, weights[rows, lead]
        second[:, node.index] = follow
        second_weight[:, node.index] = np.where(follow > lead, weights[rows, follow], 0.0)
    return rates, first, first_weight, second, second_weight


class _Acceptance:
    """Counts failed units from the pre-drawn failure positions of one line.

    Positions are sorted per replication and units finish in order, so a pointer per
    replication that only moves forward counts failures exactly. Few replications see
    a failure in any one step, so after the first comparison the loop narrows to them.
    """

    def __init__(self, failures: np.ndarray):
        reps, width = failures.shape
        sentinel = np.full((reps, 1), np.iinfo(np.int64).max)
        self.positions = np.concatenate([failures, sentinel], axis=1).reshape(-1)
        self.row_start = np.arange(reps, dtype=np.int64) * (width + 1)
        self.failed = np.zeros(reps, dtype=np.int64)
        self.next_failure = self.positions[self.row_start].copy()

    def failed_by(self, finished: np.ndarray) -> np.ndarray:
        """Cumulative failures among the first `finished` units."""
        rows = np.flatnonzero(self.next_failure < finished)
        while rows.size:
            self.failed[rows] += 1
            self.next_failure[rows] = self.positions[self.row_start[rows] + self.failed[rows]]
            rows = rows[self.next_failure[rows] < finished[rows]]
        return self.failed


class _DisruptionSchedule:
    """What disruptions leave of one line's capacity, as a sparse list per step.

    Events are few and short next to the horizon, so instead of testing every event in
    every step we list, once, each (replication, step) an event touches and the factor
    1 − lost × overlap/step it leaves there (or, where several events touch one step, the
    exact share they leave, from :func:`sim.capacity.disruption_share_left`).
    """

    def __init__(self, events, step_edges: np.ndarray):
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
        keys, first_entry, counts = np.unique(key, return_index=True, return_counts=True)
        factor = factor[first_entry]
        for k in np.flatnonzero(counts > 1):
            events_here = owner[key == keys[k]]
            s = int(keys[k] % step_edges.size)
            factor[k] = disruption_share_left(
                start[events_here], end[events_here], lost[events_here], *step_edges[s : s + 2]
            )
        rows, step = keys // step_edges.size, keys % step_edges.size
        order = np.argsort(step, kind="stable")
        self.rows, self.factor = rows[order], factor[order]
        self.bounds = np.searchsorted(step[order], np.arange(step_edges.size))

    def remaining(self, step: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Rows touched in `step` and the capacity fraction left to each, or None."""
        low, high = self.bounds[step], self.bounds[step + 1]
        if low == high:
            return None
        return self.rows[low:high], self.factor[low:high]


def run_tallies(network: Network, parameters: Parameters) -> Tallies:
    """The simulation proper; returns the raw tallies (tests use them for invariants)."""
    calendar = network.calendar
    reps = len(parameters.replications)
    lines, stores, streams = network.lines, network.stores, network.streams
    tallies = Tallies.zeros(network, reps)

    rates, first, first_weight, second, second_weight = _capacity_gather(network, parameters)
    every_line = np.arange(len(lines))
    flow = _Ring(reps, len(lines), calendar.steps_for(parameters.flow_days))
    routes = network.destinations()
    ship_delays = np.zeros((reps, len(routes)), dtype=np.int64)
    for g, (_, destination) in enumerate(routes):
        if destination.lane is not None:
            ship_delays[:, g] = calendar.steps_for(parameters.shipping_days[destination.lane])
    shipping = _Ring(reps, len(routes), ship_delays)
    first_route = np.cumsum([0] + [len(node.destinations) for node in lines])
    feeds = {("store", e): [] for e in range(len(stores))} | {
        ("stock", s): [] for s in range(len(network.stocks))
    }
    for g, (_, destination) in enumerate(routes):
        feeds[(destination.kind, destination.index)].append(g)

    credit = np.zeros((reps, len(lines)))
    store = np.zeros((reps, len(stores)), dtype=np.int64)
    stock = parameters.stock_initial.astype(np.int64).copy()
    tallies.stock_initial[:] = stock
    owed = [np.zeros((reps, len(node.destinations))) for node in lines]
    finished = np.zeros((reps, len(lines)), dtype=np.int64)
    scrapped = np.zeros((reps, len(lines)), dtype=np.int64)
    acceptance = [None if f is None else _Acceptance(f) for f in parameters.failures]
    requirements = Requirements(network, parameters)
    disrupted = [
        (i, _DisruptionSchedule(events, calendar.step_edges))
        for i, events in enumerate(parameters.disruptions)
        if events is not None
    ]
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

        capacity = (
            rates[:, every_line, first[k]] * first_weight[k]
            + rates[:, every_line, second[k]] * second_weight[k]
        )
        open_share = np.clip((end_day - parameters.opens) / length, 0.0, 1.0)
        capacity *= open_share
        for i, schedule in disrupted:
            touched = schedule.remaining(k)
            if touched is None:
                continue
            rows, remaining = touched
            tallies.line_disrupted_days[rows, i] += (1.0 - remaining) * length * open_share[rows, i]
            capacity[rows, i] *= remaining
        funded = parameters.funded * (length / year_days)
        capped = np.minimum(capacity, funded)
        with np.errstate(invalid="ignore", divide="ignore"):
            tallies.line_funding_capped_days += (
                np.where(capacity > 0, (capacity - capped) / capacity, 0.0) * length
            )
        capacity = capped
        tallies.line_capacity += capacity

        for node in lines:
            i = node.index
            for e in node.stores:
                arrived = sum(
                    (shipping.take(k, g) for g in feeds[("store", e)]),
                    np.zeros(reps, dtype=np.int64),
                )
                store[:, e] += arrived
                tallies.item_deliveries[:, stores[e].item, y] += arrived

            carried = credit[:, i].copy()
            credit[:, i] += capacity[:, i]
            possible = np.floor(credit[:, i] + 1e-9).astype(np.int64)
            started = possible
            for e in node.stores:
                started = np.minimum(started, store[:, e] // stores[e].per_unit)
            for e in node.stores:
                store[:, e] -= started * stores[e].per_unit
            short = possible - started
            if node.stores and short.any():
                tallies.line_starved_days[:, i] += _starved_days(
                    carried, capacity[:, i], started, short, length
                )
            # the credit carried on is capped at one unit: a starved line keeps one unit
            # ready; a line that started all it could keeps the fractional remainder
            credit[:, i] = np.minimum(np.maximum(credit[:, i] - started, 0.0), 1.0)
            tallies.line_started[:, i] += started

            flow.put(k, i, started)
            done = flow.take(k, i)
            finished[:, i] += done
            if acceptance[i] is None:
                passed = done
            else:
                failed = acceptance[i].failed_by(finished[:, i])
                passed = done - (failed - scrapped[:, i])
                scrapped[:, i] = failed
            tallies.line_output[:, i, y] += passed

            if len(node.destinations) == 1:
                shipping.put(k, first_route[i], passed)
                continue
            shares = destination_shares(network, node, capacity, parameters.yield_[:, i])
            given = dispatch(passed, shares, owed[i])
            for j in range(len(node.destinations)):
                shipping.put(k, first_route[i] + j, given[:, j])

        if streams:
            recovery.before_step(start_day, end_day, stock)
        for s in range(len(network.stocks)):
            arrived = sum(
                (shipping.take(k, g) for g in feeds[("stock", s)]), np.zeros(reps, dtype=np.int64)
            )
            stock[:, s] += arrived
            tallies.item_deliveries[:, stock_item[s], y] += arrived
            tallies.item_to_stock[:, stock_item[s]] += arrived

        if streams:
            due_now = whole_units(requirements.by(end_day))
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
    for g, (i, _) in enumerate(routes):
        tallies.item_in_transit[:, lines[i].item] += shipping.held(g)
    for e, entry in enumerate(stores):
        tallies.item_in_stores[:, entry.item] += store[:, e]
    for j in range(len(streams)):
        tallies.item_backorder[:, stream_item[j]] += backlog[:, j]
    return tallies


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


class _Recovery:
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

    def before_step(self, start_day: float, end_day: float, stock: np.ndarray) -> None:
        """Note the level of items whose conflict starts in this step: the stock before the
        step's arrivals and demand, the last state known from before the conflict began."""
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
