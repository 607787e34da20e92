"""The report's sections on ship repair and engine repair (DESIGN §2.3, §2.4).

Repair answers a different question from production — not "how many missiles" but "how
long do ships and aircraft stand idle waiting for a yard or a depot" — so it gets its own
sections, each present only when the scenario models that part. Every number is read
from ``report.json`` (the metric names of :mod:`sim.repair.metrics`) and formatted by
:mod:`sim.report.tables`, so a sentence and the table beside it agree to the digit.
"""

from __future__ import annotations

import math
from typing import Any

from sim import catalogue
from sim.catalogue import Family, ShipJobs
from sim.repair.scenario import EngineType, ShipRepair
from sim.report.blocks import Block, Figure, Image, Paragraph, Section
from sim.report.facts import Summary, horizon_days, metric
from sim.report.tables import (
    MISSING,
    Table,
    format_number,
    format_percent,
    format_percent_spread,
    format_spread,
    format_years,
)
from sim.runs.montecarlo import Run
from sim.scenario.distributions import Distribution
from sim.scenario.model import Conflict

SHIP_NOTE = (
    "Per fleet: mean across replications with the P5–P95 spread in brackets. Wait: days from "
    "arrival at the yard to the start of work (queueing only). Delay: days past the planned "
    "completion (request date plus planned duration), so transit, queueing and overrun all "
    "count; availabilities on time count as 0. Planned late: share of planned availabilities "
    "with any delay (GAO's measure); late: the same over every availability, emergent "
    "repairs and battle damage included. "
    "Ship-days unavailable: days from each availability's request to the end of its work."
)
YARD_NOTE = (
    "Per yard: availabilities completed there, their wait for a berth, and utilisation — "
    "berth-days worked over berth-days offered from the day the yard opens."
)
ENGINE_NOTE = (
    "Bare firewalls: aircraft engine positions with no engine, averaged over the horizon "
    "(a removed engine is replaced from spares; with none left, the aircraft waits). Aircraft "
    "availability is 1 − bare firewalls / engine positions. Depot wait: days from arrival at "
    "a depot to the start of repair; turnaround: days at the depot, wait and repair "
    "(transport excluded). Backlog and engines in repair are time-averages."
)
DEPOT_NOTE = (
    "A depot that needs certification opens only in some replications; its wait, turnaround "
    "and utilisation count only the replications in which it opened."
)


def repair_sections(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> list[Section]:
    """The ship and engine repair sections, each only when the scenario models that part."""
    sections = []
    if run.scenario.ship_repair is not None:
        sections.append(_ship_section(run, report, placed))
    if run.scenario.engine_repair:
        sections.extend(_engine_sections(run, report, placed))
    return sections


def _images(placed: dict[str, Figure], *keys: str) -> list[Image]:
    return [Image(placed[key]) for key in keys if key in placed]


def _ship_section(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> Section:
    damage = [
        conflict for conflict in run.scenario.conflicts if conflict.ship_damage_per_year.mean() > 0
    ]
    ship_repair = run.scenario.ship_repair
    assert ship_repair is not None  # the section is written only when ship repair is modelled
    start = ships_at_start(ship_repair, report["years"][0])
    summary = " ".join(
        [ship_summary(report, horizon_days(run)), *map(battle_damage, damage), *start]
    )
    blocks: list[Block] = [
        Paragraph((summary,)),
        Paragraph((SHIP_NOTE,)),
        fleet_table(run, report),
        *_images(placed, "ship-waits"),
        Paragraph((YARD_NOTE,)),
        yard_table(run, report),
        *_images(placed, "yard-utilisation"),
    ]
    return Section("Ship repair", 2, tuple(blocks))


def _engine_sections(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> list[Section]:
    surges = [c for c in run.scenario.conflicts if c.engine_removal_factor.mean() != 1]
    blocks: list[Block] = [
        Paragraph((ENGINE_NOTE,)),
        engine_table(run, report),
        *(Paragraph((removal_surge(conflict),)) for conflict in surges),
        *_images(placed, "bare-firewalls", "depot-waits"),
    ]
    per_type = []
    for engine, section in run.scenario.engine_repair.items():
        certified = any(depot.certification for depot in section.depots.values())
        per_type.append(
            Section(
                engine,
                3,
                (
                    Paragraph(
                        (
                            " ".join(
                                [
                                    engine_summary(report, engine, section.positions_text),
                                    *engines_at_start(section, report["years"][0]),
                                ]
                            ),
                        )
                    ),
                    depot_table(run, report, engine),
                    *([Paragraph((DEPOT_NOTE,))] if certified else []),
                ),
            )
        )
    return [Section("Engine repair", 2, tuple(blocks)), *per_type]


def _mean(summary: Summary | None) -> float | None:
    return None if summary is None else summary.get("mean")


def ship_summary(report: dict[str, Any], horizon: int) -> str:
    """Waits, lateness and ship-days in maintenance over all fleets, in plain words."""
    years = format_years(report["years"])
    completed = metric(report, catalogue.SHIPS.availabilities)
    if not _mean(completed):
        return f"No availability was completed in {years}."
    still_open = format_number(_mean(metric(report, catalogue.SHIPS.open_end)))
    sentences = [
        f"In {years}, {format_spread(completed, 'availabilities')} were completed and "
        f"{still_open} were still open at the end."
    ]
    wait = _spread(metric(report, catalogue.SHIPS.wait_days), "days")
    waited = _waited(report, catalogue.SHIPS.waited_over)
    sentences.append(f"They waited {wait} for a berth on average; {waited}.")
    planned_late = format_percent_spread(metric(report, catalogue.SHIPS.planned_late_share))
    late = format_percent_spread(metric(report, catalogue.SHIPS.late_share))
    delay = _spread(metric(report, catalogue.SHIPS.delay_days), "days")
    sentences.append(
        f"{planned_late} of the planned availabilities finished late (the share GAO "
        f"reports), {late} counting emergent repairs too; the delay past planned "
        f"completion averaged {delay} per availability."
    )
    unavailable = metric(report, catalogue.SHIPS.ship_days_unavailable)
    at_once = format_number((_mean(unavailable) or 0.0) / horizon)
    ships = "ship" if at_once == "1" else "ships"
    sentences.append(
        f"Ships spent {format_spread(unavailable, 'ship-days')} in maintenance over the "
        f"horizon: {at_once} {ships} on average at any time."
    )
    return " ".join(sentences)


def _spread(summary: Summary | None, unit: str = "") -> str:
    """'12 days (P5–P95 3–30)': a mean and its spread, named for running text."""
    return format_spread(summary, unit).replace(" (", " (P5–P95 ", 1)


def _waited(report: dict[str, Any], waited: dict[int, Family], **fields: object) -> str:
    """'8 % waited at all and 1 % more than 30 days': how common queueing, and long queues,
    are (`waited`: the catalogue's waited-over families of ships or of an engine type)."""

    def share(days: int) -> str:
        return format_percent(_mean(metric(report, waited[days], **fields)))

    return f"{share(0)} waited at all and {share(30)} more than 30 days"


def battle_damage(conflict: Conflict) -> str:
    """What a conflict adds to ship repair: battle-damage availabilities while it lasts."""
    fleets = conflict.ship_damage_fleets or []
    whose = "fleet " if len(fleets) == 1 else "fleets "
    whose = whose + _listed(fleets) if fleets else "all fleets"
    rate = format_number(conflict.ship_damage_per_year.mean())
    return (
        f"Conflict {conflict.name} adds battle-damage repairs at {rate} a year while it "
        f"lasts ({whose})."
    )


def ships_at_start(section: ShipRepair, year: int) -> list[str]:
    """The ships the scenario states in availability on the start date, in a sentence
    (none when it states none: the yards start empty)."""
    stated = [
        f"{sum(g.ships for g in yard.in_availability)} at {name}"
        for name, yard in section.yards.items()
        if yard.in_availability
    ]
    if not stated:
        return []
    return [
        f"On 1 January {year} ships were already in availability ({_listed(stated)}): they "
        "hold berths from day 0 and count in ship-days in maintenance and utilisation, not "
        "among the availabilities completed or open."
    ]


def engines_at_start(section: EngineType, year: int) -> list[str]:
    """The engines the scenario states at depots on the start date, in a sentence."""
    stated = [
        f"{sum(g.engines for g in depot.in_repair)} at {name}"
        for name, depot in section.depots.items()
        if depot.in_repair
    ]
    if not stated:
        return []
    return [
        f"On 1 January {year} engines were already at depots ({_listed(stated)}): they are "
        "out from day 0 (spares first, then bare firewalls) and count in the time-averages, "
        "not among the removals and repairs."
    ]


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _drawn(spec: Distribution) -> str:
    """A count drawn per replication (berths, lines): '4', or the range it is drawn from."""
    low, high = spec.support()
    if low == high:
        return format_number(low)
    if math.isfinite(high):
        return f"{format_number(low)}–{format_number(high)}"
    return f"{format_number(spec.mean())} on average"


def removal_surge(conflict: Conflict) -> str:
    """What a conflict does to engine repair: more removals while it lasts."""
    factor = format_number(conflict.engine_removal_factor.mean())
    return f"Conflict {conflict.name} multiplies engine removals by {factor} while it lasts."


def fleet_table(run: Run, report: dict[str, Any]) -> Table:
    """Per fleet, then all fleets together when there are several."""
    ship_repair = run.scenario.ship_repair
    assert ship_repair is not None  # the ship repair section is written only when modelled
    fleets = ship_repair.fleets
    rows = [
        (name, fleet.homeport, *_job_cells(report, catalogue.FLEET, fleet=name))
        for name, fleet in fleets.items()
    ]
    if len(fleets) > 1:
        rows.append(("All fleets", MISSING, *_job_cells(report, catalogue.SHIPS)))
    return Table(
        header=(
            "Fleet",
            "Homeport",
            "Availabilities",
            "Wait (days)",
            "Delay (days)",
            "Planned late",
            "Late",
            "Ship-days unavailable",
        ),
        rows=tuple(rows),
        numeric=(False, False, True, True, True, True, True, True),
    )


def _job_cells(report: dict[str, Any], jobs: ShipJobs, **fields: object) -> tuple[str, ...]:
    return (
        format_spread(metric(report, jobs.availabilities, **fields)),
        format_spread(metric(report, jobs.wait_days, **fields)),
        format_spread(metric(report, jobs.delay_days, **fields)),
        format_percent_spread(metric(report, jobs.planned_late_share, **fields)),
        format_percent_spread(metric(report, jobs.late_share, **fields)),
        format_spread(metric(report, jobs.ship_days_unavailable, **fields)),
    )


def yard_table(run: Run, report: dict[str, Any]) -> Table:
    """Per yard: the work it took, how long ships queued for it, and how busy it was."""
    ship_repair = run.scenario.ship_repair
    assert ship_repair is not None  # the ship repair section is written only when modelled
    yards = ship_repair.yards
    rows = tuple(
        (
            name,
            yard.country,
            _drawn(yard.berths),
            format_spread(metric(report, catalogue.YARD_AVAILABILITIES, yard=name)),
            format_spread(metric(report, catalogue.YARD_WAIT_DAYS, yard=name)),
            format_percent_spread(metric(report, catalogue.YARD_UTILISATION, yard=name)),
        )
        for name, yard in yards.items()
    )
    return Table(
        header=("Yard", "Country", "Berths", "Availabilities", "Wait (days)", "Utilisation"),
        rows=rows,
        numeric=(False, False, True, True, True, True),
    )


def engine_summary(report: dict[str, Any], engine: str, installed: str) -> str:
    """One engine type: removals, bare firewalls and availability, depot wait and turnaround."""
    key = {"engine": engine}
    removals = format_spread(metric(report, catalogue.ENGINE_REMOVALS, **key), "engines")
    repaired = format_number(_mean(metric(report, catalogue.ENGINE_REPAIRS, **key)))
    bare = _spread(metric(report, catalogue.ENGINE_BARE_FIREWALLS, **key))
    availability = format_percent_spread(metric(report, catalogue.ENGINE_AVAILABILITY, **key))
    sentences = [
        f"In {format_years(report['years'])}, {removals} were removed and {repaired} repaired.",
        f"{bare} of {installed} engine positions had no engine, averaged over the horizon, "
        f"so {availability} of engine positions were filled (engines alone: aircraft "
        "availability is lower, as other causes ground aircraft too).",
    ]
    wait = metric(report, catalogue.ENGINE_DEPOT_WAIT_DAYS, **key)
    if _mean(wait) is not None:
        turnaround = _spread(metric(report, catalogue.ENGINE_TURNAROUND_DAYS, **key), "days")
        sentences.append(
            f"Removed engines waited {_spread(wait, 'days')} for a repair line and spent "
            f"{turnaround} at the depot; {_waited(report, catalogue.ENGINE_WAITED_OVER, **key)}."
        )
    return " ".join(sentences)


def engine_table(run: Run, report: dict[str, Any]) -> Table:
    """One row per engine type: what the aircraft lose, and the depot queue behind it."""
    rows = []
    for engine, section in run.scenario.engine_repair.items():
        key = {"engine": engine}
        rows.append(
            (
                engine,
                f"{section.positions_text} + {section.spares:,}",
                format_spread(metric(report, catalogue.ENGINE_BARE_FIREWALLS, **key)),
                format_percent_spread(metric(report, catalogue.ENGINE_AVAILABILITY, **key)),
                format_spread(metric(report, catalogue.ENGINE_DEPOT_WAIT_DAYS, **key)),
                format_spread(metric(report, catalogue.ENGINE_TURNAROUND_DAYS, **key)),
                format_spread(metric(report, catalogue.ENGINE_BACKLOG, **key)),
                format_spread(metric(report, catalogue.ENGINE_IN_REPAIR, **key)),
            )
        )
    return Table(
        header=(
            "Engine type",
            "Installed + spares",
            "Bare firewalls",
            "Engine positions filled",
            "Depot wait (days)",
            "Turnaround (days)",
            "Backlog (engines)",
            "In repair (engines)",
        ),
        rows=tuple(rows),
        numeric=(False, True, True, True, True, True, True, True),
    )


def depot_table(run: Run, report: dict[str, Any], engine: str) -> Table:
    """Per depot of one engine type, with the share of futures in which it opened at all."""
    rows = []
    for name, depot in run.scenario.engine_repair[engine].depots.items():
        key = {"engine": engine, "depot": name}
        opened = "from the start"
        if depot.certification is not None:
            opened = format_percent(_mean(metric(report, catalogue.DEPOT_OPENED, **key)))
        rows.append(
            (
                name,
                depot.country,
                _drawn(depot.lines),
                format_spread(metric(report, catalogue.DEPOT_REPAIRS, **key)),
                format_spread(metric(report, catalogue.DEPOT_WAIT_DAYS, **key)),
                format_spread(metric(report, catalogue.DEPOT_TURNAROUND_DAYS, **key)),
                format_percent_spread(metric(report, catalogue.DEPOT_UTILISATION, **key)),
                opened,
            )
        )
    return Table(
        header=(
            "Depot",
            "Country",
            "Lines",
            "Repairs",
            "Wait (days)",
            "Turnaround (days)",
            "Utilisation",
            "Opened (replications)",
        ),
        rows=tuple(rows),
        numeric=(False, False, True, True, True, True, True, True),
    )
