"""What every replication of ship and engine repair must satisfy, whatever the scenario.

Both engines hand every job they schedule to the shared tallies (:mod:`sim.repair.tallies`);
:func:`checked_tallies` gives them tallies that check each job as it is recorded — its
times in order (waits and work never negative), its yard or depot one it may use — and
:func:`assert_repair_conserved` then checks the totals: every request within the horizon
was booked and is completed or still in work, removed engines plus engines on wing plus
spares make the whole fleet at every month's end, no place works more jobs than it has
servers. :func:`assert_repair_metrics_sane` checks the named metrics both engines report.
"""

from __future__ import annotations

from itertools import pairwise
from types import SimpleNamespace

import numpy as np

from sim.network import Network
from sim.parameters import Parameters
from sim.repair.draws import EngineDraws, ShipDraws
from sim.repair.network import EngineNetwork, ShipNetwork
from sim.repair.outcomes import RepairTallies, add_repair_metrics
from sim.repair.tallies import EngineTallies, ShipTallies, server_days
from sim.repair.timeline import Timeline

ROUNDING = 1e-9
"""Days, or a relative share: integrals of the same step functions summed differently,
and SimPy's clock, which reaches a day by adding differences (a ship that sails no
distance can arrive 1e-14 days before it left)."""


def ordered(*times: np.ndarray) -> bool:
    """Whether each of `times` is no earlier than the one before it (up to rounding)."""
    return all(np.all(later >= earlier - ROUNDING) for earlier, later in pairwise(times))


class CheckedShipTallies(ShipTallies):
    """Ship tallies that check every availability as an engine records it."""

    def __init__(self, network: ShipNetwork, draws: ShipDraws, reps: int, edges: np.ndarray):
        super().__init__(reps, len(network.fleets), len(network.yards), edges)
        self.network, self.draws = network, draws

    def availability(self, rows, fleet, yard, request, arrival, start, end, planned, kind) -> None:
        rows, fleet, yard = (np.asarray(a, dtype=np.int64) for a in (rows, fleet, yard))
        request, arrival, start, end, planned = (
            np.asarray(a, dtype=float) for a in (request, arrival, start, end, planned)
        )
        assert np.all(np.isfinite(np.stack([request, arrival, start, end, planned])))
        assert np.all(request < self.horizon), "a request after the horizon was booked"
        # transit, wait and work are never negative
        assert ordered(request, arrival, start, end)
        assert np.all(planned >= 0)
        # the yard may take the fleet, has berths, is open, and takes jobs this long
        assert np.all(self.network.allowed[fleet, yard]), "a ship went to a yard not allowed"
        assert np.all(self.draws.berths[rows, yard] > 0), "a ship went to a yard without berths"
        assert np.all(self.draws.opens[rows, yard] <= request), "a yard took work before it opened"
        assert np.all(planned <= self.network.max_days[yard]), "a yard took a job over its limit"
        super().availability(rows, fleet, yard, request, arrival, start, end, planned, kind)


class CheckedEngineTallies(EngineTallies):
    """Engine tallies that check every repair as an engine records it."""

    def __init__(self, engine: EngineNetwork, draws: EngineDraws, reps: int, edges: np.ndarray):
        super().__init__(reps, len(engine.depots), edges)
        self.engine, self.draws = engine, draws

    def repair(self, rows, depot, removal, arrival, start, end, returned) -> None:
        rows, depot = np.asarray(rows, dtype=np.int64), np.asarray(depot, dtype=np.int64)
        times = np.stack([np.asarray(a, dtype=float) for a in (removal, arrival, start, end)])
        returned = np.asarray(returned, dtype=float)
        assert np.all(np.isfinite(times)) and np.all(np.isfinite(returned))
        removal, arrival, start, end = times
        assert np.all(removal < self.horizon), "a removal after the horizon was booked"
        # transport, wait, repair and the way back are never negative
        assert ordered(removal, arrival, start, end, returned)
        assert np.all(self.draws.lines[rows, depot] > 0), "an engine went to a depot without lines"
        assert np.all(self.draws.opens[rows, depot] <= removal), "a depot worked before it opened"
        super().repair(rows, depot, removal, arrival, start, end, returned)

    def bare_change(self, rows, day, delta) -> None:
        assert np.all(np.isin(np.asarray(delta), (-1.0, 1.0)))
        assert np.all(np.asarray(day) < self.horizon)
        super().bare_change(rows, day, delta)


def checked_tallies(network: Network, parameters: Parameters) -> RepairTallies:
    """Empty repair tallies for `parameters`' replications that check what they are given."""
    reps, edges = len(parameters.replications), network.calendar.month_edges
    return RepairTallies(
        ships=None
        if network.ships is None
        else CheckedShipTallies(network.ships, parameters.ships, reps, edges),
        engines=[
            CheckedEngineTallies(engine, draws, reps, edges)
            for engine, draws in zip(network.engines, parameters.engines, strict=True)
        ],
    )


def levels(timeline: Timeline) -> np.ndarray:
    """``(reps, entities, months)``: each count just before the end of each month."""
    return np.cumsum(timeline.jumps[:, :, :-1], axis=2)


def assert_repair_conserved(network: Network, parameters: Parameters, tallies: RepairTallies):
    """The totals of `tallies`, filled by either engine for `parameters`' replications."""
    edges = network.calendar.month_edges
    if tallies.ships is not None:
        _ships(network.ships, parameters.ships, tallies.ships, edges)
    for engine, draws, engine_tallies in zip(
        network.engines, parameters.engines, tallies.engines, strict=True
    ):
        _engines(engine, draws, engine_tallies, edges)


def _ships(network: ShipNetwork, draws: ShipDraws, t: ShipTallies, edges: np.ndarray) -> None:
    # every request within the horizon was booked, once; completed or still in work
    asked = draws.request < t.horizon
    for f in range(len(network.fleets)):
        assert np.array_equal(t.requested[:, f], np.sum(asked & (draws.fleet == f), axis=1))
    completed = t.completed.sum(axis=2)
    assert np.all(completed <= t.requested), "more availabilities completed than requested"
    blocked = ~network.allowed[None, :, :] | (draws.berths[:, None, :] == 0)
    assert np.all(t.completed[blocked] == 0)
    assert np.all(t.wait >= -ROUNDING) and np.all(t.delay >= 0)
    assert np.all(t.late <= t.completed)
    assert np.all(t.waited_over <= completed[:, :, None])
    assert np.all(np.diff(t.waited_over, axis=2) <= 0), "waits over a longer time are rarer"
    # berths: never more availabilities in work than berths; ships away never negative
    busy = levels(t.busy)
    assert np.all(busy >= 0) and np.all(busy <= draws.berths[:, :, None])
    assert np.all(levels(t.away) >= 0)
    worked, offered = t.busy.integrals(), server_days(draws.berths, draws.opens, edges)
    assert np.all(worked >= -ROUNDING) and np.all(worked <= offered * (1 + ROUNDING) + ROUNDING)
    assert np.all(t.away.integrals() >= -ROUNDING)


def _engines(engine: EngineNetwork, draws: EngineDraws, t: EngineTallies, edges: np.ndarray):
    installed, spares = engine.installed, engine.spares
    assert np.all(t.started.sum(axis=1) <= t.removals) and np.all(t.completed <= t.started)
    assert np.all(t.wait >= -ROUNDING) and np.all(t.at_depot >= -ROUNDING)
    assert np.all(t.waited_over <= t.started.sum(axis=1)[:, None])
    assert np.all(np.diff(t.waited_over, axis=1) <= 0), "waits over a longer time are rarer"
    # at every month's end: on wing (installed − bare) + spares on hand + out = the fleet,
    # with spares on hand = spares − out + bare never negative and no aircraft bare while
    # a spare sits, i.e. bare = max(0, out − spares)
    out, bare = levels(t.out)[:, 0], levels(t.bare)[:, 0]
    assert np.all(out >= 0) and np.all(bare >= 0) and np.all(bare <= installed)
    assert np.array_equal(bare, np.maximum(0.0, out - spares)), "engines made or lost"
    # the same, integrated over each month
    days = np.diff(edges)
    out_days, bare_days = t.out.integrals()[:, 0], t.bare.integrals()[:, 0]
    slack = ROUNDING * (1 + out_days)
    assert np.all(bare_days >= -slack) and np.all(bare_days <= out_days + slack)
    assert np.all(bare_days >= out_days - spares * days - slack)
    assert np.all(bare_days <= installed * days + slack)
    queue, busy = levels(t.queue), levels(t.busy)
    assert np.all(queue >= 0)
    assert np.all(busy >= 0) and np.all(busy <= draws.lines[:, :, None])
    worked, offered = t.busy.integrals(), server_days(draws.lines, draws.opens, edges)
    assert np.all(worked <= offered * (1 + ROUNDING) + ROUNDING)


def repair_metrics(network: Network, parameters: Parameters, tallies: RepairTallies) -> dict:
    """The named ``ships.*`` and ``engines.*`` metrics of `tallies` (DESIGN §2.5)."""
    outcomes = SimpleNamespace(metrics={}, units={}, series={})
    add_repair_metrics(outcomes, network, parameters, tallies)
    return outcomes.metrics


SHARES = (".utilisation", ".late_share", ".availability", ".opened")
NON_NEGATIVE = (
    ".wait_days",
    ".delay_days",
    ".depot_wait_days",
    ".turnaround_days",
    ".backlog",
    ".in_repair",
    ".bare_firewalls",
    ".ship_days_unavailable",
    ".availabilities",
    ".open_end",
    ".removals",
    ".repairs",
)


def assert_repair_metrics_sane(network: Network, metrics: dict[str, np.ndarray]) -> None:
    """Shares within [0, 1], counts and days never negative, nothing infinite."""
    for name, values in metrics.items():
        assert not np.any(np.isinf(values)), name
        known = values[~np.isnan(values)]
        last = name.rsplit(".", 1)[-1]
        stem = name[: -len(last) - 1] if last.isdigit() else name  # drop a year
        if stem.endswith(SHARES) or ".waited_over_" in stem:
            assert np.all((known >= -ROUNDING) & (known <= 1 + ROUNDING)), (name, known)
        if stem.endswith(NON_NEGATIVE):
            assert np.all(known >= -ROUNDING), (name, known)  # integrals: rounding
    for engine in network.engines:
        key = f"engines.{engine.name}"
        bare, out = metrics[f"{key}.bare_firewalls"], metrics[f"{key}.in_repair"]
        assert np.all(bare <= out + ROUNDING * (1 + out)), key
        assert np.all(bare <= engine.installed + ROUNDING), key
        assert np.all(metrics[f"{key}.repairs"] <= metrics[f"{key}.removals"]), key
    if network.ships is not None:
        by_yard = sum(metrics[f"ships.yard.{yard}.availabilities"] for yard in network.ships.yards)
        assert np.array_equal(by_yard, metrics["ships.availabilities"])
