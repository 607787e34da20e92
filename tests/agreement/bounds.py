"""How far the vector engine may stray from the DES because it works in time steps.

docs/model.md ("Engine agreement") derives these bounds; this module computes them per
replication from the very :class:`~sim.parameters.Parameters` both engines ran, so each is
as tight as that replication allows. With Δ the mean step and r a line's highest rate
(units per day):

* **delays**: a delay of f days becomes d = round(f/Δ) steps and moves every unit through
  it by ``|dΔ − f|`` ≤ Δ/2 days (plus the hundredths of a day by which a leap year's steps
  are longer), always the same way; delays in series add up to a line's *lag*. A line
  with inputs adds one step: the vector engine nets a step's arrivals against the whole
  step's capacity, so a unit may start one step apart in the two engines;
* **capacity**: the ramp, opening and disruptions are integrated exactly per step, but the
  funded cap applies to the step's total in the vector engine and to the rate in the DES;
  they differ only in a step where the rate crosses the cap, by at most a step of the
  funded rate. The two rates a disruption and the opening day split a step into are also
  multiplied as averages: one step of the rate if an event touches the opening step;
* **shared suppliers** share a step's output by the consumers' step capacities, the DES by
  their rates of the moment: one step of the supplier's output per change of those rates;
* **counts over a window** (a year's output, deliveries, units in flow at the end) then
  differ by at most r × lag, plus the capacity and sharing differences upstream, plus one
  unit per destination for whole-unit dispatch;
* **stock and consumption** also depend on the order of arrivals and demand within a step:
  one more step of the item's demand;
* **days capped or disrupted**: a step per change of the rate (the vector engine blends a
  step's rate); **starved days**: a step per year, plus the lag of the line's starts;
  **recovery**: a step for checking stock only at step ends, one for noting the level at
  the start of the step, plus the lag of the arriving units (so long as production after
  the conflict is no slower than before it).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from sim.network import Network
from sim.parameters import Parameters
from sim.production.allocation import lines_shares_read
from sim.production.capacity import RateSchedule, rate_schedule

PER_REPLICATION = {
    "output",
    "started",
    "scrapped",
    "in_flow_end",
    "deliveries",
    "stock_end",
    "consumed",
    "backorder_end",
    "cost_musd",
    "spending",
    "funding_capped_days",
    "disrupted_days",
    "utilisation",
    "order_backlog_end",
}
"""Measures whose bound holds in every replication (checked replication by replication).
Shortfall, starved days and recovery are bounded on average only: docs/model.md names the
regime (a stock at zero with supply just matching demand) where one replication may stray
further."""


def parse_metric(name: str) -> tuple[str, str, str]:
    """``item.X.owner.US.stock_end.2027`` → ("item", "X", "stock_end")."""
    parts = name.split(".")
    rest = [part for part in parts[2:] if not part.isdigit()]
    if rest[:1] == ["owner"]:
        rest = rest[2:]
    if rest[:1] in (["conflict"], ["demand"]) and len(rest) > 1:
        rest = rest[1:]  # item.X.conflict.shortfall: a share of the item's measure
    return parts[0], parts[1], rest[0]


class Bounds:
    """Per-replication discretisation bounds for every metric of one network."""

    def __init__(self, network: Network, parameters: Parameters):
        self.network = network
        self.parameters = parameters
        calendar = network.calendar
        self.step = calendar.mean_step_days
        self.step_error = float(np.max(np.abs(np.diff(calendar.step_edges) - self.step)))
        self.reps = len(parameters.replications)
        lines = len(network.lines)
        self.schedules = [self._schedules(i) for i in range(lines)]
        self.rate = np.array(
            [[max(s.rates) for s in self.schedules[i]] for i in range(lines)]
        ).T.reshape(self.reps, lines)
        self.start_lag = np.zeros((self.reps, lines))
        self.lag = np.zeros((self.reps, lines))
        self.units = np.zeros((self.reps, lines))
        self._propagate()

    def _schedules(self, i: int) -> list[RateSchedule]:
        network, parameters = self.network, self.parameters
        events = parameters.disruptions[i]
        return [
            rate_schedule(
                network.calendar,
                parameters.ramp_edges[i][r],
                parameters.rates[i][r],
                float(parameters.opens[r, i]),
                float(parameters.funded[r, i]),
                None if events is None else (events.start[r], events.end[r], events.lost[r]),
                None if parameters.surge is None else parameters.surge.of(r, i),
            )
            for r in range(self.reps)
        ]

    def delay_shift(self, days: np.ndarray) -> np.ndarray:
        """Days by which rounding a delay to whole steps moves units."""
        steps = np.rint(days / self.step)
        return np.abs(steps * self.step - days) + steps * self.step_error

    def lane_shift(self, lane: str | None) -> np.ndarray:
        """Timing shift from rounding a lane's shipping days."""
        if lane is None:
            return np.zeros(self.reps)
        return self.delay_shift(self.parameters.shipping_days[lane])

    def rate_changes(self, i: int) -> np.ndarray:
        """How many times line `i`'s rate changes within the horizon."""
        return np.array(
            [sum(a != b for a, b in pairwise(s.rates)) for s in self.schedules[i]],
            dtype=float,
        )

    def capacity(self, i: int) -> np.ndarray:
        """Line `i`'s capacity over the horizon, units."""
        return np.array([s.capacity() for s in self.schedules[i]])

    def capacity_error(self, i: int) -> np.ndarray:
        """Units by which the vector engine's capacity may exceed the exact integral."""
        funded = self.parameters.funded[:, i] / 365.0
        crossings = np.array(
            [
                sum(
                    (u0 > r0) != (u1 > r1)
                    for (u0, u1), (r0, r1) in zip(
                        pairwise(s.uncapped), pairwise(s.rates), strict=True
                    )
                )
                for s in self.schedules[i]
            ],
            dtype=float,
        )
        error = crossings * self.step * np.where(np.isfinite(funded), funded, 0.0)
        # orders: at each release the engines may differ by a step's starts, and a vector
        # step idle at its start loses a fraction of a unit the DES may still use
        error += self.releases(i) * (self.step * self.rate[:, i] + 1)
        events = self.parameters.disruptions[i]
        if events is not None:
            opens = self.parameters.opens[:, i, None]
            near = (events.start < opens + self.step) & (events.end > opens - self.step)
            error += near.sum(axis=1) * self.step * self.rate[:, i]
        surge = self.parameters.surge
        if surge is not None and i in surge.lines():
            # the vector engine multiplies a step's surge average by its disruption and
            # opening averages: a step of the rate for each event or opening in the window
            low, high = surge.begin[:, i] - self.step, surge.end[:, i] + self.step
            during = 0.0
            if events is not None:
                during = ((events.start < high[:, None]) & (events.end > low[:, None])).sum(axis=1)
            opens = self.parameters.opens[:, i]
            during = during + ((opens > low) & (opens < high))
            error += during * self.step * self.rate[:, i]
        return error

    def releases(self, i: int) -> np.ndarray:
        """How many awards of line `i` are released inside the horizon (0 without orders)."""
        book = self.parameters.orders[i] if self.parameters.orders else None
        if book is None:
            return np.zeros(self.reps)
        horizon = self.network.calendar.horizon_days
        return ((book.released > 0) & (book.released < horizon)).sum(axis=1).astype(float)

    def sharing_error(self, i: int) -> np.ndarray:
        """Units a shared supplier may send elsewhere than the DES would, over the horizon."""
        node = self.network.lines[i]
        if node.allocation == "split":
            return np.zeros(self.reps)
        involved = lines_shares_read(self.network, node)
        changes = sum(self.rate_changes(j) for j in involved)
        return changes * self.step * self.rate[:, i]

    def _propagate(self) -> None:
        """Lags and unit errors of every line, suppliers first."""
        network = self.network
        feeding: dict[int, list] = {}
        for line, destination in network.destinations():
            if destination.kind == "store":
                feeding.setdefault(destination.index, []).append((line, destination))
        for node in network.lines:
            i = node.index
            lag, units = np.zeros(self.reps), np.zeros(self.reps)
            for e in node.stores:
                for supplier, destination in feeding.get(e, []):
                    arriving = self.lag[:, supplier] + self.lane_shift(destination.lane)
                    lag = np.maximum(lag, arriving)
                    upstream = self.units[:, supplier] + self.sharing_error(supplier)
                    units = np.maximum(units, upstream)
            if node.stores:
                lag += self.step
            self.start_lag[:, i] = lag
            self.lag[:, i] = lag + self.delay_shift(self.parameters.flow_days[:, i])
            self.units[:, i] = units + self.capacity_error(i)

    def line_count(self, i: int) -> np.ndarray:
        """Bound on a count of line `i`'s finished units over any window of time."""
        return self.rate[:, i] * self.lag[:, i] + self.units[:, i] + 2

    def item_flow(self, item: int) -> np.ndarray:
        """Bound on a count of an item's arrivals (at stocks and stores) over any window."""
        total = np.zeros(self.reps)
        for node in self.network.lines:
            if node.item != item:
                continue
            i = node.index
            lanes = np.max([self.lane_shift(d.lane) for d in node.destinations], axis=0)
            total += (
                self.rate[:, i] * (self.lag[:, i] + lanes)
                + self.units[:, i]
                + self.sharing_error(i)
                + len(node.destinations)
                + 1
            )
        return total

    def demand_rate(self, item: int) -> np.ndarray:
        """Units per day the item's streams ask for, at the most."""
        rate = np.zeros(self.reps)
        for j, stream in enumerate(self.network.streams):
            if self.network.stocks[stream.stock][0] == item:
                per_day = self.parameters.stream_rate[:, j]
                rate += per_day if stream.conflict is not None else per_day / 365.0
        return rate

    @property
    def costs(self):
        """The drawn cost inputs (the metric exists only when the scenario prices lines)."""
        assert self.parameters.costs is not None
        return self.parameters.costs

    def unit_cost_spread(self, item: int) -> np.ndarray:
        """Dearest less cheapest unit any priced line of `item` may make in the horizon.

        A year's mean unit cost is an average of such units in either engine, so the
        engines' values lie within this of each other whatever units each made (means
        only: a year with no units in one engine and one in the other is NaN in one).
        """
        costs = self.costs
        lines = [line.index for line in self.network.lines if line.item == item]
        lines = [i for i in lines if not np.all(np.isnan(costs.next_unit_cost[:, i]))]
        dearest = np.max([costs.next_unit_cost[:, i] for i in lines], axis=0)
        cheapest = np.min(
            [
                costs.next_unit_cost[:, i]
                * (
                    (costs.units_before[:, i] + self.capacity(i) + 2)
                    / (costs.units_before[:, i] + 1)
                )
                ** costs.exponent[:, i]
                for i in lines
            ],
            axis=0,
        )
        return dearest - cheapest + 1e-9

    def for_metric(self, name: str) -> np.ndarray:
        """The bound of metric `name` in each replication."""
        kind, owner, measure = parse_metric(name)
        years = self.network.calendar.years
        if kind == "line":
            i = next(line.index for line in self.network.lines if line.name == owner)
            started = self.rate[:, i] * self.start_lag[:, i] + self.units[:, i] + 1
            if measure in ("output", "in_flow_end", "scrapped"):
                return self.line_count(i)
            if measure in ("started", "order_backlog_end"):
                return started
            if measure == "unfunded_days":
                return self.start_lag[:, i] + self.step * (2 * self.releases(i) + 2)
            if measure == "utilisation":
                return started / np.maximum(self.capacity(i), 1.0) + 1e-9
            if measure == "starved_days":
                return self.start_lag[:, i] + self.step * years
            if measure in ("funding_capped_days", "disrupted_days"):
                return self.step * self.rate_changes(i) + 1e-6
            if measure == "surge_output":
                # the starts, each counted at its step's average surge share: a step of
                # the rate where the surge begins, reaches full rate and ends
                return started + 3 * self.step * self.rate[:, i]
            if measure == "spending":
                # the units one engine made and the other did not, each at most the
                # line's dearest unit, its next at the start (costs fall with learning)
                return self.line_count(i) * self.costs.next_unit_cost[:, i] * (1 + 1e-9)
        item = self.network.item_index[owner]
        flow = self.item_flow(item)
        netted = self.demand_rate(item) * self.step + 1
        if measure == "deliveries":
            return flow
        if measure in ("stock_end", "consumed", "backorder_end"):
            return flow + netted
        if measure == "shortfall":
            return flow + netted * years
        if measure == "cost_musd":
            return flow * np.nanmax(self.parameters.unit_cost[:, item])
        if measure == "unit_cost":
            return self.unit_cost_spread(item)
        if measure == "recovery_days":
            producers = [line.index for line in self.network.lines if line.item == item]
            lag = np.max(self.lag[:, producers], axis=1) if producers else 0.0
            return 2 * self.step + lag
        raise KeyError(f"no discretisation bound for {name}")
