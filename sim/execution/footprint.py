"""How much memory a chunk's random draws will take, estimated before any is drawn.

Both engines draw every per-event random number up front, a block of replications at a
time: the positions of units that fail acceptance, disruption events, ship requests,
engine-removal candidates. Their number grows with rates × horizon, so a scenario within
every bound of :mod:`sim.scenario.limits` can still ask for more memory than a machine has (10⁷
missiles a year at a yield of 0.5 for 100 years is 5·10⁸ failing units per replication).
This module estimates the bytes a replication's draws take from each source's largest
possible rate, so that a run either fits chunks to :data:`CHUNK_BYTES` or, when even a
single block of replications would not fit, is refused with the estimate and its main
cause — before anything is allocated.

The estimate errs high (upper ends of every range, the widest growth path), as the
arrays do: they are as wide as the busiest replication of the block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.errors import RunError
from sim.network import Network
from sim.scenario.distributions import Distribution, far_tail

CHUNK_BYTES = 2 * 2**30
"""Memory a chunk's draws may take in one process: chunks are shrunk to fit it."""
BYTES_PER_FAILURE = 8
BYTES_PER_DISRUPTION = 3 * 8  # start, end, capacity lost
BYTES_PER_SHIP_REQUEST = 8 * 8  # request, fleet, kind, planned, work, transit, …
BYTES_PER_REMOVAL = 3 * 8  # candidate day, depot choice, turnaround
BYTES_PER_STATED_JOB = 4 * 8  # place, fleet, work left, trip back (sim.repair.initial)


class TooLarge(RunError):
    """A scenario whose draws would not fit in memory even a block at a time."""


MOST_DES_EVENTS = 5_000_000
"""Most units and jobs one replication may hold for the SimPy engine, which makes an
event of each (about 10⁵ a second): past this a run would take hours a replication."""


@dataclass(frozen=True)
class Footprint:
    """Estimated bytes of random draws per replication, by source, and the units and jobs
    (each an event for the SimPy engine) one replication holds at most."""

    sources: dict[str, float]
    events: float = 0.0

    @property
    def per_replication(self) -> float:
        """All sources together."""
        return sum(self.sources.values())

    def largest(self) -> tuple[str, float]:
        """The source that takes the most, and its bytes."""
        return max(self.sources.items(), key=lambda entry: entry[1], default=("nothing", 0.0))


def footprint(network: Network) -> Footprint:
    """The bytes each source of per-event draws takes in one replication, at most."""
    scenario = network.scenario
    years = scenario.years
    sources: dict[str, float] = {}
    events = 0.0
    for name, line in scenario.lines.items():
        initial = _high(line.capacity.initial)
        target = _high(line.capacity.target) if line.capacity.target is not None else initial
        growth = _high(line.capacity.growth_cap)
        units = sum(min(target, initial * (1 + growth) ** year) for year in range(years))
        stated_in_flow = line.initial.in_flow if line.initial is not None else None
        events += units + (stated_in_flow or 0)  # the DES times each stated unit too
        failing = 1.0 - _low(line.yield_)
        sources[f"line {name}: units failing acceptance"] = failing * units * BYTES_PER_FAILURE
        if line.disruptions is not None:
            disruptions = _high(line.disruptions.per_year) * years
            sources[f"line {name}: disruptions"] = disruptions * BYTES_PER_DISRUPTION
    if scenario.ship_repair is not None:
        for name, fleet in scenario.ship_repair.fleets.items():
            requests = _high(fleet.emergent_per_year) * years
            if fleet.cycle_days is not None:
                cycle = max(_low(fleet.cycle_days), 1.0)
                requests += fleet.most_ships * (365.25 * years / cycle + 1)
            sources[f"fleet {name}: repairs"] = requests * BYTES_PER_SHIP_REQUEST
            events += requests
        stated = sum(
            group.ships
            for yard in scenario.ship_repair.yards.values()
            for group in yard.in_availability
        )
        if stated:
            sources["ships in availability at the start"] = stated * BYTES_PER_STATED_JOB
            events += stated
        damage = sum(_high(conflict.ship_damage_per_year) for conflict in scenario.conflicts)
        sources["conflicts: battle damage"] = damage * years * BYTES_PER_SHIP_REQUEST
    factor = max([1.0, *(_high(c.engine_removal_factor) for c in scenario.conflicts)])
    for name, engine in scenario.engine_repair.items():
        positions = max(count for _, count in engine.schedule())
        removals = positions * _high(engine.removals_per_engine_year) * factor * years
        sources[f"engine {name}: removals"] = removals * BYTES_PER_REMOVAL
        stated = sum(group.engines for d in engine.depots.values() for group in d.in_repair)
        if stated:
            sources[f"engine {name}: engines in repair at the start"] = (
                stated * BYTES_PER_STATED_JOB
            )
        events += removals + stated
    return Footprint(sources, events)


def check_engine(network: Network, engine: str) -> None:
    """Refuse the SimPy engine for a scenario it would take hours a replication to run."""
    events = footprint(network).events
    if engine == "des" and events > MOST_DES_EVENTS:
        raise TooLarge(
            f"{network.scenario.name} holds up to {events:,.0f} units and jobs a replication; "
            f"the SimPy engine (--engine des) simulates each one and takes at most "
            f"{MOST_DES_EVENTS:,}: use the vector engine"
        )


def fit_chunk_size(network: Network, chunk_size: int, block: int) -> int:
    """`chunk_size` cut (in whole blocks) so that a chunk's draws fit :data:`CHUNK_BYTES`.

    Raises :class:`TooLarge`, naming the estimate and its main source, if a single block
    would not fit.
    """
    estimate = footprint(network)
    per_block = estimate.per_replication * block
    if per_block > CHUNK_BYTES:
        source, size = estimate.largest()
        raise TooLarge(
            f"{network.scenario.name} would need about {_gigabytes(per_block)} of random "
            f"draws for every {block} replications, above the {_gigabytes(CHUNK_BYTES)} a "
            f"chunk may take; most of it is {source} ({_gigabytes(size * block)}). Lower "
            "that rate, the horizon or the failing share (docs/model.md, Limits)"
        )
    fitting = max(block, int(CHUNK_BYTES // max(per_block, 1.0)) * block)
    return min(chunk_size, fitting)


def _high(spec: Distribution) -> float:
    """The upper end of `spec`, or its one-in-a-trillion tail if it has none."""
    high = float(spec.support()[1])
    return far_tail(spec) if math.isinf(high) else high


def _low(spec: Distribution) -> float:
    return float(spec.support()[0])


def _gigabytes(size: float) -> str:
    return f"{size / 2**30:,.1f} GB"
