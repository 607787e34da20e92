"""Yards and depots as SimPy resources, with the booking board that routes jobs to them.

Ship yards and engine depots are the same kind of place (:mod:`sim.repair.booking`):
first come, first served with several servers, and a job *books* its place when it is
dispatched. Here a place is a :class:`simpy.Resource` with one server per berth (line),
and the job's request for a server is issued at the moment of booking, so SimPy's FIFO
queue is the booking order. The job then travels, yields its request (a server granted
while the job is still on its way stays idle until it arrives — that is what booking on
dispatch means), works and releases.

The board — the server free days that the vector engine books on — is kept only to
*choose* the place (``earliest_completion`` needs each place's completion before the job
is there). The times a job gets come from SimPy's clock. The board's prediction is kept
with each job for two reasons: a test holds SimPy to it, and a job that the horizon cuts
off still has (future) times to record, exactly as in the vector engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import simpy
from simpy.resources.resource import Request

from sim.repair.booking import book, earliest_completion, open_places, server_schedule

if TYPE_CHECKING:
    from sim.des.model import Replication


@dataclass
class Visit:
    """One job at one place: the board's booking and what SimPy then made of it."""

    job: int
    """Index of the job in its draws (the ship request or the removal candidate)."""
    place: int
    dispatched: float
    travel: float
    work: float
    request: Request
    predicted: tuple[float, float, float]
    """Arrival, start and end of work as the board booked them."""
    arrived: float | None = None
    started: float | None = None
    ended: float | None = None

    def times(self) -> tuple[float, float, float]:
        """Arrival, start and end: SimPy's where they fell within the horizon, else the
        board's (the horizon stopped the clock before them)."""
        observed = (self.arrived, self.started, self.ended)
        return tuple(  # type: ignore[return-value]
            seen if seen is not None else booked
            for seen, booked in zip(observed, self.predicted, strict=True)
        )


class Places:
    """The yards (or one engine type's depots) of one replication."""

    def __init__(
        self, model: Replication, labels: list[str], servers: np.ndarray, opens: np.ndarray
    ):
        self.model = model
        self.env = model.env
        self.labels = labels
        """Names in the event log, e.g. ``yard maizuru``."""
        self.servers = servers = np.asarray(servers, dtype=np.int64)
        self.opens = np.asarray(opens, dtype=float)
        self.free = server_schedule(servers[None, :], self.opens[None, :])
        # SimPy refuses a resource without servers; such a place is never chosen.
        self.resources = [
            simpy.Resource(self.env, capacity=int(n)) if n > 0 else None for n in servers
        ]
        self.visits: list[Visit] = []

    def open_on(self, day: float) -> np.ndarray:
        """Places that have servers and take work on `day`."""
        return open_places(self.servers, self.opens, day)

    def book(
        self,
        job: int,
        day: float,
        travel: np.ndarray,
        work: np.ndarray,
        allowed: np.ndarray,
        after: np.ndarray | None = None,
    ) -> Visit:
        """Send job `job` on `day` to the allowed place that finishes it first (counting
        `after` days once the work is done), and take its place in that queue now.

        `travel`, `work`, `allowed` and `after` hold one value per place.
        """
        booking = earliest_completion(
            self.free,
            np.array([day]),
            travel[None, :],
            work[None, :],
            allowed[None, :],
            None if after is None else after[None, :],
        )
        place = int(booking.place[0])
        if not allowed[place]:
            raise RuntimeError(
                f"job {job} on day {day:g} has nowhere to go (scenario checks should prevent it)"
            )
        book(self.free, booking)
        visit = Visit(
            job=job,
            place=place,
            dispatched=day,
            travel=float(travel[place]),
            work=float(work[place]),
            request=self.resources[place].request(),  # type: ignore[union-attr]
            predicted=(float(booking.arrival[0]), float(booking.start[0]), float(booking.end[0])),
        )
        self.visits.append(visit)
        self.model.log(self.labels[place], "book", 1)
        return visit

    def attend(self, visit: Visit) -> Iterator[simpy.Event]:
        """The job's stay (a SimPy process body): travel there, wait for its server, work,
        leave."""
        env, label = self.env, self.labels[visit.place]
        if visit.travel > 0:
            yield env.timeout(visit.travel)
        visit.arrived = env.now
        self.model.log(label, "arrive", 1)
        yield visit.request
        visit.started = env.now
        self.model.log(label, "start", 1)
        yield env.timeout(visit.work)
        self.resources[visit.place].release(visit.request)  # type: ignore[union-attr]
        visit.ended = env.now
        self.model.log(label, "end", 1)

    def table(self, visits: list[Visit] | None = None) -> dict[str, np.ndarray]:
        """Every visit (or those given) as columns (``job``, ``place``, ``dispatched``,
        ``arrival``, ``start``, ``end``), in booking order, for the tallies."""
        visits = self.visits if visits is None else visits
        times = np.array([visit.times() for visit in visits], dtype=float).reshape(-1, 3)
        return {
            "job": np.array([visit.job for visit in visits], dtype=np.int64),
            "place": np.array([visit.place for visit in visits], dtype=np.int64),
            "dispatched": np.array([visit.dispatched for visit in visits], dtype=float),
            "arrival": times[:, 0],
            "start": times[:, 1],
            "end": times[:, 2],
        }

    def in_system(self) -> int:
        """Jobs booked here and not yet done: holding a server or queued for one."""
        return sum(
            len(resource.users) + len(resource.queue)
            for resource in self.resources
            if resource is not None
        )
