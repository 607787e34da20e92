"""The textbook queueing cases as scenarios, and how to measure them in steady state.

Both engines start empty (no ship in a yard, every engine on wing on 1 January of the
first year), so a long-run average needs a **warm-up**: the first `warmup_months` are
left out, chosen as at least ten relaxation times of the chain (deviations from steady
state shrink like e^(−t/τ), so what is left is below e^(−10) of the start's). Averages
over time come from the engines' shared tallies (:class:`sim.repair.timeline.Timeline`),
so any engine that fills them can be checked with the same code.

Each replication gives one independent estimate; the check is that the mean over
replications lies within `z` standard errors of the theory.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from sim.repair.draws import DAYS_PER_YEAR
from sim.repair.timeline import Timeline
from tests.repair.queueing_theory import MachineRepair, MMc


def warmup_months(relaxation_days: float, relaxations: float = 10.0) -> int:
    """Whole months (of at most 31 days) that cover `relaxations` relaxation times."""
    return math.ceil(relaxations * relaxation_days / 28.0)


def mmc_yard(queue: MMc, years: int) -> dict:
    """Scenario sections: one fleet with emergent repairs only (Poisson, exponential work)
    sent home to one yard with `queue.servers` berths: M/M/c with no transit."""
    return {
        "years": years,
        "ship_repair": {
            "routing": "home",
            "yards": {"yard": {"country": "US", "berths": queue.servers}},
            "fleets": {
                "fleet": {
                    "homeport": "US",
                    "emergent_per_year": queue.arrival_rate * DAYS_PER_YEAR,
                    "emergent_days": {"exponential": {"mean": 1.0 / queue.service_rate}},
                }
            },
        },
    }


def machine_repair_pool(model: MachineRepair, years: int) -> dict:
    """Scenario sections: one engine type, one depot with `model.servers` lines,
    exponential turnaround and no transport."""
    return {
        "years": years,
        "engine_repair": {
            "F110": {
                "installed": model.installed,
                "spares": model.spares,
                "removals_per_engine_year": model.removal_rate * DAYS_PER_YEAR,
                "depots": {
                    "depot": {
                        "country": "US",
                        "lines": model.servers,
                        "turnaround_days": {"exponential": {"mean": 1.0 / model.repair_rate}},
                    }
                },
            }
        },
    }


def average_after(timeline: Timeline, months: int, entity: int = 0) -> np.ndarray:
    """Per replication: the time-average of one count after the first `months` months."""
    integrals = timeline.integrals()[:, entity, months:]
    return integrals.sum(axis=1) / np.diff(timeline.edges)[months:].sum()


def standard_error(samples: np.ndarray) -> float:
    """Standard error of the mean of independent replication estimates."""
    samples = np.asarray(samples, dtype=float)
    return float(samples.std(ddof=1) / np.sqrt(samples.size))


def assert_agrees(samples: np.ndarray, expected: float, z: float = 4.0, precision=0.05) -> None:
    """The mean of `samples` is within `z` standard errors of `expected`, and the test is
    sharp: the standard error is below `precision` × `expected`."""
    mean, se = float(np.mean(samples)), standard_error(samples)
    assert se < precision * abs(expected), f"too imprecise: se {se:.4g} for {expected:.4g}"
    assert abs(mean - expected) < z * se, f"{mean:.4g} ± {se:.3g} (se) vs theory {expected:.4g}"


def ships(yards: dict, fleets: dict, routing: str = "earliest_completion", **extra) -> dict:
    """Scenario sections: a ``ship_repair`` section from its yards and fleets."""
    return {"ship_repair": {"routing": routing, "yards": yards, "fleets": fleets, **extra}}


UNCERTAIN_WEST = {
    "homeport": "US",
    "ships": 12,
    "cycle_days": 500,
    "planned_days": {"uniform": [90, 240]},
    "overrun": {"uniform": [1.0, 1.5]},
}
"""A fleet on a planned cycle whose durations and overruns are uncertain."""

POOLS = {
    "installed": st.integers(1, 30),
    "spares": st.integers(0, 10),
    "rate": st.floats(0.1, 4.0),
    "lines": st.integers(1, 3),
    "turnaround": st.floats(5.0, 200.0),
    "transport": st.sampled_from([0.0, 7.0]),
}
"""Hypothesis strategies of a pool with one depot (:func:`one_depot`), for the
conservation checks of engines: one for the metrics both engines report, one for the
DES's state at every event."""


def one_depot(lines: int, turnaround: float, transport: float, stated: int = 0) -> dict:
    """One US depot, exponential turnaround; `stated` engines in repair there on day 0."""
    depot = {
        "country": "US",
        "lines": lines,
        "turnaround_days": {"exponential": {"mean": turnaround}},
        "transport_days": transport,
    }
    if stated:
        remaining = {"exponential": {"mean": turnaround}}
        depot["in_repair"] = [{"engines": stated, "remaining_days": remaining}]
    return {"tinker": depot}


def certified_hub(success: float) -> dict:
    """Tinker (slow, one line) and a fast hub certified on day 100 with `success`."""
    hub = {"country": "JP", "lines": 5, "turnaround_days": 10}
    return {
        "tinker": {"country": "US", "lines": 1, "turnaround_days": 90},
        "hub": {**hub, "certification": {"days": 100, "success": success}},
    }


def engines(installed=20, spares=2, rate=1.0, depots=None) -> dict:
    """Scenario sections: one engine type, F110, with one US depot unless `depots` given."""
    depots = depots or {"tinker": {"country": "US", "lines": 2, "turnaround_days": 60}}
    return {
        "engine_repair": {
            "F110": {
                "installed": installed,
                "spares": spares,
                "removals_per_engine_year": rate,
                "depots": depots,
            }
        }
    }


def assert_yard_in_steady_state(ships_tallies, queue: MMc, months: int, precision: float) -> None:
    """Busy berths and ships queueing (hence, by Little's law, the mean wait) after the
    warm-up agree with M/M/c theory."""
    busy = average_after(ships_tallies.busy, months)
    assert_agrees(busy, queue.offered, precision=precision)
    queueing = average_after(ships_tallies.away, months) - busy  # no transit: away, idle = queued
    assert_agrees(queueing, queue.mean_queue, precision=precision)
    assert_agrees(queueing / queue.arrival_rate, queue.mean_wait, precision=precision)


def assert_pool_in_steady_state(
    pool_tallies, model: MachineRepair, months: int, precision: float
) -> None:
    """Bare firewalls, engines out and busy lines after the warm-up agree with the
    machine-repair chain."""
    assert_agrees(average_after(pool_tallies.bare, months), model.mean_bare, precision=precision)
    assert_agrees(average_after(pool_tallies.out, months), model.mean_out, precision=precision)
    assert_agrees(average_after(pool_tallies.busy, months), model.mean_busy, precision=precision)
