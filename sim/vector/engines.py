"""Engine repair in the NumPy engine: lock-step next-event processing of a closed loop.

Removals depend on how many engines are on wing, so they cannot be laid out in advance
like ship requests. Instead pass ``k`` of the loop takes, in every replication at once,
its ``k``-th candidate removal (kept or thinned away, see :mod:`sim.repair.draws`),
after the returns of repaired engines due by then, in time order; so a pass costs a few
array operations over all replications, the number of passes is the number of
candidates, and the result is exact, with no time step.

Because a removed engine books its depot when it is removed (:mod:`sim.repair.booking`),
the day it comes back is known at once; the loop keeps those days in a small
per-replication buffer, with each replication's next return at hand, and needs nothing
else about engines in the pipeline.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import Calendar
from sim.repair.booking import open_places
from sim.repair.draws import EngineDraws
from sim.repair.fleets import fleet_change, removal_kept
from sim.repair.initial import only_at, pool_at_start
from sim.repair.network import EngineNetwork
from sim.repair.tallies import EngineTallies
from sim.vector.places import Places, row_min


def simulate_engines(
    engine: EngineNetwork, draws: EngineDraws, calendar: Calendar, tallies: EngineTallies
) -> None:
    """Run one engine type's loop in every replication; record repairs and bare firewalls."""
    reps = draws.candidate.shape[0]
    most, spares = engine.most_positions, engine.spares
    horizon = calendar.horizon_days
    last_day = np.nextafter(horizon, 0)
    depots = Places(draws.lines, draws.opens)
    pending = _Returns(reps, max(8, spares + 1))
    out = np.zeros(reps, dtype=np.int64)
    bare = np.zeros(reps, dtype=np.int64)
    positions = np.full(reps, engine.installed, dtype=np.int64)
    # spares on hand are spare_base − out + bare: the spares plus the bare firewalls
    # retired by the fleet schedule (their engines, out for repair, come back as spares)
    spare_base = np.full(reps, spares, dtype=np.int64)
    candidates = draws.candidate.shape[1]
    repairs: list[tuple[np.ndarray, ...]] = []
    changes: list[tuple[np.ndarray, np.ndarray, int | np.ndarray]] = []
    change_days = np.array([*engine.change_days, np.inf])
    change_positions = np.array([*engine.change_positions, 0], dtype=np.int64)
    next_change = np.zeros(reps, dtype=np.int64)
    _book_stated(draws, depots, pending, spares, out, bare, changes, tallies)
    # replications with an event left: one whose next candidate is past the horizon has
    # only returns left, and takes them all in its last pass
    active = np.arange(reps)

    def take_returns(active: np.ndarray, by: np.ndarray) -> None:
        """Every return of `active` due by `by` (a tie goes to the return), in time order."""
        rows, due, days, which = pending.take_due(active, by)
        if rows.size:
            installs = np.minimum(bare[rows], due)
            waiting = np.flatnonzero(installs)
            if waiting.size:  # aircraft get engines back in the order the engines return
                due_days = np.where(which[waiting], days[waiting], np.inf)
                changes.append((rows[waiting], due_days.min(axis=1), -1))
                more = np.flatnonzero(installs[waiting] > 1)
                if more.size:
                    later = np.sort(due_days[more], axis=1)
                    for j in range(1, int(installs[waiting[more]].max())):
                        took = installs[waiting[more]] > j
                        changes.append((rows[waiting[more[took]]], later[took, j], -1))
            bare[rows] -= installs
            out[rows] -= due

    def change_fleets(active: np.ndarray, by: np.ndarray) -> None:
        """Apply the fleet schedule's changes of `active` due by `by`, each after the
        returns due by its day (returns come first at a moment, candidates after)."""
        while True:
            upcoming = change_days[next_change[active]]
            hit = upcoming <= by
            if not hit.any():
                return
            rows, day = active[hit], upcoming[hit]
            take_returns(rows, day)
            target = change_positions[next_change[rows]]
            _, retiring = fleet_change(target, positions[rows] - bare[rows], bare[rows])
            positions[rows] = target
            bare[rows] -= retiring
            spare_base[rows] += retiring
            cleared = np.flatnonzero(retiring)
            if cleared.size:
                changes.append((rows[cleared], day[cleared], -retiring[cleared]))
            next_change[rows] += 1

    for k in range(candidates + 1):
        candidate = (
            draws.candidate[:, k][active] if k < candidates else np.full(active.size, np.inf)
        )
        by = np.minimum(candidate, last_day)
        if engine.change_days:
            change_fleets(active, by)
        take_returns(active, by)

        removing = candidate < horizon
        active, now = active[removing], candidate[removing]
        if active.size == 0:
            break
        rows, on_wing = active, positions[active] - bare[active]
        kept = removal_kept(
            draws.keep[:, k][rows], draws.peak[rows], most, draws.factor_at(rows, now), on_wing
        )
        rows, now = rows[kept], now[kept]
        if rows.size == 0:
            continue
        grounded = spare_base[rows] - out[rows] + bare[rows] <= 0
        bare[rows[grounded]] += 1
        changes.append((rows[grounded], now[grounded], +1))
        out[rows] += 1

        booking = _route(depots, draws, rows, k, now)
        depots_each = draws.inbound.shape[2]
        back = booking.end + np.take(draws.inbound[:, k], rows * depots_each + booking.place)
        pending.put(rows, back, int(out[rows].max()))
        repairs.append(
            (rows, booking.place, now, booking.arrival, booking.start, booking.end, back)
        )
        if len(repairs) == RECORD_EVERY:
            _record(tallies, repairs)

    _record(tallies, repairs)
    if changes:
        # one call, with each replication's changes in the order they happened: the same
        # sums as one call per change
        rows, days, deltas = zip(*changes, strict=True)
        deltas = [np.full(r.size, d) for r, d in zip(rows, deltas, strict=True)]
        tallies.bare_change(*(np.concatenate(column) for column in (rows, days, deltas)))


def _book_stated(draws, depots, pending, spares, out, bare, changes, tallies) -> None:
    """Engines stated at depots at the start (:mod:`sim.repair.initial`): out from day 0,
    replaced from the spares first and the rest bare, booked in order on day 0 at their
    own depots ahead of every removal, and back after their repair and the trip home."""
    reps, count = draws.stated_depot.shape
    if count == 0:
        return
    rows, places = np.arange(reps), draws.lines.shape[1]
    _, grounded = pool_at_start(spares, count)
    out += count
    bare += grounded
    if grounded:
        changes.append((rows, np.zeros(reps), int(grounded)))
    for j in range(count):
        work = np.repeat(draws.stated_work[:, j, None], places, axis=1)
        allowed = only_at(draws.stated_depot[:, j], places)
        booking = depots.choose(None, np.zeros(reps), np.zeros((reps, places)), work, allowed)
        depots.book(rows, booking)
        back = booking.end + draws.stated_inbound[:, j]
        pending.put(rows, back, j + 1)
        tallies.stated(rows, booking.place, booking.start, booking.end, back)


RECORD_EVERY = 64
"""Passes between handing repairs to the tallies: bounds memory; a replication's repairs
still reach them in order, so every sum is the same as in one call."""


def _record(tallies: EngineTallies, repairs: list[tuple[np.ndarray, ...]]) -> None:
    """Hand `repairs` to the tallies, and empty the list."""
    if repairs:
        tallies.repair(*(np.concatenate(column) for column in zip(*repairs, strict=True)))
    repairs.clear()


def _route(depots: Places, draws: EngineDraws, rows: np.ndarray, k: int, now: np.ndarray):
    """Book candidate `k` of `rows`, removed on `now`, at the open depot that returns it
    first (draws of one candidate index are one contiguous slab: see sim.repair.draws)."""
    booking = depots.choose(
        rows,
        now,
        np.take(draws.outbound[:, k], rows, axis=0),
        np.take(draws.turnaround[:, k], rows, axis=0),
        open_places(np.take(draws.lines, rows, axis=0), np.take(draws.opens, rows, axis=0), now),
        after=np.take(draws.inbound[:, k], rows, axis=0),
    )
    depots.book(rows, booking)
    return booking


class _Returns:
    """The days repaired engines come back, ``(reps, slots)`` in no order, and the next.

    Keeping each replication's next return at hand means only the replications with a
    return due touch their row of the buffer; the buffer widens when a replication has
    more engines out than slots.
    """

    def __init__(self, reps: int, slots: int):
        self.days = np.full((reps, slots), np.inf)
        self.next = np.full(reps, np.inf)

    def take_due(
        self, rows: np.ndarray, by: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Remove the returns of `rows` due by `by` (rows,); returns the rows that had
        some, how many each, and those rows' buffers before and a mask of the due ones."""
        some = np.flatnonzero(self.next[rows] <= by)
        rows = rows[some]
        days = np.take(self.days, rows, axis=0)
        due = days <= by[some, None]
        left = np.where(due, np.inf, days)
        self.days[rows] = left
        self.next[rows] = row_min(left)
        return rows, _row_count(due), days, due

    def put(self, rows: np.ndarray, back: np.ndarray, most: int) -> None:
        """Add one return day per row; `most` is the largest number of engines then out."""
        if most > self.days.shape[1]:
            self.days = np.concatenate([self.days, np.full_like(self.days, np.inf)], axis=1)
        slots = self.days.shape[1]
        slot = np.argmax(np.take(self.days, rows, axis=0) == np.inf, axis=1)
        self.days.reshape(-1)[rows * slots + slot] = back
        self.next[rows] = np.minimum(self.next[rows], back)


def _row_count(mask: np.ndarray) -> np.ndarray:
    """``mask.sum(axis=1)`` for a short second axis, as a product with ones (exact)."""
    return (mask.astype(np.float64) @ np.ones(mask.shape[1])).astype(np.int64)
