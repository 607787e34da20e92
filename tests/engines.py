"""Running one scenario on either engine, for tests written once and held in both.

A rule of the model is one rule, whichever engine applies it; its test should be one
test, parametrised over ``ENGINES``, so that a fix made for one engine cannot miss the
other. The DES works in continuous time and is exact; the vector engine steps about a
week at a time (52 or 53 steps a year), so where a case depends on when within a step
something happens it may be one step's output away (:func:`step_output`, docs/model.md
"Engine agreement"). A test says which of its numbers are exact in both.
"""

from __future__ import annotations

import math

import numpy as np

from sim.des import simulate as des_simulate
from sim.des.model import Replication
from sim.des.model import run_tallies as des_tallies
from sim.network import Network, compile_network
from sim.parameters import Parameters
from sim.production.demand import Requirements, recovery_windows
from sim.production.outcomes import Outcomes, Tallies
from sim.repair.outcomes import RepairTallies
from sim.runs.montecarlo import run
from sim.sampling import sample_parameters
from sim.scenario.model import Scenario
from sim.vector import simulate as vector_simulate
from sim.vector.engines import simulate_engines
from sim.vector.production import run_tallies as vector_tallies
from sim.vector.ships import simulate_ships

ENGINES = ("des", "vector")
STEP_DAYS = 365 / 52
"""The vector engine's step in a common year (52 steps)."""


def simulate(engine: str, network: Network, parameters: Parameters) -> Outcomes:
    """`engine`'s outcomes for parameters already drawn (and perhaps changed by hand)."""
    return (des_simulate if engine == "des" else vector_simulate)(network, parameters)


def simulated(
    engine: str, scenario: Scenario, replications: int = 1, seed: int = 1
) -> tuple[Network, Parameters, Outcomes]:
    """The compiled network, the parameters drawn and `engine`'s outcomes for `scenario`."""
    network = compile_network(scenario)
    parameters = sample_parameters(network, seed, range(replications))
    return network, parameters, simulate(engine, network, parameters)


def tallies(
    engine: str, scenario: Scenario, replications: int = 1, seed: int = 1
) -> tuple[Network, Tallies]:
    """The compiled network and the raw tallies of `engine` for `scenario`."""
    network = compile_network(scenario)
    parameters = sample_parameters(network, seed, range(replications))
    run_tallies = des_tallies if engine == "des" else vector_tallies
    return network, run_tallies(network, parameters)


def step_output(per_year: float) -> int:
    """Whole units a line making `per_year` a year puts into one vector step."""
    return math.ceil(per_year * STEP_DAYS / 365)


def leeway(engine: str, per_year: float) -> int:
    """How far `engine` may be from the exact count of a line making `per_year`."""
    return 0 if engine == "des" else step_output(per_year)


def repair_tallies(
    engine: str, scenario: Scenario, replications: int, seed: int = 1
) -> RepairTallies:
    """The ship and engine repair tallies of `engine` (their timelines and counts)."""
    network = compile_network(scenario)
    parameters = sample_parameters(network, seed, range(replications))
    found = RepairTallies.zeros(network, replications)
    if engine == "des":
        requirements = Requirements(network, parameters)
        windows = recovery_windows(network, parameters)
        for rep in range(replications):
            replication = Replication(network, parameters, rep, requirements, windows)
            replication.run()
            replication.record_repair(found)
        return found
    if network.ships is not None:
        simulate_ships(network.ships, parameters.ships, network.calendar, found.ships)
    for pool, draws, pool_tallies in zip(
        network.engines, parameters.engines, found.engines, strict=True
    ):
        simulate_engines(pool, draws, network.calendar, pool_tallies)
    return found


def metrics(
    engine: str, scenario: Scenario, replications: int = 1, seed: int = 1
) -> dict[str, np.ndarray]:
    """Every metric of `engine` for `scenario`, per replication, as `sim run` computes them."""
    return run(scenario, replications, seed, engine=engine).outcomes.metrics
