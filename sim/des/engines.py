"""Engine repair as SimPy processes (docs/model.md, "Engine repair").

Each engine type is a closed loop of N installed positions and S spare engines. Removals
depend on how many engines are on wing, so :mod:`sim.repair.draws` gives them as
*candidates* of a Poisson process at the peak rate with a thinning uniform each; one
process walks the candidates and keeps candidate k at day t iff
``keep[k] · peak · N < factor(t) · on_wing(t)`` (exact thinning). A kept removal takes a
spare if one is on hand, else leaves a bare firewall, and the removed engine books the
open depot that returns it first (:class:`~sim.des.places.Places`). A process per engine
then carries it there, waits for a repair line first come first served, is repaired,
carries it back, and on return it fills a bare firewall if there is one, else it joins
the spares.

A return and a candidate at the same moment: the return first, so the candidate sees the
engine back on wing (candidates wait at a later SimPy priority than the timeouts that
bring engines back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from simpy.events import NORMAL, EventPriority, ProcessGenerator

from sim.des.places import Places, Visit
from sim.des.stocks import At
from sim.repair.draws import EngineDraws
from sim.repair.fleets import fleet_change, removal_kept
from sim.repair.initial import only_at, pool_at_start
from sim.repair.network import EngineNetwork
from sim.repair.tallies import EngineTallies

if TYPE_CHECKING:
    from sim.des.model import Replication

FLEET_CHANGE = EventPriority(NORMAL + 1)
"""Fleet schedule changes come after returns (plain timeouts) at the same moment."""
CANDIDATE = EventPriority(NORMAL + 2)
"""Candidate removals come after returns and fleet changes at the same moment."""


class EnginePool:
    """One engine type in one replication: engines on wing, spare and out for repair."""

    def __init__(self, model: Replication, engine: EngineNetwork, draws: EngineDraws):
        rep = model.rep
        self.model = model
        self.env = model.env
        self.engine = engine
        self.label = f"engine {engine.name}"
        self.candidate = draws.candidate[rep]
        self.factor = draws.factor_at(np.full(self.candidate.size, rep), self.candidate)
        """Removal factor at each candidate's day (a fixed schedule: no need to wait for it)."""
        self.keep = draws.keep[rep]
        self.peak = float(draws.peak[rep])
        self.turnaround = draws.turnaround[rep]
        self.outbound = draws.outbound[rep]
        self.inbound = draws.inbound[rep]
        self.depots = Places(
            model,
            [f"depot {engine.name}/{name}" for name in engine.depots],
            draws.lines[rep],
            draws.opens[rep],
        )
        self.on_wing = engine.installed
        self.spares = engine.spares
        self.out = 0
        """Removed and not yet back: on the way, queued, in repair or on the way back."""
        self.bare = 0
        """Engine positions with no engine (bare firewalls)."""
        self.returned: dict[int, float] = {}
        """Return day by visit number, for the engines back within the horizon."""
        self.bare_changes: list[tuple[float, int]] = []
        self.stated = self._book_stated(draws)
        """How many engines were stated at depots at the start (the first visits)."""
        self.env.process(self.removals())
        if engine.change_days:
            self.env.process(self.fleet_changes())

    def _book_stated(self, draws: EngineDraws) -> int:
        """Engines stated at depots at the start (:mod:`sim.repair.initial`): out from
        day 0, replaced from the spares first and the rest bare, booked in order on day
        0 at their own depots ahead of every removal; returns how many."""
        rep = self.model.rep
        count = draws.stated_depot.shape[1]
        if count == 0:
            return 0
        on_hand, grounded = map(int, pool_at_start(self.spares, count))
        self.spares, self.bare, self.out = on_hand, grounded, count
        self.on_wing -= grounded
        if grounded:
            self.bare_changes.append((0.0, grounded))
        places = self.depots.servers.size
        self.stated_inbound = draws.stated_inbound[rep]
        for j, (depot, work) in enumerate(
            zip(draws.stated_depot[rep], draws.stated_work[rep], strict=True)
        ):
            allowed = only_at(np.array([depot]), places)[0]
            visit = self.depots.book(j, 0.0, np.zeros(places), np.full(places, work), allowed)
            self.env.process(self.repair(j, visit, float(self.stated_inbound[j])))
        return int(count)

    def removals(self) -> ProcessGenerator:
        """Walk the candidate removals and keep those the thinning keeps (a SimPy process)."""
        horizon, most = self.model.horizon, self.engine.most_positions
        # Plain floats: this loop runs once per candidate, NumPy scalars would dominate it.
        keep, factor = self.keep.tolist(), self.factor.tolist()
        for k, day in enumerate(self.candidate.tolist()):
            if day >= horizon:  # sorted, with inf padding
                return
            yield At(self.env, day, CANDIDATE)
            if removal_kept(keep[k], self.peak, most, factor[k], self.on_wing):
                self.remove(k, day)

    def fleet_changes(self) -> ProcessGenerator:
        """Aircraft arrive and retire on the fleet schedule's days (a SimPy process)."""
        engine = self.engine
        for day, positions in zip(engine.change_days, engine.change_positions, strict=True):
            yield At(self.env, day, FLEET_CHANGE)
            on_wing, retiring_bare = map(int, fleet_change(positions, self.on_wing, self.bare))
            self.on_wing += on_wing
            if retiring_bare:
                self.bare -= retiring_bare
                self.bare_changes.append((day, -retiring_bare))
            self.model.log(self.label, "positions", positions)

    def remove(self, k: int, day: float) -> None:
        """Candidate `k` is a removal on `day`: replace the engine and send it for repair."""
        if self.spares > 0:
            self.spares -= 1
            self.model.log(self.label, "install", 1)
        else:
            self.on_wing -= 1
            self.bare += 1
            self.bare_changes.append((day, +1))
            self.model.log(self.label, "bare", self.bare)
        self.out += 1
        self.model.log(self.label, "removal", self.out)
        visit = self.depots.book(
            k,
            day,
            self.outbound[k],
            self.turnaround[k],
            self.depots.open_on(day),
            after=self.inbound[k],
        )
        inbound = float(self.inbound[k, visit.place])
        self.env.process(self.repair(len(self.depots.visits) - 1, visit, inbound))

    def repair(self, number: int, visit: Visit, inbound: float) -> ProcessGenerator:
        """The removed engine's trip: to the depot, repair, `inbound` days back (a SimPy
        process body)."""
        yield from self.depots.attend(visit)
        if inbound > 0:
            yield self.env.timeout(inbound)
        self.returned[number] = self.env.now
        self.receive()

    def receive(self) -> None:
        """A repaired engine is back: onto an aircraft without one, else into the spares."""
        self.out -= 1
        self.model.log(self.label, "return", self.out)
        if self.bare > 0:
            self.bare -= 1
            self.on_wing += 1
            self.bare_changes.append((self.env.now, -1))
            self.model.log(self.label, "bare", self.bare)
        else:
            self.spares += 1

    def record(self, tallies: EngineTallies) -> None:
        """Add this replication's repairs and bare-firewall changes to its row of `tallies`."""
        rep, stated = self.model.rep, self.stated
        # Engines still out at the horizon come back when their booking says.
        if stated:
            opening = self.depots.table(self.depots.visits[:stated])
            back = opening["end"] + self.stated_inbound
            for number in range(stated):
                back[number] = self.returned.get(number, back[number])
            tallies.stated(
                np.full(stated, rep), opening["place"], opening["start"], opening["end"], back
            )
        if len(self.depots.visits) > stated:
            visits = self.depots.table(self.depots.visits[stated:])
            back = visits["end"] + self.inbound[visits["job"], visits["place"]]
            for number, day in self.returned.items():
                if number >= stated:
                    back[number - stated] = day
            tallies.repair(
                rows=np.full(back.size, rep),
                depot=visits["place"],
                removal=visits["dispatched"],
                arrival=visits["arrival"],
                start=visits["start"],
                end=visits["end"],
                returned=back,
            )
        if self.bare_changes:
            day, delta = np.array(self.bare_changes, dtype=float).T
            tallies.bare_change(np.full(day.size, rep), day, delta)
