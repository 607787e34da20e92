"""Where extra capacity helps most: each line run again with a little more capacity.

The bottleneck section says which line waited for which input; it cannot say where a
unit of new capacity buys the most, because relieving one constraint may only move the
bottleneck. This module answers that question the direct way, one extra run per line:

* every line in turn gets **+10 % capacity** (``STEP``) in every ramp year, from the
  first day, everything else unchanged (funding caps, disruptions, surges and the warm
  pipeline at the start stay as drawn);
* each variant runs with the **same parameter draws** as the unchanged base (common random
  numbers: the same ``Parameters`` with one line's rates scaled), so the per-replication
  difference is the capacity's effect and not noise between runs;
* the effect is read on each end item's **stock at the end of the lead year** (the
  scenario's ``headline_year``, else the last year) and its **deliveries in that year**,
  as a paired mean difference with a 95 % CI (:func:`sim.compare.statistics.paired_difference`).

Why +10 % rather than +1 unit a month: lines differ a hundredfold in size (motor lines
make thousands a year, final assembly lines tens), so a fixed number of units is a rounding
error for one and a doubling for another; a proportional step is the same order of effort
everywhere, within the 15–20 % a year the IISS gives as the pace of expansion, and small
enough that the answer is a local slope. The report also gives the extra units of capacity
the step adds, so effects can be read per unit.

Production only, on the vector engine, with few replications (``DEFAULT_REPLICATIONS``):
the pairing makes the differences precise at a fraction of a full run's cost. It runs only
when asked (``sim run --marginal``); a run without it does no extra work.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim import catalogue
from sim.compare.statistics import paired_difference
from sim.network import Network
from sim.parameters import Parameters
from sim.production.outcomes import Outcomes, Tallies, outcomes_from_tallies, stocked_items
from sim.sampling import sample_parameters
from sim.vector.production import run_tallies

STEP = 0.10
"""Capacity added to one line at a time, as a fraction of its rate in every ramp year."""
DEFAULT_REPLICATIONS = 200
"""Replications of each variant when ``--marginal`` gives no number."""


@dataclass(frozen=True)
class Effect:
    """What one line's extra capacity changes in one metric: paired mean and 95 % CI."""

    mean: float
    ci95: tuple[float | None, float | None]


@dataclass(frozen=True)
class LineEffect:
    """One line's extra capacity and what it buys."""

    line: str
    extra_capacity: float
    """Mean units of capacity the step adds over the horizon (it could start this many more)."""
    effects: dict[str, Effect]
    """Metric name → effect, for the lead-year stock and deliveries of every end item."""


@dataclass(frozen=True)
class Marginal:
    """The marginal value of capacity at every line (see the module docstring)."""

    step: float
    replications: int
    seed: int
    year: int
    lines: tuple[LineEffect, ...]

    def json(self) -> dict[str, Any]:
        """``report.json``'s ``marginal``: the method, then per line and metric the effect."""
        return {
            "step": self.step,
            "engine": "vector",
            "replications": self.replications,
            "seed": self.seed,
            "year": self.year,
            "lines": {
                entry.line: {
                    "extra_capacity": entry.extra_capacity,
                    "metrics": {
                        name: {"diff": effect.mean, "ci95": list(effect.ci95)}
                        for name, effect in entry.effects.items()
                    },
                }
                for entry in self.lines
            },
        }

    def ranked(self, metric: str) -> list[LineEffect]:
        """Lines by their effect on `metric`, largest first."""
        return sorted(self.lines, key=lambda entry: -entry.effects[metric].mean)


def effect_metrics(network: Network) -> list[str]:
    """The lead-year stock and deliveries of every end item that some line makes."""
    year = network.scenario.lead_year
    made = {line.item for line in network.lines}
    names = []
    for i in stocked_items(network):
        if i not in made:
            continue
        item = network.items[i]
        names.append(catalogue.ITEM_STOCK_END.name(item=item, year=year))
        names.append(catalogue.ITEM_DELIVERIES_IN_YEAR.name(item=item, year=year))
    return names


def with_more_capacity(parameters: Parameters, line: int, step: float = STEP) -> Parameters:
    """The same draws with line `line`'s rate raised by `step` in every ramp year."""
    rates = list(parameters.rates)
    rates[line] = rates[line] * (1.0 + step)
    return dataclasses.replace(parameters, rates=rates)


def marginal_capacity(
    network: Network, seed: int, replications: int = DEFAULT_REPLICATIONS, step: float = STEP
) -> Marginal:
    """Run the base and one variant per line (vector engine, production only) and pair them."""
    parameters = sample_parameters(network, seed, range(replications))
    metrics = effect_metrics(network)
    base_tallies = run_tallies(network, parameters)
    base = _outcomes(network, parameters, base_tallies)
    lines = []
    for node in network.lines:
        more = with_more_capacity(parameters, node.index, step)
        tallies = run_tallies(network, more)
        variant = _outcomes(network, more, tallies)
        extra = tallies.line_capacity[:, node.index] - base_tallies.line_capacity[:, node.index]
        lines.append(
            LineEffect(
                line=node.name,
                extra_capacity=float(np.mean(extra)),
                effects={name: _effect(base, variant, name) for name in metrics},
            )
        )
    year = network.scenario.lead_year
    return Marginal(step, replications, seed, year, tuple(lines))


def _outcomes(network: Network, parameters: Parameters, tallies: Tallies) -> Outcomes:
    return outcomes_from_tallies(
        network, tallies, parameters.replications, parameters.unit_cost, parameters.costs
    )


def _effect(base: Outcomes, variant: Outcomes, name: str) -> Effect:
    difference = paired_difference(base.metrics[name], variant.metrics[name])
    return Effect(difference.diff or 0.0, difference.ci95)
