"""Monte Carlo runs: replications in chunks, chunks through an engine, outcomes joined.

Chunks are cut on the random-number block boundaries of :mod:`sim.sampling`, and each
chunk's draws depend only on the seed and the replication indices, so a run's numbers
do not depend on how it was chunked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim import __version__
from sim.network import Network, compile_network
from sim.outcomes import Outcomes
from sim.sampling import BLOCK, sample_parameters
from sim.scenario import Scenario

DEFAULT_CHUNK = 2000
"""Replications per chunk: large enough to amortise the step loop, small enough for memory."""

Progress = Callable[[int], None]
"""Called with the number of replications just finished."""


@dataclass
class Run:
    """A finished Monte Carlo run."""

    scenario: Scenario
    network: Network
    outcomes: Outcomes
    seed: int
    engine: str
    wall_seconds: float
    version: str = __version__

    @property
    def replications(self) -> int:
        """How many replications were run."""
        return len(self.outcomes.replications)


def chunk_ranges(replications: int, chunk_size: int = DEFAULT_CHUNK) -> list[range]:
    """Consecutive ranges covering `replications`, each a whole number of blocks."""
    size = max(BLOCK, (chunk_size // BLOCK) * BLOCK)
    return [range(start, min(start + size, replications)) for start in range(0, replications, size)]


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
        from sim.des import simulate as simulate_des

        return simulate_des(network, parameters, trace)
    if trace is not None:
        raise ValueError("only the des engine writes an event trace")
    if engine == "vector":
        from sim.vector import simulate
    else:
        raise ValueError(f"unknown engine '{engine}'")
    return simulate(network, parameters)


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    engine: str = "vector",
    chunk_size: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    trace: str | Path | None = None,
) -> Run:
    """Run `scenario` for `replications` (default: the scenario's) and return the outcomes.

    `trace` (DES only) is a CSV file for the event log of replication 0.
    """
    replications = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    network = compile_network(scenario)
    began = time.perf_counter()
    parts = []
    for chunk in chunk_ranges(replications, chunk_size):
        parts.append(simulate_chunk(network, seed, chunk, engine, trace if not parts else None))
        if progress is not None:
            progress(len(chunk))
    outcomes = Outcomes.concatenate(parts)
    return Run(scenario, network, outcomes, seed, engine, time.perf_counter() - began)
