"""Both engines on one scenario: speed, cost per replication-line-step, random-number
floor and peak memory.

*Engine time* is what a run spends in the engines proper: for each chunk of
replications, drawing its parameters (:func:`sim.sampling.sample_parameters`) and
simulating it (:func:`sim.runs.montecarlo.simulate_chunk` does both). Loading the scenario,
summarising, the report and its figures are left out; :mod:`sim.bench.end_to_end`
times those with everything else.

The *random-number floor* is the time to make only the draws the model needs: the same
chunks through :func:`~sim.sampling.sample_parameters` alone. Neither engine draws inside
its loop (every random number is drawn up front, so both engines see the same draws),
so no engine can be faster than its floor, and engine ÷ floor says how far above it the
simulation proper takes the run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sim.bench.memory import RunMemory, run_memory
from sim.bench.timing import Timing, repeat
from sim.network import Network, compile_network
from sim.runs.montecarlo import DEFAULT_CHUNK, chunk_ranges
from sim.sampling import sample_parameters
from sim.scenario.model import Scenario
from sim.simulation import simulate_chunk

Note = Callable[[str], None]
"""Called with a short description of each measurement as it starts."""


@dataclass(frozen=True)
class EngineMeasurement:
    """One engine run over `replications` replications of one scenario, repeated."""

    engine: str
    replications: int
    lines: int
    steps: int
    seconds: Timing
    """Engine time: parameters drawn and simulated, chunk by chunk."""
    random_number_seconds: Timing
    """The floor: the same chunks' parameters drawn, nothing simulated."""

    @property
    def replications_per_second(self) -> float:
        """Replications per second of engine time (median)."""
        return self.replications / self.seconds.median

    @property
    def nanoseconds_per_replication_line_step(self) -> float | None:
        """Engine time per replication, line and time step; None without lines.

        The vector engine's work is mostly one NumPy operation per line per step over
        all replications, so this is the unit cost to compare scenarios and machines by.
        """
        units = self.replications * self.lines * self.steps
        return self.seconds.median / units * 1e9 if units else None

    @property
    def random_number_share(self) -> float:
        """The share of engine time spent drawing random numbers."""
        return min(1.0, self.random_number_seconds.median / self.seconds.median)

    @property
    def floor_ratio(self) -> float:
        """Engine time ÷ random-number floor: 1 would mean the simulation itself is free."""
        return self.seconds.median / self.random_number_seconds.median

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, derived numbers included."""
        return {
            "engine": self.engine,
            "replications": self.replications,
            "seconds": self.seconds.as_dict(),
            "random_number_seconds": self.random_number_seconds.as_dict(),
            "replications_per_second": self.replications_per_second,
            "ns_per_replication_line_step": self.nanoseconds_per_replication_line_step,
            "random_number_share": self.random_number_share,
            "floor_ratio": self.floor_ratio,
        }


@dataclass
class ScenarioMeasurement:
    """Both engines on one scenario, and the vector engine's peak memory."""

    name: str
    file: str
    lines: int
    steps: int
    years: int
    repair: list[str]
    """What the scenario models beside production: ``ships``, ``engines``."""
    des: EngineMeasurement
    vector: list[EngineMeasurement] = field(default_factory=list)
    memory: RunMemory | None = None

    @property
    def speedup(self) -> float:
        """Vector ÷ SimPy replications per second, at the most vector replications."""
        return self.vector[-1].replications_per_second / self.des.replications_per_second

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of bench.json's ``scenarios`` entries."""
        return {
            "name": self.name,
            "file": self.file,
            "lines": self.lines,
            "steps": self.steps,
            "years": self.years,
            "repair": self.repair,
            "des": self.des.as_dict(),
            "vector": [measurement.as_dict() for measurement in self.vector],
            "speedup": self.speedup,
            "memory": None if self.memory is None else self.memory.as_dict(),
        }


def run_chunks(network: Network, seed: int, replications: int, engine: str) -> None:
    """Draw and simulate `replications` chunk by chunk, as a run does; keep nothing."""
    for chunk in chunk_ranges(replications, DEFAULT_CHUNK):
        simulate_chunk(network, seed, chunk, engine)


def draw_chunks(network: Network, seed: int, replications: int) -> None:
    """Only draw the parameters of the same chunks: the random-number floor."""
    for chunk in chunk_ranges(replications, DEFAULT_CHUNK):
        sample_parameters(network, seed, chunk)


def measure_engine(
    network: Network,
    seed: int,
    replications: int,
    engine: str,
    repeats: int,
    budget_seconds: float,
) -> EngineMeasurement:
    """Time `engine` and the random-number floor on `replications` replications."""
    return EngineMeasurement(
        engine=engine,
        replications=replications,
        lines=len(network.lines),
        steps=network.calendar.steps,
        seconds=repeat(
            lambda: run_chunks(network, seed, replications, engine), repeats, budget_seconds
        ),
        random_number_seconds=repeat(
            lambda: draw_chunks(network, seed, replications), repeats, budget_seconds
        ),
    )


def warm_up(network: Network, seed: int) -> None:
    """One vector replication, untimed, and the SimPy engine imported, so that imports
    and first-touch costs stay out of the numbers."""
    importlib.import_module("sim.des")
    simulate_chunk(network, seed, range(1), "vector")


def measure_scenario(
    scenario: Scenario,
    des_replications: int,
    vector_replications: list[int],
    repeats: int,
    budget_seconds: float,
    memory_replications: int | None,
    note: Note = lambda _: None,
) -> ScenarioMeasurement:
    """Both engines on `scenario` in this process, then a run's memory in a child process."""
    network = compile_network(scenario)
    seed = scenario.seed
    warm_up(network, seed)
    name = scenario.name
    note(f"{name}: SimPy engine, {des_replications:,} replications")
    des = measure_engine(network, seed, des_replications, "des", repeats, budget_seconds)
    result = ScenarioMeasurement(
        name=name,
        file=scenario.file,
        lines=len(network.lines),
        steps=network.calendar.steps,
        years=scenario.years,
        repair=[
            part
            for part, present in (("ships", network.ships), ("engines", network.engines))
            if present
        ],
        des=des,
    )
    for replications in vector_replications:
        note(f"{name}: NumPy engine, {replications:,} replications")
        result.vector.append(
            measure_engine(network, seed, replications, "vector", repeats, budget_seconds)
        )
    if memory_replications:
        note(f"{name}: memory of a {memory_replications:,}-replication run")
        result.memory = run_memory(scenario.file, scenario.overrides, memory_replications)
    return result
