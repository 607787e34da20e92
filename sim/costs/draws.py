"""Per-replication cost inputs: each line's unit cost and learning, each investment's day.

Uncertain costs, slopes, dates and lead times are drawn by name like every other
parameter (:mod:`sim.sampling`), so common random numbers and sensitivity analysis reach
them: ``lines.<line>.cost.unit_cost_musd``, ``lines.<line>.cost.learning_slope``,
``investments.<name>.cost_musd``, ``investments.<name>.date``,
``investments.<name>.lead_days``. A line without its own ``cost.unit_cost_musd`` uses
its item's draw (``items.<item>.unit_cost_musd``), so every line of an item moves with
one uncertain price.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from sim.costs.learning import exponent
from sim.network import Network
from sim.parameter_id import Draw, Kind, ParameterId
from sim.scenario.distributions import date_distribution


@dataclass
class CostDraws:
    """Cost inputs of a chunk of replications (first axis: replication)."""

    next_unit_cost: np.ndarray
    """(reps, lines) million US$ for the line's next unit at the start; NaN: no cost."""
    exponent: np.ndarray
    """(reps, lines) Wright's b = log₂(learning slope), 0 without learning."""
    units_before: np.ndarray
    """(reps, lines) units accepted before the start."""
    investment_cost: np.ndarray
    """(reps, investments) million US$."""
    investment_day: np.ndarray
    """(reps, investments) day paid, from the start (inf: never, e.g. SAR failed)."""

    def take(self, rows: slice) -> CostDraws:
        """The same draws for a subset of replications."""
        return CostDraws(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    @property
    def priced_lines(self) -> np.ndarray:
        """Indices of the lines whose units have a cost."""
        return np.flatnonzero(~np.all(np.isnan(self.next_unit_cost), axis=0))


def sample_costs(
    network: Network,
    draw: Draw,
    size: int,
    item_cost: np.ndarray,
    line_opens: np.ndarray,
    yard_opens: np.ndarray | None,
    depot_opens: dict[str, np.ndarray],
) -> CostDraws | None:
    """Draw the cost inputs; None when the scenario prices nothing (no cost, no investment).

    `item_cost` is (reps, items) from ``items.<item>.unit_cost_musd``; `line_opens`
    (reps, lines), `yard_opens` (reps, yards) and `depot_opens` (engine type →
    (reps, depots)) are the opening days already drawn, which investments tied to an
    opening follow.
    """
    scenario = network.scenario
    lines = network.lines
    next_cost = np.full((size, len(lines)), np.nan)
    b = np.zeros((size, len(lines)))
    before = np.zeros((size, len(lines)))
    for line in lines:
        spec = scenario.lines[line.name].cost
        key = ParameterId("lines", line.name, "")
        if spec is not None and spec.unit_cost_musd is not None:
            unit_cost = key.with_field("cost.unit_cost_musd")
            next_cost[:, line.index] = draw(unit_cost, spec.unit_cost_musd)
        else:
            next_cost[:, line.index] = item_cost[:, line.item]
        if spec is not None:
            slope = draw(key.with_field("cost.learning_slope"), spec.learning_slope)
            b[:, line.index] = exponent(slope)
            before[:, line.index] = spec.units_before
    investments = scenario.investments
    cost = np.zeros((size, len(investments)))
    day = np.zeros((size, len(investments)))
    for j, investment in enumerate(investments):
        key = ParameterId("investments", investment.name, "")
        cost[:, j] = draw(key.with_field("cost_musd"), investment.cost_musd)
        anchor = investment.anchor()
        if anchor is None:
            assert investment.date is not None
            day[:, j] = draw(
                key.with_field("date", Kind.DATE),
                date_distribution(investment.date, scenario.start),
            )
            continue
        kind, name = anchor
        if kind == "line":
            opens = line_opens[:, next(n.index for n in lines if n.name == name)]
        elif kind == "yard":
            assert yard_opens is not None and network.ships is not None
            opens = yard_opens[:, network.ships.yards.index(name)]
        else:
            engine, depot = name.split(".", 1)
            which = next(e for e in network.engines if e.name == engine)
            opens = depot_opens[engine][:, which.depots.index(depot)]
        lead = investment.lead_days
        day[:, j] = opens if lead is None else opens - draw(key.with_field("lead_days"), lead)
    if not investments and np.all(np.isnan(next_cost)):
        return None
    return CostDraws(next_cost, b, before, cost, day)
