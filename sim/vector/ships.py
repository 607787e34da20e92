"""Ship repair in the NumPy engine: the Kiefer–Wolfowitz recursion over all replications.

Availability requests are exogenous (drawn up front in :mod:`sim.repair.draws`) and
sorted by request day in every replication, so the k-th request of every replication is
booked in one vectorised step: the yards' server free days ``(replications, yards,
berths)`` say when each berth finishes the work already booked, which is all that FIFO
needs and all that ``earliest_completion`` routing needs. The result is exact: no time
step is involved.
"""

from __future__ import annotations

import numpy as np

from sim.calendar import Calendar
from sim.repair.booking import Booking
from sim.repair.draws import ShipDraws
from sim.repair.initial import only_at
from sim.repair.network import ShipNetwork
from sim.repair.tallies import ShipTallies
from sim.vector.places import Places


def simulate_ships(
    network: ShipNetwork, draws: ShipDraws, calendar: Calendar, tallies: ShipTallies
) -> None:
    """Book every request of every replication; record the availabilities in `tallies`."""
    requests = draws.request.shape[1]
    yards = Places(draws.berths, draws.opens)
    horizon = calendar.horizon_days
    _book_stated(draws, yards, tallies)
    jobs: list[tuple[np.ndarray, ...]] = []
    for k in range(requests):
        day = draws.request[:, k]
        active = day < horizon
        if not active.any():
            break
        allowed = network.yards_allowed(
            draws.fleet[:, k], draws.planned[:, k], draws.berths, draws.opens, day
        )
        booking = yards.choose(
            None, day, draws.transit[:, k], draws.work[:, k, None] * draws.factor, allowed
        )
        rows = np.flatnonzero(active)
        booked = Booking(
            booking.place[rows], booking.arrival[rows], booking.start[rows], booking.end[rows]
        )
        yards.book(rows, booked)
        jobs.append(
            (
                rows,
                draws.fleet[:, k][rows],
                booked.place,
                day[rows],
                booked.arrival,
                booked.start,
                booked.end,
                draws.planned[:, k][rows],
                draws.kind[:, k][rows],
            )
        )
        if len(jobs) == RECORD_EVERY:
            _record(tallies, jobs)
    _record(tallies, jobs)


def _book_stated(draws: ShipDraws, yards: Places, tallies: ShipTallies) -> None:
    """Book the ships stated in availability at the start, in order, on day 0 at their
    own yards, ahead of every request of the horizon (:mod:`sim.repair.initial`)."""
    reps, count = draws.stated_yard.shape
    rows, places = np.arange(reps), draws.berths.shape[1]
    for j in range(count):
        work = np.repeat(draws.stated_work[:, j, None], places, axis=1)
        allowed = only_at(draws.stated_yard[:, j], places)
        booking = yards.choose(None, np.zeros(reps), np.zeros((reps, places)), work, allowed)
        yards.book(rows, booking)
        tallies.stated(rows, draws.stated_fleet[:, j], booking.place, booking.start, booking.end)


RECORD_EVERY = 64
"""Passes between handing jobs to the tallies: bounds memory; a replication's jobs still
reach them in order, so every sum is the same as in one call."""


def _record(tallies: ShipTallies, jobs: list[tuple[np.ndarray, ...]]) -> None:
    """Hand the availabilities of `jobs` to the tallies, and empty the list."""
    if jobs:
        tallies.availability(*(np.concatenate(column) for column in zip(*jobs, strict=True)))
    jobs.clear()
