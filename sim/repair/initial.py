"""Ships and engines already in repair on the start date (docs/model.md, "The stated start").

By default repair starts empty: no ship in a yard, every engine on wing or on the shelf.
A scenario may state what is already there — ships in availability at a yard
(``in_availability``), engines at a depot (``in_repair``) — each group with a count and
the work days left, a number or a distribution drawn per ship (engine) and replication.

The rule, one for both engines: the stated jobs are **booked on day 0, before any job of
the horizon, in the order the scenario lists them**, at their own place, arriving at
once, with their remaining days as work. So they hold berths (lines) from day 0, those
beyond the servers queue first come first served, and every job of the horizon queues
behind them: the booking of :mod:`sim.repair.booking`, unchanged. An engine then travels
back (the depot's ``transport_days``, drawn per engine) and returns to the pool as any
other. They are an opening balance, not jobs of the horizon: they count in the
time-averages (ship-days unavailable, berth and line utilisation, engines in repair,
backlog, bare firewalls) and not in the counts and means of jobs requested or removed in
the horizon (availabilities, waits, delays, late shares, removals, repairs, turnaround).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from sim.scenario.distributions import Distribution, Fixed, is_fixed, quantiles

if TYPE_CHECKING:  # sim.repair.draws calls this module
    from sim.repair.network import EngineNetwork, ShipNetwork
    from sim.streams import Sampler

Group = tuple[str, int, int, int, Distribution, Distribution]
"""A stated group: (stream name, place, owner, count, remaining days, days back)."""

NO_DAYS = Fixed(value=0.0)
"""A ship has no trip back to draw (the voyage home is not modelled)."""


def ship_groups(network: ShipNetwork) -> list[Group]:
    """The ``in_availability`` groups of every yard (a :class:`ShipNetwork`), in
    listing order: owner is the fleet's index."""
    section = network.section
    return [
        (
            f"ship_repair.yards.{name}.in_availability.{position}",
            y,
            network.fleets.index(group.fleet),
            group.ships,
            group.remaining_days,
            NO_DAYS,
        )
        for y, name in enumerate(network.yards)
        for position, group in enumerate(section.yards[name].in_availability)
    ]


def engine_groups(engine: EngineNetwork) -> list[Group]:
    """The ``in_repair`` groups of one engine type's depots (an :class:`EngineNetwork`),
    in listing order; the days back are the depot's ``transport_days``."""
    depots = engine.section.depots
    return [
        (
            f"engine_repair.{engine.name}.depots.{name}.in_repair.{position}",
            d,
            0,
            group.engines,
            group.remaining_days,
            depots[name].transport_days,
        )
        for d, name in enumerate(engine.depots)
        for position, group in enumerate(depots[name].in_repair)
    ]


def stated_jobs(
    sampler: Sampler, groups: list[Group]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The stated jobs of every replication in listing order: ``(place, owner, work, back)``,
    each ``(reps, jobs)``.

    `groups` are ``(stream name, place, owner, count, remaining days, days back)``: the
    remaining days and the days back are drawn per job from the group's own stream (two
    uniforms per job), so a group's draws do not depend on the others.
    """
    size = sampler.size
    place, owner, work, back = ([] for _ in range(4))
    for name, at, whose, count, remaining, returning in groups:
        place.append(np.full((size, count), at, dtype=np.int64))
        owner.append(np.full((size, count), whose, dtype=np.int64))
        if is_fixed(remaining) and is_fixed(returning):
            work.append(np.full((size, count), remaining.support()[0]))
            back.append(np.full((size, count), returning.support()[0]))
            continue
        u = np.concatenate(
            [rng.random((2, size // sampler.blocks, count)) for rng in sampler.generators(name)],
            axis=1,
        )
        u = np.maximum(u, 2.0**-54)
        work.append(quantiles(remaining, u[0]))
        back.append(quantiles(returning, u[1]))
    if not groups:
        empty = np.zeros((size, 0))
        return empty.astype(np.int64), empty.astype(np.int64), empty, empty.copy()
    return (
        np.concatenate(place, axis=1),
        np.concatenate(owner, axis=1),
        np.concatenate(work, axis=1),
        np.concatenate(back, axis=1),
    )


def only_at(place: np.ndarray, places: int) -> np.ndarray:
    """``(reps, places)``: a stated job may be booked only at its own `place` (reps,).

    With it, both engines book stated job j of every replication by their usual
    earliest-completion booking (:func:`sim.repair.booking.earliest_completion`) on day 0
    with no travel: it starts at max(0, that place's first free server) and ends its
    remaining days later.
    """
    result: np.ndarray = np.arange(places)[None, :] == np.asarray(place)[:, None]
    return result


def pool_at_start(spares: int, out: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Spares on hand and bare firewalls at the start with `out` engines at depots.

    Engines at a depot were replaced from the spares first; the positions left without
    one are bare: on hand = max(S − out, 0), bare = max(out − S, 0), so that on wing +
    on hand + out = positions + spares, as at every moment.
    """
    out = np.asarray(out)
    return np.maximum(spares - out, 0), np.maximum(out - spares, 0)
