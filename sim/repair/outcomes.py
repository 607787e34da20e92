"""Repair tallies of a chunk and how they join the chunk's outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.network import Network
from sim.production.outcomes import Outcomes
from sim.repair.metrics import engine_metrics, ship_metrics
from sim.repair.tallies import EngineTallies, ShipTallies

if TYPE_CHECKING:
    from sim.parameters import Parameters


@dataclass
class RepairTallies:
    """What an engine fills for ship and engine repair (None / empty when not modelled)."""

    ships: ShipTallies | None
    engines: list[EngineTallies]

    @classmethod
    def zeros(cls, network: Network, reps: int) -> RepairTallies:
        """Empty tallies shaped for `network` and `reps` replications."""
        edges = network.calendar.month_edges
        ships = network.ships
        return cls(
            ships=None
            if ships is None
            else ShipTallies(reps, len(ships.fleets), len(ships.yards), edges),
            engines=[EngineTallies(reps, len(engine.depots), edges) for engine in network.engines],
        )


def add_repair_metrics(
    outcomes: Outcomes, network: Network, parameters: Parameters, tallies: RepairTallies
) -> None:
    """Name the repair tallies (``ships.*``, ``engines.*``) into `outcomes`."""

    def put(name: str, values: np.ndarray, unit: str) -> None:
        outcomes.metrics[name] = values.astype(float)
        outcomes.units[name] = unit

    edges, years = network.calendar.month_edges, network.years
    if tallies.ships is not None:
        # ship tallies and draws exist exactly when the network has ships
        assert network.ships is not None and parameters.ships is not None
        ship_metrics(
            network.ships, tallies.ships, parameters.ships, edges, years, put, outcomes.series
        )
    for engine, engine_tallies, draws in zip(
        network.engines, tallies.engines, parameters.engines, strict=True
    ):
        engine_metrics(engine, engine_tallies, draws, edges, years, put, outcomes.series)
