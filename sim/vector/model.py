"""The NumPy engine's entry point: production, ship repair and engine repair of a chunk.

The three parts do not interact (a missile line does not wait for a ship), so each runs
over all replications on its own and their metrics are joined into one outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.network import Network
from sim.parameters import Parameters
from sim.production.outcomes import Outcomes
from sim.repair.outcomes import RepairTallies, add_repair_metrics
from sim.vector.engines import simulate_engines
from sim.vector.production import simulate as simulate_production
from sim.vector.ships import simulate_ships

if TYPE_CHECKING:
    from sim.execution.partial import Fraction


REPAIR_SHARE = 0.25
"""Share of the engine's time reported for each repair part (ships, each engine type)
after production's: progress marks only, no number depends on it."""


def simulate(
    network: Network, parameters: Parameters, progress: Fraction | None = None
) -> Outcomes:
    """Run the chunk of replications in `parameters`; return their outcomes.

    `progress`, when given, hears the share of the work done as it goes
    (:mod:`sim.execution.partial`).
    """
    parts = (network.ships is not None) + len(network.engines)
    production = 1.0 / (1.0 + REPAIR_SHARE * parts)
    outcomes = simulate_production(
        network,
        parameters,
        None if progress is None else (lambda share: progress(production * share)),
    )
    done = production
    repair = RepairTallies.zeros(network, len(parameters.replications))
    if network.ships is not None:
        # sampled and shaped whenever the network has ships
        assert parameters.ships is not None and repair.ships is not None
        simulate_ships(network.ships, parameters.ships, network.calendar, repair.ships)
        done += production * REPAIR_SHARE
        if progress is not None:
            progress(done)
    for engine, draws, tallies in zip(
        network.engines, parameters.engines, repair.engines, strict=True
    ):
        simulate_engines(engine, draws, network.calendar, tallies)
        done += production * REPAIR_SHARE
        if progress is not None:
            progress(done)
    add_repair_metrics(outcomes, network, parameters, repair)
    return outcomes
