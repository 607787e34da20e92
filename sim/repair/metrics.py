"""Ship and engine tallies as named metrics (DESIGN §6: ``ships.*``, ``engines.*``).

The single place that computes each repair metric; both engines' tallies go through it.
Names and units come from :mod:`sim.catalogue`. Means over jobs are NaN in a replication
that completed none (the report's ``n`` then says how many replications the summary rests
on).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from sim import catalogue
from sim.catalogue import Family, ShipJobs
from sim.repair.draws import EngineDraws, ShipDraws
from sim.repair.network import EngineNetwork, ShipNetwork
from sim.repair.tallies import WAIT_THRESHOLDS, EngineTallies, ShipTallies, server_days
from sim.repair.timeline import yearly

Put = Callable[[str, np.ndarray, str], None]


def ship_metrics(
    network: ShipNetwork,
    tallies: ShipTallies,
    draws: ShipDraws,
    month_edges: np.ndarray,
    years: list[int],
    put: Put,
    series: dict[str, np.ndarray],
) -> None:
    """Name the ship tallies through `put(name, values, unit)`; add monthly `series`."""
    months = np.diff(month_edges)
    busy = tallies.busy.integrals()  # (reps, yards, months) berth-days worked
    offered = server_days(draws.berths, draws.opens, month_edges)
    away = tallies.away.integrals()  # (reps, fleets, months) ship-days unavailable
    named = _naming(put)

    def jobs(
        scope: ShipJobs,
        where: dict[str, str],
        completed: np.ndarray,
        wait: np.ndarray,
        delay: np.ndarray,
        late: np.ndarray,
        waited: np.ndarray,
        requested: np.ndarray,
        away_days: np.ndarray,
        planned: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> None:
        named(scope.availabilities, completed, **where)
        planned_completed, planned_delay, planned_late = planned
        named(scope.planned_availabilities, planned_completed, **where)
        named(scope.planned_delay_days, _ratio(planned_delay, planned_completed), **where)
        named(scope.planned_late_share, _ratio(planned_late, planned_completed), **where)
        named(scope.open_end, requested - completed, **where)
        named(scope.wait_days, _ratio(wait, completed), **where)
        named(scope.delay_days, _ratio(delay, completed), **where)
        named(scope.late_share, _ratio(late, completed), **where)
        named(scope.ship_days_unavailable, away_days.sum(axis=-1), **where)
        for y, year in enumerate(years):
            named(scope.ship_days_unavailable_in_year, yearly(away_days)[:, y], **where, year=year)
        for t, threshold in enumerate(WAIT_THRESHOLDS):
            named(scope.waited_over[threshold], _ratio(waited[:, t], completed), **where)

    total = tallies.completed.sum(axis=(1, 2))
    jobs(
        catalogue.SHIPS,
        {},
        total,
        tallies.wait.sum(axis=(1, 2)),
        tallies.delay.sum(axis=(1, 2)),
        tallies.late.sum(axis=(1, 2)),
        tallies.waited_over.sum(axis=1),
        tallies.requested.sum(axis=1),
        away.sum(axis=1),
        (
            tallies.planned_completed.sum(axis=1),
            tallies.planned_delay.sum(axis=1),
            tallies.planned_late.sum(axis=1),
        ),
    )
    ships_unavailable = catalogue.SERIES_SHIPS_UNAVAILABLE.name()
    series[ships_unavailable] = (away.sum(axis=1) / months).astype(np.float32)
    for f, fleet in enumerate(network.fleets):
        jobs(
            catalogue.FLEET,
            {"fleet": fleet},
            tallies.completed[:, f].sum(axis=1),
            tallies.wait[:, f].sum(axis=1),
            tallies.delay[:, f].sum(axis=1),
            tallies.late[:, f].sum(axis=1),
            tallies.waited_over[:, f],
            tallies.requested[:, f],
            away[:, f],
            (
                tallies.planned_completed[:, f],
                tallies.planned_delay[:, f],
                tallies.planned_late[:, f],
            ),
        )
    for y, yard in enumerate(network.yards):
        completed = tallies.completed[:, :, y].sum(axis=1)
        named(catalogue.YARD_AVAILABILITIES, completed, yard=yard)
        wait = _ratio(tallies.wait[:, :, y].sum(axis=1), completed)
        named(catalogue.YARD_WAIT_DAYS, wait, yard=yard)
        utilisation = _ratio(busy[:, y].sum(axis=1), offered[:, y].sum(axis=1))
        named(catalogue.YARD_UTILISATION, utilisation, yard=yard)
        for i, year in enumerate(years):
            in_year = _ratio(yearly(busy[:, y])[:, i], yearly(offered[:, y])[:, i])
            named(catalogue.YARD_UTILISATION_IN_YEAR, in_year, yard=yard, year=year)
        monthly = _ratio(busy[:, y], offered[:, y]).astype(np.float32)
        series[catalogue.SERIES_YARD_UTILISATION.name(yard=yard)] = monthly


def engine_metrics(
    engine: EngineNetwork,
    tallies: EngineTallies,
    draws: EngineDraws,
    month_edges: np.ndarray,
    years: list[int],
    put: Put,
    series: dict[str, np.ndarray],
) -> None:
    """Name one engine type's tallies through `put`; add its monthly `series`."""
    months = np.diff(month_edges)
    horizon = float(month_edges[-1] - month_edges[0])
    bare = tallies.bare.integrals()[:, 0]  # (reps, months) engine-position-days bare
    out = tallies.out.integrals()[:, 0]
    queue = tallies.queue.integrals()
    busy = tallies.busy.integrals()
    offered = server_days(draws.lines, draws.opens, month_edges)
    started, completed = tallies.started.sum(axis=1), tallies.completed.sum(axis=1)
    named = _naming(put)
    kind = {"engine": engine.name}

    named(catalogue.ENGINE_REMOVALS, tallies.removals, **kind)
    named(catalogue.ENGINE_REPAIRS, completed, **kind)
    named(catalogue.ENGINE_DEPOT_WAIT_DAYS, _ratio(tallies.wait.sum(axis=1), started), **kind)
    turnaround = _ratio(tallies.at_depot.sum(axis=1), completed)
    named(catalogue.ENGINE_TURNAROUND_DAYS, turnaround, **kind)
    named(catalogue.ENGINE_BACKLOG, queue.sum(axis=(1, 2)) / horizon, **kind)
    named(catalogue.ENGINE_IN_REPAIR, out.sum(axis=1) / horizon, **kind)
    named(catalogue.ENGINE_BARE_FIREWALLS, bare.sum(axis=1) / horizon, **kind)
    positions = engine.mean_positions(horizon)
    availability = 1.0 - bare.sum(axis=1) / horizon / positions
    named(catalogue.ENGINE_AVAILABILITY, availability, **kind)
    year_days = yearly(months[None, :])[0]
    for y, year in enumerate(years):
        in_year = yearly(bare)[:, y] / year_days[y]
        named(catalogue.ENGINE_BARE_FIREWALLS_IN_YEAR, in_year, **kind, year=year)
    for t, threshold in enumerate(WAIT_THRESHOLDS):
        waited = _ratio(tallies.waited_over[:, t], started)
        named(catalogue.ENGINE_WAITED_OVER[threshold], waited, **kind)
    series[catalogue.SERIES_BARE_FIREWALLS.name(**kind)] = (bare / months).astype(np.float32)

    for d, depot in enumerate(engine.depots):
        where = {**kind, "depot": depot}
        named(catalogue.DEPOT_REPAIRS, tallies.completed[:, d], **where)
        wait = _ratio(tallies.wait[:, d], tallies.started[:, d])
        named(catalogue.DEPOT_WAIT_DAYS, wait, **where)
        turnaround = _ratio(tallies.at_depot[:, d], tallies.completed[:, d])
        named(catalogue.DEPOT_TURNAROUND_DAYS, turnaround, **where)
        named(catalogue.DEPOT_BACKLOG, queue[:, d].sum(axis=1) / horizon, **where)
        utilisation = _ratio(busy[:, d].sum(axis=1), offered[:, d].sum(axis=1))
        named(catalogue.DEPOT_UTILISATION, utilisation, **where)
        if engine.section.depots[depot].certification is not None:
            opened = (draws.opens[:, d] < month_edges[-1]).astype(float)
            named(catalogue.DEPOT_OPENED, opened, **where)


def _naming(put: Put) -> Callable[..., None]:
    """`put` by family: ``named(family, values, **fields)`` names the values through the
    catalogue and gives them the family's unit."""

    def named(family: Family, values: np.ndarray, **fields: object) -> None:
        put(family.name(**fields), values, family.unit_for())

    return named


def _ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )
