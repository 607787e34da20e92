"""First come, first served at multi-server places (yards, depots), and where to go.

A job *books* a place when it is sent there: it takes the place in the queue at once,
even if it is still in transit. Then with ``free`` the days each server finishes the work
already booked, a job arriving on day ``a`` with ``w`` days of work starts on
``max(a, min(free))`` on the server that frees first and ends ``w`` days later: the
Kiefer–Wolfowitz recursion, exact for FIFO multi-server queues. Booking on dispatch is
also how yards and depots schedule work in practice, and it makes the completion of a
job known at the moment it is routed, which the routing rule ``earliest_completion``
needs.

The functions work on arrays shaped ``(replications, places, servers)`` so that the
vector engine books one job in every replication at once; the SimPy engine uses them with
one replication to keep the schedule its resources follow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


def server_schedule(servers: np.ndarray, opens: np.ndarray) -> np.ndarray:
    """Initial free days, ``(reps, places, most servers)``: a place's servers free on its
    opening day; servers it does not have are never free (inf)."""
    most = max(int(servers.max(initial=0)), 1)
    exists = np.arange(most)[None, None, :] < servers[:, :, None]
    return np.where(exists, np.maximum(opens, 0.0)[:, :, None], np.inf)


def open_places(servers: np.ndarray, opens: np.ndarray, day: npt.ArrayLike) -> np.ndarray:
    """Places that have servers and take work on `day` (one day per replication).

    `servers` and `opens` are ``(..., places)``; `day` is a number or ``(...)``.
    """
    return (servers > 0) & (opens <= np.asarray(day, dtype=float)[..., None])


@dataclass
class Booking:
    """Where and when one job per replication is worked."""

    place: np.ndarray  # (reps,) chosen place
    arrival: np.ndarray  # (reps,) day it reaches the place
    start: np.ndarray  # (reps,) day work starts
    end: np.ndarray  # (reps,) day work ends


def earliest_completion(
    free: np.ndarray,
    day: np.ndarray,
    travel: np.ndarray,
    work: np.ndarray,
    allowed: np.ndarray,
    after: np.ndarray | None = None,
) -> Booking:
    """Choose, for each replication, the allowed place that finishes the job first.

    `free` is ``(reps, places, servers)``; `day` ``(reps,)`` is when the job is sent;
    `travel` and `work` are ``(reps, places)`` days to get there and to do the work there;
    `allowed` ``(reps, places)`` says where it may go (a place no replication allows is
    never chosen). `after` ``(reps, places)`` adds days after the work (e.g. the trip
    back) to what is compared. Ties go to the first place in scenario order.
    """
    arrival = day[:, None] + travel
    start = np.maximum(arrival, free.min(axis=2))
    end = start + work
    finish = end if after is None else end + after
    place = np.argmin(np.where(allowed, finish, np.inf), axis=1)
    rows = np.arange(place.size)
    return Booking(place, arrival[rows, place], start[rows, place], end[rows, place])


def book(free: np.ndarray, booking: Booking, rows: np.ndarray | None = None) -> None:
    """Give the job its server: the one at the chosen place that frees first."""
    every = np.arange(booking.place.size)
    server = np.argmin(free[every, booking.place], axis=1)
    if rows is None:
        free[every, booking.place, server] = booking.end
    else:
        free[every[rows], booking.place[rows], server[rows]] = booking.end[rows]
