"""One chunk of replications through an engine: draw its parameters, then simulate.

The step every backend runs for every chunk (:func:`sim.execution.chunk.compute_chunk`),
and the way to learn which metrics a scenario reports (:func:`metric_names`). It sits
below the Monte Carlo orchestration (:mod:`sim.runs.montecarlo`) and the execution backends,
which both build on it, and above the engines, which know nothing of either.
"""

from __future__ import annotations

from pathlib import Path

from sim.des import simulate as simulate_des
from sim.network import Network
from sim.production.outcomes import Outcomes
from sim.sampling import sample_parameters
from sim.vector import simulate as simulate_vector


def simulate_chunk(
    network: Network,
    seed: int,
    replications: range,
    engine: str = "vector",
    trace: str | Path | None = None,
) -> Outcomes:
    """Draw the parameters of `replications` and run them through `engine`.

    `trace` (DES only) is a CSV file for the event log of the chunk's first replication.
    """
    parameters = sample_parameters(network, seed, replications)
    if engine == "des":
        return simulate_des(network, parameters, trace)
    if trace is not None:
        raise ValueError("only the des engine writes an event trace")
    if engine != "vector":
        raise ValueError(f"unknown engine '{engine}'")
    return simulate_vector(network, parameters)


def metric_names(network: Network, seed: int, engine: str = "vector") -> list[str]:
    """The metrics a run of `network` reports, found by simulating one replication."""
    return list(simulate_chunk(network, seed, range(1), engine).metrics)
