"""A run on every core: what ``--workers`` (default: one per core) makes of the engine.

Engine time (:mod:`sim.bench.engines`) is measured in one process, so that it is a
property of the code and not of how many cores a machine has. A user's ``sim run`` uses
every core, though, so the suite also times :func:`sim.runs.montecarlo.run` with one worker
process per core: worker start-up, moving chunks between processes and joining the
outcomes included, but no report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sim.bench.timing import Timing, repeat
from sim.runs.montecarlo import run
from sim.scenario.model import Scenario


@dataclass(frozen=True)
class EveryCore:
    """Repeated in-process runs of one scenario on one worker process per core."""

    replications: int
    workers: int
    seconds: Timing

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of bench.json's ``every_core`` entry."""
        return {
            "replications": self.replications,
            "workers": self.workers,
            "seconds": self.seconds.as_dict(),
            "replications_per_second": self.replications / self.seconds.median,
            "method": "sim.runs.montecarlo.run(workers=None): worker start-up, chunks and "
            "joined outcomes included, no report",
        }


def usable_cores() -> int:
    """Cores this process may run on: the workers ``sim run`` starts by default."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def measure_every_core(
    scenario: Scenario, replications: int, repeats: int, budget_seconds: float
) -> EveryCore:
    """Time `replications` of `scenario` run by :func:`sim.runs.montecarlo.run` on every core."""
    seconds = repeat(
        lambda: run(scenario, replications, scenario.seed, "vector", workers=None),
        repeats,
        budget_seconds,
    )
    return EveryCore(replications, usable_cores(), seconds)
