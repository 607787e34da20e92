"""Everything random in a chunk of replications: what both engines read.

:mod:`sim.sampling` draws it (from the streams of :mod:`sim.streams`); the engines read
only this and the compiled network (:mod:`sim.network`), never the scenario itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from sim.costs.draws import CostDraws
from sim.parameter_id import ParameterId
from sim.production.orders import OrderBook
from sim.production.surge import SurgeWindows
from sim.repair.draws import EngineDraws, ShipDraws


@dataclass
class Disruptions:
    """Disruption events of one line: arrays (reps, events), padded with empty events."""

    start: np.ndarray
    end: np.ndarray
    lost: np.ndarray


@dataclass
class Parameters:
    """Everything random in a chunk of replications; both engines consume this."""

    replications: range
    rates: list[np.ndarray]
    """Per line: capacity per year in each ramp year, (reps, ramp years)."""
    ramp_edges: list[np.ndarray]
    """Per line: day offsets of its ramp-year edges, (reps, ramp years + 1): one row
    broadcast to every replication, or one per replication when growth counts from a
    drawn opening day (:func:`sim.production.capacity.line_ramp`)."""
    opens: np.ndarray
    """(reps, lines): day each line opens."""
    flow_days: np.ndarray
    yield_: np.ndarray
    funded: np.ndarray
    """(reps, lines): orders cap in units per year (inf when unfunded-capped)."""
    failures: list[np.ndarray | None]
    """Per line: sorted indices of the units that fail acceptance (reps, k), or None."""
    disruptions: list[Disruptions | None]
    shipping_days: dict[str, np.ndarray]
    stock_initial: np.ndarray
    """(reps, stocks)."""
    stream_rate: np.ndarray
    """(reps, streams): units per year (demand) or per day (conflicts)."""
    stream_start: np.ndarray
    stream_end: np.ndarray
    conflict_happens: np.ndarray
    """(reps, conflicts) booleans."""
    conflict_start: np.ndarray
    conflict_end: np.ndarray
    """(reps, conflicts) day each conflict starts and ends (whether or not it happens)."""
    unit_cost: np.ndarray
    """(reps, items) in million US$, NaN where not given."""
    warm_rate: np.ndarray
    """(reps, lines) units a day a warm line ran at before the start (0: it starts empty),
    the rate of its warm flow pipeline (:mod:`sim.production.warm`)."""
    warm_route_rate: np.ndarray
    """(reps, routes, in :meth:`Network.destinations` order) accepted units a day each
    route of a warm line carried before the start: its warm shipping pipeline."""
    surge: SurgeWindows | None = None
    """Per (replication, line) wartime surge windows (:mod:`sim.production.surge`); None when the
    scenario has no surge, so that engines skip it at no cost."""
    orders: list[OrderBook | None] = field(default_factory=list)
    """Per line: its awards (:mod:`sim.production.orders`), or None when its starts are not gated
    by orders (empty when the caller built parameters without them: no line is)."""
    named: dict[ParameterId, np.ndarray] = field(default_factory=dict)
    """Every uncertain scalar drawn, by its parameter (for sensitivity analysis): a
    reference to a shared draw is recorded once, as the shared draw."""
    ships: ShipDraws | None = None
    """Availability requests and yard draws, when the scenario models ship repair."""
    engines: list[EngineDraws] = field(default_factory=list)
    """Candidate removals and depot draws per engine type."""
    costs: CostDraws | None = None
    """Unit costs, learning and investments, when the scenario prices anything."""

    def by_name(self) -> dict[str, np.ndarray]:
        """The uncertain scalars drawn, by dotted name (as ``--input`` patterns and
        ``correlations:`` call them)."""
        return {parameter.name: values for parameter, values in self.named.items()}

    def take(self, rows: slice) -> Parameters:
        """The same parameters for a subset of replications.

        Every field but ``replications`` is cut, so a field added to the class is taken
        with the rest (arrays and the draws of repair by their replication axis, lists and
        mappings of them element by element).
        """

        # Any: each field is cut into a value of its own type, which differ by field
        def cut(value: object) -> Any:
            if isinstance(value, np.ndarray):
                return value[rows]
            if isinstance(value, ShipDraws | EngineDraws | SurgeWindows | CostDraws | OrderBook):
                return value.take(rows)
            if isinstance(value, Disruptions):
                return Disruptions(value.start[rows], value.end[rows], value.lost[rows])
            if isinstance(value, list):
                return [None if v is None else cut(v) for v in value]
            if isinstance(value, dict):
                return {k: cut(v) for k, v in value.items()}
            return value

        chosen = range(len(self.replications))[rows]
        first = self.replications.start
        return Parameters(
            replications=range(first + chosen.start, first + chosen.stop),
            **{
                part.name: cut(getattr(self, part.name))
                for part in fields(self)
                if part.name != "replications"
            },
        )
