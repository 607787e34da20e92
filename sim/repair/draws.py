"""Per-replication draws for repair: every exogenous event and every duration, up front.

Ship availabilities arrive from outside the yards (a maintenance cycle, emergent repairs,
battle damage), so their request times, planned durations, overruns and transits are all
drawn here. Engine removals depend on how many engines are on wing, so they are drawn as a
*dominating* Poisson process of candidates at the peak rate (installed engines × the
largest removal factor), each with a thinning uniform: an engine keeps a candidate when
``uniform · peak < factor(t) · on_wing(t) / installed``. That is exact thinning (Lewis and
Shedler), and it lets both engines consume the very same numbers. A candidate whose
uniform the removal factor alone rules out (``uniform · peak ≥ factor(t)``, so not kept
even with every engine on wing) is dropped as it is drawn: the rest of its thinning is
then ``on_wing(t) / installed``, the loops see only candidates they might keep, and a
conflict's peak rate no longer sets how many candidates every replication walks through.

Streams are named by what they drive (``ship_repair.fleets.<fleet>.planned_days``,
``engine_repair.<type>.candidates``) and drawn per block of replications, as in
:mod:`sim.sampling`, so draws do not depend on chunking and survive scenario edits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Self, TypeAlias

import numpy as np
import numpy.typing as npt

from sim.calendar import Calendar
from sim.parameter_id import Draw, Kind, ParameterId
from sim.repair.fleets import fleet_size, removal_factor, removal_kept
from sim.repair.initial import engine_groups, ship_groups, stated_jobs
from sim.repair.network import EngineNetwork, ShipNetwork
from sim.repair.scenario import Fleet
from sim.scenario.distributions import Distribution, date_distribution, quantiles

if TYPE_CHECKING:  # sim.sampling calls this module: imported for the annotations only
    from sim.scenario.model import Conflict
    from sim.streams import Sampler

"""``draw(name, spec)``: a per-replication scalar of the named stream (recorded for sensitivity)."""

ConflictDraws: TypeAlias = "tuple[Sequence[Conflict], np.ndarray, np.ndarray, np.ndarray]"
"""``(scenario conflicts, happens, start, end)``, each array (reps, conflicts), from production
sampling."""

Blocks: TypeAlias = tuple[np.ndarray, ...]
"""Arrays of one source of requests or candidates, each ``(reps, width, ...)``: one block
of replications, or every block joined by :func:`_stack_blocks`."""

PLANNED, EMERGENT, DAMAGE = 0, 1, 2
"""Kinds of ship availability."""

DAYS_PER_YEAR = 365.25


@dataclass
class _Rows:
    """Arrays whose first axis is the replication, cut together for a chunk."""

    def take(self, rows: slice) -> Self:
        """The same draws for a subset of replications."""
        return type(self)(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


@dataclass
class ShipDraws(_Rows):
    """Availability requests, sorted by request day; padding has request = inf."""

    request: np.ndarray  # (reps, K) day the ship asks for the availability
    fleet: np.ndarray  # (reps, K) fleet index
    kind: np.ndarray  # (reps, K) PLANNED, EMERGENT or DAMAGE
    planned: np.ndarray  # (reps, K) planned duration: completion is due at request + planned
    work: np.ndarray  # (reps, K) work days at a yard with duration factor 1
    transit: np.ndarray  # (reps, K, yards) sailing days from the homeport to each yard
    berths: np.ndarray  # (reps, yards) whole berths
    opens: np.ndarray  # (reps, yards) first day the yard takes work
    factor: np.ndarray  # (reps, yards) duration factor
    # ships stated in availability at the start, in listing order (sim.repair.initial)
    stated_yard: np.ndarray  # (reps, J) yard index
    stated_fleet: np.ndarray  # (reps, J) fleet index
    stated_work: np.ndarray  # (reps, J) work days left at the yard


@dataclass
class EngineDraws(_Rows):
    """Candidate removals of one engine type and everything a repair needs."""

    candidate: np.ndarray  # (reps, M) sorted days, inf padding
    keep: np.ndarray  # (reps, M) thinning uniforms
    peak: np.ndarray  # (reps,) largest removal factor (>= 1)
    surge_start: np.ndarray  # (reps, conflicts)
    surge_end: np.ndarray  # (reps, conflicts)
    surge: np.ndarray  # (reps, conflicts) removal factor while it lasts
    # (a conflict that does not happen starts at inf: never active)
    turnaround: np.ndarray  # (reps, M, depots) repair days if repaired there
    outbound: np.ndarray  # (reps, M, depots) transport days to the depot
    inbound: np.ndarray  # (reps, M, depots) transport days back
    lines: np.ndarray  # (reps, depots) whole repair lines
    opens: np.ndarray  # (reps, depots) day the depot opens (inf: certification failed)
    # engines stated at depots at the start, in listing order (sim.repair.initial)
    stated_depot: np.ndarray  # (reps, J) depot index
    stated_work: np.ndarray  # (reps, J) repair days left
    stated_inbound: np.ndarray  # (reps, J) transport days back

    def factor_at(self, rows: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Removal factor on `day` in replications `rows`: the largest active surge, or 1."""
        rows = np.asarray(rows)
        return removal_factor(self.surge_start[rows], self.surge_end[rows], self.surge[rows], day)


def sample_ships(
    network: ShipNetwork,
    sampler: Sampler,
    draw: Draw,
    calendar: Calendar,
    conflicts: ConflictDraws,
) -> ShipDraws:
    """Every availability request of the horizon for the sampler's blocks.

    `draw(name, spec)` draws a per-replication scalar (and records it for sensitivity);
    `conflicts` is ``(scenario conflicts, happens, start, end)`` from production sampling.
    """
    section, horizon = network.section, calendar.horizon_days
    origin = calendar.start
    parts: list[Blocks] = []  # (request, fleet, kind, planned, work, transit uniform) per source
    for f, name in enumerate(network.fleets):
        fleet_section = section.fleets[name]
        fleet_id = ParameterId("ship_repair.fleets", name, "")
        key = fleet_id.name
        if fleet_section.has_planned:
            assert fleet_section.cycle_days is not None  # what has_planned says
            cycle = draw(fleet_id.with_field("cycle_days"), fleet_section.cycle_days)
            size = fleet_size(fleet_section.schedule(), origin, horizon)
            parts.append(_planned(sampler, key, fleet_section, cycle, f, horizon, size))
        rate = draw(fleet_id.with_field("emergent_per_year"), fleet_section.emergent_per_year)
        if np.any(rate > 0):
            # validation requires emergent_days wherever the rate can be above zero
            assert fleet_section.emergent_days is not None
            window = (np.zeros(sampler.size), np.full(sampler.size, horizon))
            parts.append(
                _poisson(
                    sampler,
                    f"{key}.emergent",
                    rate,
                    window,
                    fleet_section.emergent_days,
                    [f],
                    [1.0],
                    EMERGENT,
                )
            )
    scenario_conflicts, happens, start, end = conflicts
    for c, conflict in enumerate(scenario_conflicts):
        damage = ParameterId("conflicts", conflict.name, "ship_damage_per_year")
        key = f"conflicts.{conflict.name}.ship_damage"
        rate = draw(damage, conflict.ship_damage_per_year) * happens[:, c]
        if not np.any(rate > 0):
            continue
        targets = conflict.ship_damage_fleets or list(network.fleets)
        members = [network.fleets.index(name) for name in targets]
        weights = np.array([section.fleets[name].most_ships for name in targets], float)
        weights = weights if weights.sum() > 0 else np.ones(len(targets))
        parts.append(
            _poisson(
                sampler,
                key,
                rate,
                (start[:, c], end[:, c]),
                conflict.ship_damage_days,
                members,
                weights / weights.sum(),
                DAMAGE,
            )
        )

    request, fleet, kind, planned, work, transit_u = (
        np.concatenate([part[i] for part in parts], axis=1)
        if parts
        else np.zeros((sampler.size, 0))
        for i in range(6)
    )
    order = np.argsort(request, axis=1, kind="stable")
    request, fleet, kind, planned, work, transit_u = (
        np.take_along_axis(a, order, axis=1)
        for a in (request, fleet, kind, planned, work, transit_u)
    )
    fleet, kind = fleet.astype(np.int64), kind.astype(np.int8)
    width = int(np.isfinite(request).sum(axis=1).max(initial=0))
    request, fleet, kind, planned, work, transit_u = (
        a[:, :width] for a in (request, fleet, kind, planned, work, transit_u)
    )

    transit = np.zeros((*request.shape, len(network.yards)))
    lanes = {
        lane: quantiles(section.transit_days[lane], transit_u)
        for row in network.lanes
        for lane in row
        if lane is not None and lane in section.transit_days
    }
    for f, row in enumerate(network.lanes):
        mine = fleet == f
        for y, lane in enumerate(row):
            if lane is not None and lane in lanes:
                transit[:, :, y] = np.where(mine, lanes[lane], transit[:, :, y])

    yards = [section.yards[name] for name in network.yards]
    berths = (
        np.stack(
            [
                np.rint(draw(ParameterId("ship_repair.yards", n, "berths", Kind.COUNT), y.berths))
                for n, y in zip(network.yards, yards, strict=True)
            ],
            axis=1,
        ).astype(np.int64)
        if yards
        else np.zeros((sampler.size, 0), np.int64)
    )
    opens = np.stack(
        [
            draw(
                ParameterId("ship_repair.yards", n, "opens", Kind.DATE),
                date_distribution(y.opens, origin),
            )
            if y.opens is not None
            else np.zeros(sampler.size)
            for n, y in zip(network.yards, yards, strict=True)
        ],
        axis=1,
    )
    factor = np.stack(
        [
            draw(ParameterId("ship_repair.yards", n, "duration_factor"), y.duration_factor)
            for n, y in zip(network.yards, yards, strict=True)
        ],
        axis=1,
    )
    stated_yard, stated_fleet, stated_work, _ = stated_jobs(sampler, ship_groups(network))
    return ShipDraws(
        request,
        fleet,
        kind,
        planned,
        work,
        transit,
        np.maximum(berths, 0),
        opens,
        factor,
        stated_yard,
        stated_fleet,
        stated_work,
    )


def _planned(
    sampler: Sampler,
    key: str,
    fleet: Fleet,
    cycle: np.ndarray,
    index: int,
    horizon: float,
    size: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Blocks:
    """A ship's availabilities every `cycle` days from a random phase within the first cycle.

    Uniforms are drawn availability-major (``(k, ship, replication)``), so a longer horizon
    appends availabilities without moving the draws of the earlier ones. With a fleet
    schedule, `size(days)` gives the ships on each day and ship s asks only while
    s < size: ships are numbered in order of arrival, and the last to arrive leave first.
    """
    # validation: a fleet with a cycle has planned durations too
    assert fleet.planned_days is not None
    ships = fleet.most_ships
    blocks = []
    for b, rng in enumerate(sampler.generators(f"{key}.planned")):
        c = cycle[_block_rows(sampler, b)]
        count = int(np.ceil(horizon / max(float(c.min()), 1.0))) + 1
        phase = rng.random((ships, c.size)).T * c[:, None]
        u = rng.random((count, 3, ships, c.size)).transpose(1, 3, 2, 0)  # (3, reps, ships, k)
        request = phase[:, :, None] + np.arange(count)[None, None, :] * c[:, None, None]
        planned = quantiles(fleet.planned_days, _open(u[0]))
        overrun = quantiles(fleet.overrun, _open(u[1])) if fleet.overrun is not None else 1.0
        present = request < horizon
        if size is not None:
            present &= np.arange(ships)[None, :, None] < size(request)
        request = np.where(present, request, np.inf)
        blocks.append(
            (
                request.reshape(c.size, -1),
                np.full((c.size, ships * count), index),
                np.full((c.size, ships * count), PLANNED),
                planned.reshape(c.size, -1),
                (planned * overrun).reshape(c.size, -1),
                _open(u[2]).reshape(c.size, -1),
            )
        )
    return _stack_blocks(blocks)


def _poisson(
    sampler: Sampler,
    key: str,
    rate: np.ndarray,
    window: tuple[np.ndarray, np.ndarray],
    days: Distribution,
    members: Sequence[int],
    weights: npt.ArrayLike,
    kind: int,
) -> Blocks:
    """A Poisson stream of repairs over ``window = (start, end)`` days at `rate` per year."""
    start, end = window
    span = np.maximum(end - start, 0.0)
    blocks = []
    for b, rng in enumerate(sampler.generators(key)):
        rows = _block_rows(sampler, b)
        count = rng.poisson(rate[rows] * span[rows] / DAYS_PER_YEAR)
        width = max(int(count.max(initial=0)), 1)
        u = rng.random((4, rows.stop - rows.start, width))
        empty = np.arange(width)[None, :] >= count[:, None]
        request = np.where(empty, np.inf, start[rows, None] + u[0] * span[rows, None])
        work = quantiles(days, _open(u[1]))
        chosen = np.asarray(members)[np.searchsorted(np.cumsum(weights)[:-1], u[2], side="right")]
        blocks.append((request, chosen, np.full(request.shape, kind), work, work, _open(u[3])))
    return _stack_blocks(blocks)


def sample_engines(
    engine: EngineNetwork,
    sampler: Sampler,
    draw: Draw,
    conflicts: ConflictDraws,
    horizon: float,
) -> EngineDraws:
    """Candidate removals and repair draws of one engine type for the sampler's blocks."""
    engine_type = ParameterId("engine_repair", engine.name, "")
    key = engine_type.name
    section = engine.section
    scenario_conflicts, happens, start, end = conflicts
    size = sampler.size
    surge = np.ones((size, len(scenario_conflicts)))
    for c, conflict in enumerate(scenario_conflicts):
        factor = draw(
            ParameterId("conflicts", conflict.name, "engine_removal_factor"),
            conflict.engine_removal_factor,
        )
        surge[:, c] = np.where(happens[:, c], factor, 1.0)
    # a conflict that does not happen is never active (its factor may be below 1)
    surge_start = np.where(happens, start, np.inf)
    peak = np.maximum(1.0, surge.max(axis=1, initial=1.0))
    rate = draw(
        engine_type.with_field("removals_per_engine_year"), section.removals_per_engine_year
    )
    most = engine.most_positions
    expected = rate * peak * most * horizon / DAYS_PER_YEAR

    depots = [section.depots[name] for name in engine.depots]
    blocks = []
    for b, rng in enumerate(sampler.generators(f"{key}.candidates")):
        rows = _block_rows(sampler, b)
        count = rng.poisson(expected[rows])
        width = max(int(count.max(initial=0)), 1)
        empty = np.arange(width)[None, :] >= count[:, None]
        times = np.where(empty, np.inf, rng.random((rows.stop - rows.start, width)) * horizon)
        times.sort(axis=1)  # the first `count` columns: order statistics; padding last
        u = _open(rng.random((4, rows.stop - rows.start, width)))
        # a candidate the loops would not keep even with an engine in every position of
        # the day never is
        factor = removal_factor(surge_start[rows, None], end[rows, None], surge[rows, None], times)
        positions = engine.positions_at(times) if engine.change_days else engine.installed
        kept = removal_kept(u[0], peak[rows, None], most, factor, positions)
        assert isinstance(kept, np.ndarray)  # arrays in, an array out
        times, u = _drop_candidates(times, u, ~kept)
        per_depot = [
            np.stack([quantiles(getattr(depot, field), u[i]) for depot in depots], axis=2)
            for i, field in ((1, "turnaround_days"), (2, "transport_days"), (3, "transport_days"))
        ]
        blocks.append((times, u[0], *per_depot))
    candidate, keep, turnaround, outbound, inbound = _stack_blocks(
        blocks, fills=(np.inf, 1.0, 0.0, 0.0, 0.0)
    )

    lines = np.stack(
        [
            np.rint(draw(engine_type.with_field(f"depots.{n}.lines", Kind.COUNT), d.lines))
            for n, d in zip(engine.depots, depots, strict=True)
        ],
        axis=1,
    ).astype(np.int64)
    opens = np.zeros((size, len(depots)))
    for d, (name, depot) in enumerate(zip(engine.depots, depots, strict=True)):
        if depot.certification is None:
            continue
        certification = f"depots.{name}.certification"
        days = draw(engine_type.with_field(f"{certification}.days"), depot.certification.days)
        chance = draw(
            engine_type.with_field(f"{certification}.success"), depot.certification.success
        )
        certified = sampler.uniforms(f"{key}.depots.{name}.certification.succeeds") < chance
        opens[:, d] = np.where(certified, days, np.inf)
    stated_depot, _, stated_work, stated_inbound = stated_jobs(sampler, engine_groups(engine))
    return EngineDraws(
        candidate=candidate,
        keep=keep,
        peak=peak,
        surge_start=surge_start,
        surge_end=end.copy(),
        surge=surge,
        turnaround=turnaround,
        outbound=outbound,
        inbound=inbound,
        lines=np.maximum(lines, 0),
        opens=opens,
        stated_depot=stated_depot,
        stated_work=stated_work,
        stated_inbound=stated_inbound,
    )


def _drop_candidates(
    times: np.ndarray, draws: np.ndarray, dropped: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """`times` (reps, width) and their `draws` (n, reps, width) without the `dropped`
    candidates: each row's others moved to its front in order, padded with inf times."""
    if not dropped.any():
        return times, draws
    left = np.isfinite(times) & ~dropped
    width = max(int(left.sum(axis=1).max(initial=0)), 1)
    order = np.argsort(~left, axis=1, kind="stable")[:, :width]
    kept = np.take_along_axis(left, order, axis=1)
    times = np.where(kept, np.take_along_axis(times, order, axis=1), np.inf)
    return times, np.take_along_axis(draws, order[None], axis=2)


def _block_rows(sampler: Sampler, block: int) -> slice:
    """The rows of the sampler's `block`-th block of replications."""
    size = sampler.size // sampler.blocks
    return slice(block * size, (block + 1) * size)


def _open(u: np.ndarray) -> np.ndarray:
    result: np.ndarray = np.maximum(u, 2.0**-54)
    return result


def _stack_blocks(
    blocks: Sequence[Blocks], fills: tuple[float, ...] = (np.inf, 0, 0, 0.0, 0.0, 0.5)
) -> Blocks:
    """Join per-block arrays of different widths along replications, padding the columns.

    Each result has the shape ``(reps, width, ...)`` of a row-major join and the same
    values, but is laid out column-major in memory (a transposed view of a ``(width,
    reps, ...)`` array): the vector engine reads the k-th request or candidate of every
    replication at once, which is then one contiguous stretch instead of a page per
    replication. The padding is written in place, with no padded copies of the blocks.
    """
    width = max(block[0].shape[1] for block in blocks)
    reps = sum(block[0].shape[0] for block in blocks)
    joined = []
    for i, fill in enumerate(fills):
        parts = [block[i] for block in blocks]
        dtype = np.result_type(*(part.dtype for part in parts))
        out = np.empty((width, reps, *parts[0].shape[2:]), dtype=dtype)
        first = 0
        for part in parts:
            out[: part.shape[1], first : first + part.shape[0]] = part.swapaxes(0, 1)
            out[part.shape[1] :, first : first + part.shape[0]] = fill
            first += part.shape[0]
        joined.append(out.swapaxes(0, 1))
    return tuple(joined)
