"""Repeated timings summarised by their median and spread.

The machine is shared and has two cores, so one timing says little: another job may
take a core halfway through. A median of repeats resists such outliers and the spread
(slowest and fastest) shows how noisy the measurement was. Long measurements stop
repeating once a time budget is spent, so a full suite stays within an afternoon even
when the engine is slow; the number of samples is kept so a reader can tell.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of repeated runs of one measurement."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        """The number quoted: robust to a run slowed by another job."""
        return statistics.median(self.samples)

    @property
    def fastest(self) -> float:
        """The least disturbed run."""
        return min(self.samples)

    @property
    def slowest(self) -> float:
        """The most disturbed run."""
        return max(self.samples)

    @property
    def spread(self) -> float:
        """(slowest − fastest) / median: 0.1 means the runs varied by 10 % of the median."""
        return (self.slowest - self.fastest) / self.median if self.median > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: median, fastest, slowest, spread and every sample."""
        return {
            "median": self.median,
            "fastest": self.fastest,
            "slowest": self.slowest,
            "spread": self.spread,
            "samples": list(self.samples),
        }


def repeat(function: Callable[[], object], repeats: int, budget_seconds: float) -> Timing:
    """Time `function` up to `repeats` times; stop early once `budget_seconds` are spent.

    At least one run is always made. The budget counts only the timed runs.
    """
    samples: list[float] = []
    while len(samples) < max(1, repeats):
        began = time.perf_counter()
        function()
        samples.append(time.perf_counter() - began)
        if sum(samples) >= budget_seconds:
            break
    return Timing(tuple(samples))
