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
from sim.repair.network import ShipNetwork
from sim.repair.tallies import ShipTallies
from sim.vector.places import Places


def simulate_ships(
    network: ShipNetwork, draws: ShipDraws, calendar: Calendar, tallies: ShipTallies
) -> None:
    """Book every request of every replication; record the availabilities in `tallies`."""
    reps, requests = draws.request.shape
    yards = Places(draws.berths, draws.opens)
    horizon = calendar.horizon_days
    place = np.zeros((reps, requests), dtype=np.int64)
    arrival, start, end = (np.full((reps, requests), np.inf) for _ in range(3))
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
        yards.book(
            rows,
            Booking(
                booking.place[rows], booking.arrival[rows], booking.start[rows], booking.end[rows]
            ),
        )
        place[:, k], arrival[:, k], start[:, k], end[:, k] = (
            booking.place,
            booking.arrival,
            booking.start,
            booking.end,
        )
    asked = draws.request < horizon
    rows = np.broadcast_to(np.arange(reps)[:, None], asked.shape)[asked]
    tallies.availability(
        rows,
        draws.fleet[asked],
        place[asked],
        draws.request[asked],
        arrival[asked],
        start[asked],
        end[asked],
        draws.planned[asked],
    )
