"""Production network, stockpiles and demand on the NumPy engine.

A Python loop walks the time steps; its body is NumPy over all replications, and over
all lines of a supply level at once (:mod:`sim.vector.layout`). The model rules
(DESIGN §2.1–2.2, docs/model.md) in step order:

1. capacity of each line in the step: the ramp (exact integral over the step), times the
   share of the step after the line opens, times what disruptions leave, capped by the
   funded rate — computed ahead for a block of steps (:mod:`sim.vector.schedule`), as it
   does not depend on the simulation's state;
2. lines, level by level (:mod:`sim.vector.lines`): inputs arriving, whole units started,
   flow time, acceptance, output shared among destinations, shipping;
3. stocks (:mod:`sim.vector.stocks`): arrivals, then conflict consumption, backorders
   in priority order, new demand in priority order, peacetime demand only from stock
   beyond what conflicts under way still require (unmet peacetime demand is
   backordered, unmet conflict consumption is not).

Only yearly and monthly totals are kept, never per-step histories, so memory does not
grow with the number of steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.network import Network
from sim.parameters import Parameters
from sim.production.outcomes import Outcomes, Tallies, outcomes_from_tallies
from sim.vector.layout import Layout, as_slice
from sim.vector.lines import Lines
from sim.vector.schedule import Schedule
from sim.vector.stocks import Recovery, Stocks

if TYPE_CHECKING:
    from sim.execution.partial import Fraction


def simulate(
    network: Network, parameters: Parameters, progress: Fraction | None = None
) -> Outcomes:
    """Run the chunk of replications in `parameters`; return their outcomes (`progress`
    hears the share of time steps done after each block of steps)."""
    tallies = run_tallies(network, parameters, progress)
    replications, costs = parameters.replications, parameters.costs
    return outcomes_from_tallies(network, tallies, replications, parameters.unit_cost, costs)


def run_tallies(
    network: Network, parameters: Parameters, progress: Fraction | None = None
) -> Tallies:
    """The simulation proper; returns the raw tallies (tests use them for invariants)."""
    calendar = network.calendar
    reps = len(parameters.replications)
    layout = Layout(network)
    schedule = Schedule(network, parameters, layout)
    lines = Lines(network, parameters, layout)
    stocks = Stocks(network, parameters, reps)
    recovery = Recovery(network, parameters, reps)
    tallies = Tallies.zeros(network, reps)
    tallies.stock_initial[:] = stocks.level.T
    stock_item = np.array([item for item, _ in network.stocks], dtype=np.int64)
    fed_item = stock_item[layout.fed_stocks]
    arrivals = np.zeros((layout.fed_stocks.size, reps), dtype=np.int64)
    """Arrivals at each fed stock this year."""
    to_stock = np.zeros_like(arrivals)
    stocked, stock_rank = np.unique(stock_item, return_inverse=True)
    monthly = np.zeros((calendar.month_edges.size - 1, stocked.size, reps), dtype=np.int64)
    """Month-end stock of each stocked item (contiguous per month, unlike the tallies)."""
    fed = as_slice(layout.fed_stocks)
    year_end = np.r_[calendar.step_year[1:] != calendar.step_year[:-1], True]

    for block in schedule.blocks():
        for b, k in enumerate(block.steps):
            start_day, end_day = calendar.step_edges[k], calendar.step_edges[k + 1]
            lines.step(k, b, block, end_day - start_day)
            if network.streams:
                recovery.before_step(start_day, end_day, stocks.level)
            if layout.fed_stocks.size:
                arrived = lines.arrivals_at_stocks(k)
                stocks.level[fed] += arrived
                arrivals += arrived
                to_stock += arrived
            if network.streams:
                assert block.due is not None  # requirements are scheduled when there are streams
                stocks.serve(block.due[b], end_day)
                recovery.after_demand(end_day, stocks.level)

            y = calendar.step_year[k]
            if year_end[k]:
                tallies.stock_end[:, :, y] = stocks.level.T
                lines.close_year(tallies, y)
                for f, item in enumerate(fed_item):
                    tallies.item_deliveries[:, item, y] += arrivals[f]
                stocks.close_year(tallies, y)
                arrivals[:] = 0
            month = calendar.step_closes_month[k]
            if month >= 0:
                for s, item in enumerate(stock_rank):
                    monthly[month, item] += stocks.level[s]
        if progress is not None:
            progress((block.steps[-1] + 1) / calendar.steps)

    tallies.stock_monthly[:, stocked] = monthly.transpose(2, 1, 0)
    tallies.line_capacity[:, lines.index] = schedule.capacity_total.T
    tallies.line_funding_capped_days[:, lines.index] = schedule.funding_capped_days.T
    tallies.line_disrupted_days[:, lines.index] = schedule.disrupted_days.T
    lines.record(tallies, calendar.steps)
    for f, item in enumerate(fed_item):
        tallies.item_to_stock[:, item] += to_stock[f]
    stocks.record(tallies)
    tallies.item_recovery_days[:] = recovery.days
    return tallies
