"""What a simulation produces, per replication, in one structure for both engines.

Engines fill :class:`Tallies`: plain indexed counters (line × year, item × year, …).
:func:`outcomes_from_tallies` is the single place that turns them into named metrics
(the ``report.json`` contract of DESIGN §6; names and units from :mod:`sim.catalogue`),
so a report never needs to know which engine produced its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim import catalogue
from sim.catalogue import Family
from sim.costs.draws import CostDraws
from sim.costs.metrics import spending_metrics
from sim.network import Network
from sim.production.surge import surging_lines


@dataclass
class Tallies:
    """Raw counters for a chunk of replications (first axis: replication)."""

    line_output: np.ndarray  # (reps, lines, years) units passing acceptance
    line_started: np.ndarray  # (reps, lines)
    line_scrapped: np.ndarray  # (reps, lines)
    line_in_flow: np.ndarray  # (reps, lines) started, not finished at the end
    line_in_flow_start: np.ndarray  # (reps, lines) in a warm flow pipeline at the start
    line_capacity: np.ndarray  # (reps, lines) units the line could have started
    line_starved_days: np.ndarray  # (reps, lines)
    store_starved_days: (
        np.ndarray
    )  # (reps, stores) line starved, this input short (sim.production.starvation)
    line_funding_capped_days: np.ndarray  # (reps, lines)
    line_disrupted_days: np.ndarray  # (reps, lines)
    line_surge_output: np.ndarray  # (reps, lines, years) units started on surge capacity
    line_unfunded_days: np.ndarray  # (reps, lines) capacity ready, no funded unit (orders)
    line_order_backlog: np.ndarray  # (reps, lines, years) awarded, not started, 31 December
    item_deliveries: np.ndarray  # (reps, items, years) arrivals at stock or line stores
    item_to_stock: np.ndarray  # (reps, items) arrivals at stock over the horizon
    item_in_transit: np.ndarray  # (reps, items) shipped, not arrived at the end
    item_in_transit_start: np.ndarray  # (reps, items) at sea in warm pipelines at the start
    item_in_stores: np.ndarray  # (reps, items) waiting in line input stores at the end
    item_in_stores_start: np.ndarray  # (reps, items) stated in line input stores at the start
    item_consumed: np.ndarray  # (reps, items) demand and conflict consumption met
    item_shortfall: np.ndarray  # (reps, items, years) demand not met when due
    item_backorder: np.ndarray  # (reps, items) unmet backorders at the end
    item_conflict_consumed: np.ndarray  # (reps, items) conflict consumption met
    item_conflict_shortfall: np.ndarray  # (reps, items) conflict consumption not met
    item_recovery_days: np.ndarray  # (reps, items) NaN when not recovered / no conflict
    stock_initial: np.ndarray  # (reps, stocks)
    stock_end: np.ndarray  # (reps, stocks, years) on 31 December
    stock_monthly: np.ndarray  # (reps, items, months) total over owners, month ends

    @classmethod
    def zeros(cls, network: Network, reps: int) -> Tallies:
        """Empty counters shaped for `network` and `reps` replications."""
        lines, items = len(network.lines), len(network.items)
        years, stocks = network.scenario.years, len(network.stocks)
        months = 12 * years
        shapes = {
            "store_starved_days": (len(network.stores),),
            "line_output": (lines, years),
            "line_surge_output": (lines, years),
            "line_order_backlog": (lines, years),
            "item_deliveries": (items, years),
            "item_shortfall": (items, years),
            "stock_initial": (stocks,),
            "stock_end": (stocks, years),
            "stock_monthly": (items, months),
        }
        values = {}
        for field in fields(cls):
            shape = shapes.get(field.name)
            if shape is None:
                shape = (lines,) if field.name.startswith("line_") else (items,)
            dtype = np.int64 if field.name in _COUNTS else float
            values[field.name] = np.zeros((reps, *shape), dtype=dtype)
        values["item_recovery_days"][:] = np.nan
        return cls(**values)


_COUNTS = {
    "line_output",
    "line_started",
    "line_scrapped",
    "line_in_flow",
    "line_in_flow_start",
    "line_order_backlog",
    "item_deliveries",
    "item_to_stock",
    "item_in_transit",
    "item_in_transit_start",
    "item_in_stores",
    "item_in_stores_start",
    "item_consumed",
    "item_shortfall",
    "item_backorder",
    "item_conflict_consumed",
    "item_conflict_shortfall",
    "stock_end",
}


@dataclass
class Outcomes:
    """Named per-replication metrics of a run (or a chunk of one)."""

    replications: range
    metrics: dict[str, np.ndarray]
    """Metric name → value per replication, float64 (NaN where undefined)."""
    units: dict[str, str]
    series: dict[str, np.ndarray]
    """Monthly series for figures: name → (reps, months), float32."""

    @staticmethod
    def concatenate(parts: list[Outcomes]) -> Outcomes:
        """Join chunks (in replication order) into one."""
        parts = sorted(parts, key=lambda part: part.replications.start)
        first, last = parts[0].replications.start, parts[-1].replications.stop
        return Outcomes(
            replications=range(first, last),
            metrics={k: np.concatenate([p.metrics[k] for p in parts]) for k in parts[0].metrics},
            units=parts[0].units,
            series={k: np.concatenate([p.series[k] for p in parts]) for k in parts[0].series},
        )


def stocked_items(network: Network) -> list[int]:
    """Items that are held in some stock (their stock metrics are reported)."""
    return sorted({item for item, _ in network.stocks})


def outcomes_from_tallies(
    network: Network,
    tallies: Tallies,
    replications: range,
    unit_cost: np.ndarray,
    costs: CostDraws | None = None,
) -> Outcomes:
    """Name the tallies (DESIGN §6 metric names) and attach units; with `costs`, the
    spending on what the lines accepted and on investments (:mod:`sim.costs.metrics`)."""
    metrics: dict[str, np.ndarray] = {}
    units: dict[str, str] = {}
    years = network.years
    scenario = network.scenario

    def put(family: Family, values: np.ndarray, item_unit: str, **fields: object) -> None:
        name = family.name(**fields)
        metrics[name] = np.asarray(values, dtype=float)
        units[name] = family.unit_for(item_unit)

    produced = {line.item for line in network.lines}
    stocked = stocked_items(network)
    demanded = {network.stocks[s.stock][0] for s in network.streams}
    conflict_items = {network.stocks[s.stock][0] for s in network.streams if s.conflict is not None}
    for i, item in enumerate(network.items):
        unit = scenario.items[item].unit
        if i in produced:
            for y, year in enumerate(years):
                deliveries = tallies.item_deliveries[:, i, y]
                put(catalogue.ITEM_DELIVERIES_IN_YEAR, deliveries, unit, item=item, year=year)
            deliveries = tallies.item_deliveries[:, i].sum(axis=1)
            put(catalogue.ITEM_DELIVERIES, deliveries, unit, item=item)
        if i in stocked:
            members = [s for s, (it, _) in enumerate(network.stocks) if it == i]
            for y, year in enumerate(years):
                stock = tallies.stock_end[:, members, y].sum(axis=1)
                put(catalogue.ITEM_STOCK_END, stock, unit, item=item, year=year)
            for s in members:
                owner = network.stocks[s][1]
                for y, year in enumerate(years):
                    stock = tallies.stock_end[:, s, y]
                    family = catalogue.ITEM_OWNER_STOCK_END
                    put(family, stock, unit, item=item, owner=owner, year=year)
        if i in demanded:
            shortfall = tallies.item_shortfall[:, i].sum(axis=1)
            put(catalogue.ITEM_SHORTFALL, shortfall, unit, item=item)
            for y, year in enumerate(years):
                shortfall = tallies.item_shortfall[:, i, y]
                put(catalogue.ITEM_SHORTFALL_IN_YEAR, shortfall, unit, item=item, year=year)
            put(catalogue.ITEM_CONSUMED, tallies.item_consumed[:, i], unit, item=item)
            put(catalogue.ITEM_BACKORDER_END, tallies.item_backorder[:, i], unit, item=item)
            # who went short: peacetime demand (backordered) and conflict consumption (lost)
            demand_shortfall = tallies.item_shortfall[:, i].sum(axis=1)
            demand_shortfall -= tallies.item_conflict_shortfall[:, i]
            put(catalogue.ITEM_DEMAND_SHORTFALL, demand_shortfall, unit, item=item)
        if i in conflict_items:
            consumed = tallies.item_conflict_consumed[:, i]
            put(catalogue.ITEM_CONFLICT_CONSUMED, consumed, unit, item=item)
            shortfall = tallies.item_conflict_shortfall[:, i]
            put(catalogue.ITEM_CONFLICT_SHORTFALL, shortfall, unit, item=item)
            recovery = tallies.item_recovery_days[:, i]
            put(catalogue.ITEM_RECOVERY_DAYS, recovery, unit, item=item)
        if i in produced and i in stocked and not np.all(np.isnan(unit_cost[:, i])):
            cost = tallies.item_to_stock[:, i] * unit_cost[:, i]
            put(catalogue.ITEM_COST, cost, unit, item=item)

    surging = surging_lines(scenario)
    for line in network.lines:
        unit = scenario.items[network.items[line.item]].unit
        index, name = line.index, line.name
        for y, year in enumerate(years):
            output = tallies.line_output[:, index, y]
            put(catalogue.LINE_OUTPUT_IN_YEAR, output, unit, line=name, year=year)
        put(catalogue.LINE_OUTPUT, tallies.line_output[:, index].sum(axis=1), unit, line=name)
        put(catalogue.LINE_STARTED, tallies.line_started[:, index], unit, line=name)
        put(catalogue.LINE_SCRAPPED, tallies.line_scrapped[:, index], unit, line=name)
        put(catalogue.LINE_IN_FLOW_END, tallies.line_in_flow[:, index], unit, line=name)
        capacity = tallies.line_capacity[:, index]
        with np.errstate(invalid="ignore", divide="ignore"):
            utilisation = np.where(capacity > 0, tallies.line_started[:, index] / capacity, np.nan)
        put(catalogue.LINE_UTILISATION, utilisation, unit, line=name)
        put(catalogue.LINE_STARVED_DAYS, tallies.line_starved_days[:, index], unit, line=name)
        for store in line.stores:
            starved = tallies.store_starved_days[:, store]
            item = network.items[network.stores[store].item]
            put(catalogue.LINE_INPUT_STARVED_DAYS, starved, unit, line=name, item=item)
        capped = tallies.line_funding_capped_days[:, index]
        put(catalogue.LINE_FUNDING_CAPPED_DAYS, capped, unit, line=name)
        disrupted = tallies.line_disrupted_days[:, index]
        put(catalogue.LINE_DISRUPTED_DAYS, disrupted, unit, line=name)
        if name in surging:
            surge = tallies.line_surge_output[:, index]
            for y, year in enumerate(years):
                family = catalogue.LINE_SURGE_OUTPUT_IN_YEAR
                put(family, surge[:, y], unit, line=name, year=year)
            put(catalogue.LINE_SURGE_OUTPUT, surge.sum(axis=1), unit, line=name)
        if scenario.lines[name].orders is not None:
            unfunded = tallies.line_unfunded_days[:, index]
            put(catalogue.LINE_UNFUNDED_DAYS, unfunded, unit, line=name)
            for y, year in enumerate(years):
                backlog = tallies.line_order_backlog[:, index, y]
                put(catalogue.LINE_ORDER_BACKLOG_END, backlog, unit, line=name, year=year)

    spending_metrics(network, tallies.line_output, costs, put)

    stock = catalogue.SERIES_ITEM_STOCK
    series = {
        stock.name(item=network.items[i]): tallies.stock_monthly[:, i].astype(np.float32)
        for i in stocked
    }
    return Outcomes(replications=replications, metrics=metrics, units=units, series=series)
