"""The NumPy engine's entry point: production, ship repair and engine repair of a chunk.

The three parts do not interact (a missile line does not wait for a ship), so each runs
over all replications on its own and their metrics are joined into one outcome.
"""

from __future__ import annotations

from sim.network import Network
from sim.production.outcomes import Outcomes
from sim.repair.outcomes import RepairTallies, add_repair_metrics
from sim.sampling import Parameters
from sim.vector.engines import simulate_engines
from sim.vector.production import simulate as simulate_production
from sim.vector.ships import simulate_ships


def simulate(network: Network, parameters: Parameters) -> Outcomes:
    """Run the chunk of replications in `parameters`; return their outcomes."""
    outcomes = simulate_production(network, parameters)
    repair = RepairTallies.zeros(network, len(parameters.replications))
    if network.ships is not None:
        # sampled and shaped whenever the network has ships
        assert parameters.ships is not None and repair.ships is not None
        simulate_ships(network.ships, parameters.ships, network.calendar, repair.ships)
    for engine, draws, tallies in zip(
        network.engines, parameters.engines, repair.engines, strict=True
    ):
        simulate_engines(engine, draws, network.calendar, tallies)
    add_repair_metrics(outcomes, network, parameters, repair)
    return outcomes
