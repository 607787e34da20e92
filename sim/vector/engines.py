"""Engine repair in the NumPy engine: lock-step next-event processing of a closed loop.

Removals depend on how many engines are on wing, so they cannot be laid out in advance
like ship requests. Instead every replication processes *its own* next event in each
pass of the loop — a candidate removal (kept or thinned away, see
:mod:`sim.repair.draws`) or the return of a repaired engine — so a pass costs a few
array operations over all replications and the result is exact, with no time step.

Because a removed engine books its depot when it is removed (:mod:`sim.repair.booking`),
the day it comes back is known at once; the loop keeps those days in a small
per-replication buffer and needs nothing else about engines in the pipeline.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import Calendar
from sim.repair.booking import Booking, book, earliest_completion, open_places, server_schedule
from sim.repair.draws import EngineDraws
from sim.repair.network import EngineNetwork
from sim.repair.tallies import EngineTallies


def simulate_engines(
    engine: EngineNetwork, draws: EngineDraws, calendar: Calendar, tallies: EngineTallies
) -> None:
    """Run one engine type's loop in every replication; record repairs and bare firewalls."""
    reps = draws.candidate.shape[0]
    installed, spares = engine.installed, engine.spares
    horizon = calendar.horizon_days
    free = server_schedule(draws.lines, draws.opens)
    returns = np.full((reps, max(8, spares + 1)), np.inf)
    out = np.zeros(reps, dtype=np.int64)
    bare = np.zeros(reps, dtype=np.int64)
    cursor = np.zeros(reps, dtype=np.int64)
    padded = np.concatenate([draws.candidate, np.full((reps, 1), np.inf)], axis=1)
    repairs: list[tuple[np.ndarray, ...]] = []
    changes: list[tuple[np.ndarray, np.ndarray, int]] = []
    everyone = np.arange(reps)

    while True:
        next_candidate = padded[everyone, cursor]
        next_return = returns.min(axis=1)
        day = np.minimum(next_candidate, next_return)
        live = day < horizon
        if not live.any():
            break
        returning = np.flatnonzero(live & (next_return <= next_candidate))
        if returning.size:
            slot = returns[returning].argmin(axis=1)
            returns[returning, slot] = np.inf
            out[returning] -= 1
            installs = returning[bare[returning] > 0]
            bare[installs] -= 1
            changes.append((installs, day[installs], -1))

        rows = np.flatnonzero(live & (next_return > next_candidate))
        if rows.size == 0:
            continue
        k = cursor[rows]
        cursor[rows] += 1
        on_wing = installed - bare[rows]
        kept = draws.keep[rows, k] * draws.peak[rows] * installed < (
            draws.factor_at(rows, day[rows]) * on_wing
        )
        rows, k = rows[kept], k[kept]
        if rows.size == 0:
            continue
        now = day[rows]
        grounded = rows[spares - out[rows] + bare[rows] <= 0]
        bare[grounded] += 1
        changes.append((grounded, day[grounded], +1))
        out[rows] += 1

        booking = _route(free, draws, rows, k, now)
        back = booking.end + draws.inbound[rows, k, booking.place]
        returns = _store(returns, rows, back)
        repairs.append(
            (rows, booking.place, now, booking.arrival, booking.start, booking.end, back)
        )

    if repairs:
        tallies.repair(*(np.concatenate(column) for column in zip(*repairs, strict=True)))
    for rows, days, delta in changes:
        tallies.bare_change(rows, days, delta)


def _route(free, draws: EngineDraws, rows, k, now) -> Booking:
    """Book each removed engine at the open depot that returns it first."""
    allowed = open_places(draws.lines[rows], draws.opens[rows], now)
    booking = earliest_completion(
        free[rows],
        now,
        draws.outbound[rows, k],
        draws.turnaround[rows, k],
        allowed,
        after=draws.inbound[rows, k],
    )
    chosen = free[rows]
    book(chosen, booking)
    free[rows] = chosen
    return booking


def _store(returns: np.ndarray, rows: np.ndarray, back: np.ndarray) -> np.ndarray:
    """Put return days in free slots of `rows`, widening the buffer when one is full."""
    empty = np.isinf(returns[rows])
    if not empty.any(axis=1).all():
        returns = np.concatenate([returns, np.full_like(returns, np.inf)], axis=1)
        empty = np.isinf(returns[rows])
    returns[rows, empty.argmax(axis=1)] = back
    return returns
