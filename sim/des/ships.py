"""Ship repair as SimPy processes (docs/model.md, "Ship repair").

Availability requests are exogenous: :mod:`sim.repair.draws` has drawn every one of the
horizon, sorted by request day. One dispatching process walks them in that order; on its
request day a ship is sent to the yard that finishes it first among those allowed —
eligible for its fleet under the routing rule, open on that day, with berths, and taking
availabilities of its planned length (``max_days``) — and books a berth there
(:class:`~sim.des.places.Places`). A process per ship then sails, waits for its berth
first come first served in booking order, is worked on and leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.des.places import Places, Visit
from sim.repair.draws import ShipDraws
from sim.repair.initial import only_at
from sim.repair.network import ShipNetwork
from sim.repair.tallies import ShipTallies

if TYPE_CHECKING:
    from sim.des.model import Replication


class Shipyards:
    """Ship repair in one replication: the yards and the ships sent to them."""

    def __init__(self, model: Replication, network: ShipNetwork, draws: ShipDraws):
        rep = model.rep
        self.model = model
        self.env = model.env
        self.network = network
        self.request = draws.request[rep]
        self.fleet = draws.fleet[rep]
        self.planned = draws.planned[rep]
        self.kind = draws.kind[rep]
        self.work = draws.work[rep]
        self.transit = draws.transit[rep]
        self.factor = draws.factor[rep]
        self.yards = Places(
            model,
            [f"yard {name}" for name in network.yards],
            draws.berths[rep],
            draws.opens[rep],
        )
        self.stated = self._book_stated(draws)
        """Visits of the ships stated in availability at the start, booked first."""
        self.env.process(self.dispatch())

    def _book_stated(self, draws: ShipDraws) -> list[Visit]:
        """Book the ships stated in availability at the start, in order, on day 0 at their
        own yards, ahead of every request of the horizon (:mod:`sim.repair.initial`)."""
        rep, yards = self.model.rep, self.yards
        places = yards.servers.size
        visits = []
        for j, (yard, work) in enumerate(
            zip(draws.stated_yard[rep], draws.stated_work[rep], strict=True)
        ):
            allowed = only_at(np.array([yard]), places)[0]
            visit = yards.book(j, 0.0, np.zeros(places), np.full(places, work), allowed)
            self.env.process(yards.attend(visit))
            visits.append(visit)
        self.stated_fleet = draws.stated_fleet[rep]
        return visits

    def dispatch(self):
        """Send every ship on its request day (a SimPy process body)."""
        env, network, horizon = self.env, self.network, self.model.horizon
        for k, day in enumerate(self.request):
            if day >= horizon:  # sorted, with inf padding: nothing further is asked for
                return
            if day > env.now:
                yield env.timeout(day - env.now)
            fleet = int(self.fleet[k])
            allowed = network.yards_allowed(
                fleet, self.planned[k], self.yards.servers, self.yards.opens, day
            )
            self.model.log(f"fleet {network.fleets[fleet]}", "request", 1)
            visit = self.yards.book(
                k, float(day), self.transit[k], self.work[k] * self.factor, allowed
            )
            env.process(self.yards.attend(visit))

    def record(self, tallies: ShipTallies) -> None:
        """Add this replication's availabilities to its row of `tallies`."""
        stated = len(self.stated)
        if stated:
            opening = self.yards.table(self.yards.visits[:stated])
            tallies.stated(
                np.full(stated, self.model.rep),
                self.stated_fleet,
                opening["place"],
                opening["start"],
                opening["end"],
            )
        if len(self.yards.visits) == stated:
            return
        visits = self.yards.table(self.yards.visits[stated:])
        jobs = visits["job"]
        tallies.availability(
            rows=np.full(jobs.size, self.model.rep),
            fleet=self.fleet[jobs],
            yard=visits["place"],
            request=self.request[jobs],
            arrival=visits["arrival"],
            start=visits["start"],
            end=visits["end"],
            planned=self.planned[jobs],
            kind=self.kind[jobs],
        )
