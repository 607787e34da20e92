"""One chunk of replications through an engine: draw its parameters, then simulate.

The step every backend runs for every chunk (:func:`sim.execution.chunk.compute_chunk`),
and the way to learn which metrics a scenario reports (:func:`metric_names`). It sits
below the Monte Carlo orchestration (:mod:`sim.runs.montecarlo`) and the execution backends,
which both build on it, and above the engines, which know nothing of either.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.des import simulate as simulate_des
from sim.network import Network
from sim.production.outcomes import Outcomes
from sim.sampling import sample_parameters
from sim.vector import simulate as simulate_vector

if TYPE_CHECKING:
    from sim.execution.partial import Fraction

DRAWN = 0.2
"""Share of a chunk's simulation reported done once its parameters are drawn (about a
fifth of the time on co-production's vector engine; the bar's pace only)."""


def simulate_chunk(
    network: Network,
    seed: int,
    replications: range,
    engine: str = "vector",
    trace: str | Path | None = None,
    progress: Fraction | None = None,
) -> Outcomes:
    """Draw the parameters of `replications` and run them through `engine`.

    `trace` (DES only) is a CSV file for the event log of the chunk's first replication;
    `progress` hears the share of the work done as it goes (:mod:`sim.execution.partial`).
    """
    parameters = sample_parameters(network, seed, replications)
    simulating = None
    if progress is not None:
        progress(DRAWN)
        simulating = lambda share: progress(DRAWN + (1 - DRAWN) * share)  # noqa: E731
    if engine == "des":
        return simulate_des(network, parameters, trace, simulating)
    if trace is not None:
        raise ValueError("only the des engine writes an event trace")
    if engine != "vector":
        raise ValueError(f"unknown engine '{engine}'")
    return simulate_vector(network, parameters, simulating)


def metric_names(network: Network, seed: int, engine: str = "vector") -> list[str]:
    """The metrics a run of `network` reports, found by simulating one replication."""
    return list(simulate_chunk(network, seed, range(1), engine).metrics)
