"""Ship and engine tallies as named metrics (DESIGN §6: ``ships.*``, ``engines.*``).

The single place that defines what each repair metric means; both engines' tallies go
through it. Means over jobs are NaN in a replication that completed none (the report's
``n`` then says how many replications the summary rests on).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

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

    def jobs(key: str, completed, wait, delay, late, waited, requested, away_days, planned) -> None:
        put(f"{key}.availabilities", completed, "availabilities")
        planned_completed, planned_delay, planned_late = planned
        put(f"{key}.planned_availabilities", planned_completed, "availabilities")
        put(f"{key}.planned_delay_days", _ratio(planned_delay, planned_completed), "days")
        put(f"{key}.planned_late_share", _ratio(planned_late, planned_completed), "fraction")
        put(f"{key}.open_end", requested - completed, "availabilities")
        put(f"{key}.wait_days", _ratio(wait, completed), "days")
        put(f"{key}.delay_days", _ratio(delay, completed), "days")
        put(f"{key}.late_share", _ratio(late, completed), "fraction")
        put(f"{key}.ship_days_unavailable", away_days.sum(axis=-1), "ship-days")
        for y, year in enumerate(years):
            put(f"{key}.ship_days_unavailable.{year}", yearly(away_days)[:, y], "ship-days")
        for t, threshold in enumerate(WAIT_THRESHOLDS):
            put(f"{key}.waited_over_{threshold}_days", _ratio(waited[:, t], completed), "fraction")

    total = tallies.completed.sum(axis=(1, 2))
    jobs(
        "ships",
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
    series["ships.ships_unavailable"] = (away.sum(axis=1) / months).astype(np.float32)
    for f, fleet in enumerate(network.fleets):
        jobs(
            f"ships.fleet.{fleet}",
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
        key = f"ships.yard.{yard}"
        completed = tallies.completed[:, :, y].sum(axis=1)
        put(f"{key}.availabilities", completed, "availabilities")
        put(f"{key}.wait_days", _ratio(tallies.wait[:, :, y].sum(axis=1), completed), "days")
        put(
            f"{key}.utilisation",
            _ratio(busy[:, y].sum(axis=1), offered[:, y].sum(axis=1)),
            "fraction",
        )
        for i, year in enumerate(years):
            put(
                f"{key}.utilisation.{year}",
                _ratio(yearly(busy[:, y])[:, i], yearly(offered[:, y])[:, i]),
                "fraction",
            )
        series[f"{key}.utilisation"] = _ratio(busy[:, y], offered[:, y]).astype(np.float32)


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
    key = f"engines.{engine.name}"
    bare = tallies.bare.integrals()[:, 0]  # (reps, months) engine-position-days bare
    out = tallies.out.integrals()[:, 0]
    queue = tallies.queue.integrals()
    busy = tallies.busy.integrals()
    offered = server_days(draws.lines, draws.opens, month_edges)
    started, completed = tallies.started.sum(axis=1), tallies.completed.sum(axis=1)

    put(f"{key}.removals", tallies.removals, "engines")
    put(f"{key}.repairs", completed, "engines")
    put(f"{key}.depot_wait_days", _ratio(tallies.wait.sum(axis=1), started), "days")
    put(f"{key}.turnaround_days", _ratio(tallies.at_depot.sum(axis=1), completed), "days")
    put(f"{key}.backlog", queue.sum(axis=(1, 2)) / horizon, "engines")
    put(f"{key}.in_repair", out.sum(axis=1) / horizon, "engines")
    put(f"{key}.bare_firewalls", bare.sum(axis=1) / horizon, "engine positions")
    positions = engine.mean_positions(horizon)
    put(f"{key}.availability", 1.0 - bare.sum(axis=1) / horizon / positions, "fraction")
    year_days = yearly(months[None, :])[0]
    for y, year in enumerate(years):
        put(f"{key}.bare_firewalls.{year}", yearly(bare)[:, y] / year_days[y], "engine positions")
    for t, threshold in enumerate(WAIT_THRESHOLDS):
        put(
            f"{key}.waited_over_{threshold}_days",
            _ratio(tallies.waited_over[:, t], started),
            "fraction",
        )
    series[f"{key}.bare_firewalls"] = (bare / months).astype(np.float32)

    for d, depot in enumerate(engine.depots):
        where = f"{key}.depot.{depot}"
        put(f"{where}.repairs", tallies.completed[:, d], "engines")
        put(f"{where}.depot_wait_days", _ratio(tallies.wait[:, d], tallies.started[:, d]), "days")
        put(
            f"{where}.turnaround_days",
            _ratio(tallies.at_depot[:, d], tallies.completed[:, d]),
            "days",
        )
        put(f"{where}.backlog", queue[:, d].sum(axis=1) / horizon, "engines")
        put(
            f"{where}.utilisation",
            _ratio(busy[:, d].sum(axis=1), offered[:, d].sum(axis=1)),
            "fraction",
        )
        if engine.section.depots[depot].certification is not None:
            put(f"{where}.opened", (draws.opens[:, d] < month_edges[-1]).astype(float), "fraction")


def _ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )
