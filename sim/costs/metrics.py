"""Spending per replication, from what the lines accepted and the investments' days.

Costs are pure post-processing of the tallies both engines fill (no engine knows about
money): a line is paid for each unit that **passes acceptance**, in the calendar year
it does (``line_output``), at the cost Wright's law gives that unit's number on the
line's learning curve (:mod:`sim.costs.learning`); an investment is paid in full in the
calendar year of its day (:mod:`sim.costs.draws`). Days before the start (sunk) or from
the end of the horizon on are not counted. docs/model.md, "Costs", states the rules.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim import catalogue
from sim.catalogue import Family
from sim.costs.draws import CostDraws
from sim.costs.learning import yearly_costs
from sim.network import Network

Put = Callable[..., None]
"""The ``put(family, values, item_unit, **fields)`` of
:func:`sim.production.outcomes.outcomes_from_tallies`."""


def unit_spending(line_output: np.ndarray, costs: CostDraws, priced: np.ndarray) -> np.ndarray:
    """(reps, lines, years) million US$ paid for each line's accepted units each year.

    `line_output` is (reps, lines, years) units accepted; `priced` the lines with a cost
    (:attr:`CostDraws.priced_lines`); the others give 0.
    """
    spent = np.zeros(line_output.shape, dtype=float)
    for line in priced:
        spent[:, line] = yearly_costs(
            costs.next_unit_cost[:, line, None],
            costs.units_before[:, line, None],
            costs.exponent[:, line, None],
            line_output[:, line],
        )
    return spent


def investment_spending(network: Network, costs: CostDraws) -> np.ndarray:
    """(reps, investments, years) million US$: each investment in the year of its day."""
    edges = network.calendar.year_edges
    years = len(edges) - 1
    year = np.searchsorted(edges, costs.investment_day, side="right") - 1
    inside = (costs.investment_day >= 0) & (year < years)
    spent = np.zeros((*costs.investment_cost.shape, years))
    reps, investments = np.nonzero(inside)
    spent[reps, investments, year[inside]] = costs.investment_cost[inside]
    return spent


def investment_countries(network: Network) -> list[str]:
    """Who pays each investment: its ``country``, else its line's, yard's or depot's."""
    scenario = network.scenario
    countries = []
    for investment in scenario.investments:
        anchor = investment.anchor()
        if investment.country is not None or anchor is None:
            countries.append(str(investment.country))
            continue
        kind, name = anchor
        if kind == "line":
            countries.append(scenario.lines[name].country)
        elif kind == "yard":
            assert scenario.ship_repair is not None
            countries.append(scenario.ship_repair.yards[name].country)
        else:
            engine, depot = name.split(".", 1)
            countries.append(scenario.engine_repair[engine].depots[depot].country)
    return countries


def spending_metrics(
    network: Network, line_output: np.ndarray, costs: CostDraws | None, put: Put
) -> None:
    """Name the spending metrics of the catalogue (nothing when nothing is priced)."""
    if costs is None:
        return
    years = network.years
    priced = costs.priced_lines
    units = unit_spending(line_output, costs, priced)
    invested = investment_spending(network, costs)
    money = "million US$"

    def each_year(family: Family, values: np.ndarray, **fields: object) -> None:
        for y, year in enumerate(years):
            put(family, values[:, y], money, **fields, year=year)

    if priced.size:
        each_year(catalogue.SPENDING_UNITS_IN_YEAR, units.sum(axis=1))
        put(catalogue.SPENDING_UNITS, units.sum(axis=(1, 2)), money)
    if invested.shape[1]:
        each_year(catalogue.SPENDING_INVESTMENTS_IN_YEAR, invested.sum(axis=1))
        put(catalogue.SPENDING_INVESTMENTS, invested.sum(axis=(1, 2)), money)
    put(catalogue.SPENDING_TOTAL, units.sum(axis=(1, 2)) + invested.sum(axis=(1, 2)), money)

    by_country: dict[str, np.ndarray] = {}
    for line in (network.lines[index] for index in priced):
        total = units[:, line.index].sum(axis=1)
        put(catalogue.LINE_SPENDING, total, money, line=line.name)
        by_country[line.country] = by_country.get(line.country, 0.0) + total
    for j, country in enumerate(investment_countries(network)):
        by_country[country] = by_country.get(country, 0.0) + invested[:, j].sum(axis=1)
    for country in sorted(by_country):
        put(catalogue.SPENDING_COUNTRY, by_country[country], money, country=country)

    for item in sorted({network.lines[index].item for index in priced}):
        members = [index for index in priced if network.lines[index].item == item]
        count = line_output[:, members].sum(axis=1)
        paid = units[:, members].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, paid / count, np.nan)
        each_year(catalogue.ITEM_UNIT_COST_IN_YEAR, mean, item=network.items[item])
