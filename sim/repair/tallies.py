"""Counters both engines fill for ship and engine repair, from the times of each job.

An engine only decides when things happen; :meth:`ShipTallies.availability` and
:meth:`EngineTallies.repair` turn those times into sums, counts and step changes the same
way for both. The definitions are the contract of DESIGN §2.5: a wait runs from arrival
at the yard (or depot) to the start of work; a ship's delay is
``max(0, completion − (request + planned duration))``; means are over the jobs completed
within the horizon.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.repair.draws import PLANNED
from sim.repair.scatter import add_at
from sim.repair.timeline import Timeline

WAIT_THRESHOLDS = (0, 7, 30, 90, 180)
"""Days: reports give the share of jobs that waited longer than each."""

ON_TIME = 1e-6
"""Days (a tenth of a second): a completion this close to its due day is on time. Due and
actual days are sums of the same durations in a different order, so a job that is on time
can otherwise come out 1e-14 days late."""


class ShipTallies:
    """Per replication: availabilities by fleet and yard, and the step counts behind
    utilisation and ship-days unavailable."""

    def __init__(self, reps: int, fleets: int, yards: int, month_edges: np.ndarray):
        self.horizon = float(month_edges[-1])
        self.requested = np.zeros((reps, fleets), dtype=np.int64)
        self.completed = np.zeros((reps, fleets, yards), dtype=np.int64)
        self.wait = np.zeros((reps, fleets, yards))
        self.delay = np.zeros((reps, fleets, yards))
        self.late = np.zeros((reps, fleets, yards), dtype=np.int64)
        # planned availabilities alone: GAO's late share counts these, not emergent work
        self.planned_completed = np.zeros((reps, fleets), dtype=np.int64)
        self.planned_delay = np.zeros((reps, fleets))
        self.planned_late = np.zeros((reps, fleets), dtype=np.int64)
        self.waited_over = np.zeros((reps, fleets, len(WAIT_THRESHOLDS)), dtype=np.int64)
        self.busy = Timeline(month_edges, reps, yards)
        self.away = Timeline(month_edges, reps, fleets)

    def availability(
        self,
        rows: np.ndarray,
        fleet: np.ndarray,
        yard: np.ndarray,
        request: np.ndarray,
        arrival: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        planned: np.ndarray,
        kind: np.ndarray,
    ) -> None:
        """Record availabilities (arrays over `rows`, one job per row).

        `kind` says which were planned (:data:`sim.repair.draws.PLANNED`), emergent or
        battle damage; planned ones are also counted on their own.
        """
        rows = np.asarray(rows)
        add_at(self.requested, (rows, fleet), 1)
        self.busy.change(rows, yard, start, 1.0)
        self.busy.change(rows, yard, end, -1.0)
        self.away.change(rows, fleet, request, 1.0)
        self.away.change(rows, fleet, end, -1.0)
        done = end <= self.horizon
        if not np.any(done):
            return
        rows, fleet, yard = rows[done], np.asarray(fleet)[done], np.asarray(yard)[done]
        scheduled = np.asarray(kind)[done] == PLANNED
        wait = (np.asarray(start) - np.asarray(arrival))[done]
        overshoot = (np.asarray(end) - np.asarray(request) - np.asarray(planned))[done]
        delay = np.where(overshoot > ON_TIME, overshoot, 0.0)
        add_at(self.completed, (rows, fleet, yard), 1)
        add_at(self.wait, (rows, fleet, yard), wait)
        add_at(self.delay, (rows, fleet, yard), delay)
        add_at(self.late, (rows, fleet, yard), (delay > 0).astype(np.int64))
        where = (rows[scheduled], fleet[scheduled])
        add_at(self.planned_completed, where, 1)
        add_at(self.planned_delay, where, delay[scheduled])
        add_at(self.planned_late, where, (delay[scheduled] > 0).astype(np.int64))
        for t, threshold in enumerate(WAIT_THRESHOLDS):
            add_at(self.waited_over, (rows, fleet, t), (wait > threshold).astype(np.int64))

    def stated(
        self,
        rows: np.ndarray,
        fleet: np.ndarray,
        yard: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
    ) -> None:
        """Record ships stated in availability at the start (:mod:`sim.repair.initial`):
        they hold a berth from `start` to `end` and are away from their fleet from day 0
        to `end`; they are not availabilities of the horizon, so no count or mean of
        those includes them."""
        rows = np.asarray(rows)
        self.busy.change(rows, yard, start, 1.0)
        self.busy.change(rows, yard, end, -1.0)
        self.away.change(rows, fleet, np.zeros(rows.size), 1.0)
        self.away.change(rows, fleet, end, -1.0)


class EngineTallies:
    """Per replication, for one engine type: removals, repairs by depot, and the step
    counts behind bare firewalls, engines in repair, depot backlog and utilisation."""

    def __init__(self, reps: int, depots: int, month_edges: np.ndarray):
        self.horizon = float(month_edges[-1])
        self.removals = np.zeros(reps, dtype=np.int64)
        self.started = np.zeros((reps, depots), dtype=np.int64)
        self.completed = np.zeros((reps, depots), dtype=np.int64)
        self.wait = np.zeros((reps, depots))
        self.at_depot = np.zeros((reps, depots))
        self.waited_over = np.zeros((reps, len(WAIT_THRESHOLDS)), dtype=np.int64)
        self.bare = Timeline(month_edges, reps, 1)
        self.out = Timeline(month_edges, reps, 1)
        self.queue = Timeline(month_edges, reps, depots)
        self.busy = Timeline(month_edges, reps, depots)

    def repair(
        self,
        rows: np.ndarray,
        depot: np.ndarray,
        removal: np.ndarray,
        arrival: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        returned: np.ndarray,
    ) -> None:
        """Record repairs of removed engines (arrays over `rows`, one engine per row)."""
        rows = np.asarray(rows)
        add_at(self.removals, rows, 1)
        self.out.change(rows, 0, removal, 1.0)
        self.out.change(rows, 0, returned, -1.0)
        self.queue.change(rows, depot, arrival, 1.0)
        self.queue.change(rows, depot, start, -1.0)
        self.busy.change(rows, depot, start, 1.0)
        self.busy.change(rows, depot, end, -1.0)
        began = start <= self.horizon
        add_at(self.started, (rows[began], np.asarray(depot)[began]), 1)
        wait = np.asarray(start) - np.asarray(arrival)
        add_at(self.wait, (rows[began], np.asarray(depot)[began]), wait[began])
        for t, threshold in enumerate(WAIT_THRESHOLDS):
            over = began & (wait > threshold)
            add_at(self.waited_over, (rows[over], t), 1)
        done = end <= self.horizon
        add_at(self.completed, (rows[done], np.asarray(depot)[done]), 1)
        stay = np.asarray(end) - np.asarray(arrival)
        add_at(self.at_depot, (rows[done], np.asarray(depot)[done]), stay[done])

    def stated(
        self,
        rows: np.ndarray,
        depot: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        returned: np.ndarray,
    ) -> None:
        """Record engines stated at a depot at the start (:mod:`sim.repair.initial`): out
        from day 0 until `returned`, queued until `start`, on a line from `start` to
        `end`; they are not removals of the horizon, so no count or mean of repairs
        includes them."""
        rows = np.asarray(rows)
        zero = np.zeros(rows.size)
        self.out.change(rows, 0, zero, 1.0)
        self.out.change(rows, 0, returned, -1.0)
        self.queue.change(rows, depot, zero, 1.0)
        self.queue.change(rows, depot, start, -1.0)
        self.busy.change(rows, depot, start, 1.0)
        self.busy.change(rows, depot, end, -1.0)

    def bare_change(self, rows: np.ndarray, day: np.ndarray, delta: npt.ArrayLike) -> None:
        """An aircraft loses (+1) or gets back (−1) an engine on `day`."""
        rows = np.asarray(rows)
        self.bare.change(rows, 0, day, delta)


def server_days(servers: np.ndarray, opens: np.ndarray, month_edges: np.ndarray) -> np.ndarray:
    """``(reps, places, months)`` server-days each place offers from its opening day on:
    the denominator of utilisation (a place that never opens offers none)."""
    first, last = month_edges[:-1], month_edges[1:]
    open_days = np.clip(last[None, None, :] - opens[:, :, None], 0.0, last - first)
    result: np.ndarray = servers[:, :, None] * open_days
    return result
