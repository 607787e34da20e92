"""Checks that the repair sections agree with each other and with the rest of the scenario.

The rule that needs explaining: every fleet must have a *fallback yard* (eligible, open
from the start, at least one berth for sure, no duration limit, in the homeport country
under ``home`` routing), and every engine type a depot that needs no certification.
Without one, a ship or an engine could arrive with nowhere to go in some replication, and
the model would have to invent what happens next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sim.errors import ECHO_LIMIT, shown
from sim.scenario.distributions import is_fixed
from sim.scenario.sections import Name
from sim.scenario.yamlsource import Path_

if TYPE_CHECKING:  # the scenario's validation calls this module
    from sim.repair.scenario import ShipRepair, Yard
    from sim.scenario.model import Scenario

Finding = tuple[Path_, str]


def check_repair(scenario: Scenario) -> Iterator[Finding]:
    """Every inconsistency in `scenario`'s ``ship_repair``, ``engine_repair`` and conflicts."""
    yield from _conflicts(scenario)
    if scenario.ship_repair is not None:
        yield from _yards(scenario.ship_repair)
        yield from _fleets(scenario.ship_repair)
        yield from _in_availability(scenario.ship_repair)
        yield from _stated_ships(scenario.ship_repair, scenario.start)
    fleets = scenario.ship_repair.fleets if scenario.ship_repair is not None else {}
    for name, fleet in fleets.items():
        if fleet.schedule()[0][0] > scenario.start:
            yield (
                ("ship_repair", "fleets", name, "ships"),
                "the schedule must give the ships at the start: "
                f"its first date is after {scenario.start}",
            )
    for name, engine in scenario.engine_repair.items():
        if engine.schedule()[0][0] > scenario.start:
            yield (
                ("engine_repair", name, "installed"),
                "the schedule must give the positions at the start: "
                f"its first date is after {scenario.start}",
            )
        if not any(depot.certification is None for depot in engine.depots.values()):
            yield (
                ("engine_repair", name, "depots"),
                "needs a depot without certification, open from the start, "
                "so removed engines always have somewhere to go",
            )
        for depot_name, depot in engine.depots.items():
            if depot.certification is None and depot.lines.support()[0] < 0.5:
                yield (
                    ("engine_repair", name, "depots", depot_name, "lines"),
                    "a depot open from the start needs at least one repair line for sure",
                )
            if depot.in_repair and depot.certification is not None:
                yield (
                    ("engine_repair", name, "depots", depot_name, "in_repair"),
                    "a depot awaiting certification has no engines in repair at the start",
                )
        stated = sum(group.engines for d in engine.depots.values() for group in d.in_repair)
        positions = engine.schedule()
        at_start = [n for day, n in positions if day <= scenario.start] or [positions[0][1]]
        if stated > at_start[-1] + engine.spares:
            yield (
                ("engine_repair", name),
                f"{stated} engines in repair at the start, but the type has only "
                f"{at_start[-1]} positions + {engine.spares} spares",
            )


def repair_sources(scenario: Scenario) -> dict[Path_, list[Name]]:
    """The sources cited by each repair entry, keyed by its path in the file: as parts,
    list positions as numbers, so that problems find their line without parsing."""
    cited: dict[Path_, list[Name]] = {}
    ships = scenario.ship_repair
    if ships is not None:
        cited[("ship_repair",)] = list(ships.source)
        for n, y in ships.yards.items():
            cited[("ship_repair", "yards", n)] = list(y.source)
            for k, group in enumerate(y.in_availability):
                cited[("ship_repair", "yards", n, "in_availability", k)] = list(group.source)
        for n, f in ships.fleets.items():
            cited[("ship_repair", "fleets", n)] = list(f.source)
    for name, engine in scenario.engine_repair.items():
        cited[("engine_repair", name)] = list(engine.source)
        for depot_name, depot in engine.depots.items():
            path: Path_ = ("engine_repair", name, "depots", depot_name)
            cited[path] = list(depot.source)
            for k, stated in enumerate(depot.in_repair):
                cited[(*path, "in_repair", k)] = list(stated.source)
    return cited


def eligible(yard: Yard, fleet_name: str) -> bool:
    """Whether `yard` may take ships of the fleet (ignoring dates and routing)."""
    return yard.fleets is None or fleet_name in yard.fleets


def _conflicts(scenario: Scenario) -> Iterator[Finding]:
    fleets = list(scenario.ship_repair.fleets) if scenario.ship_repair else []
    for index, conflict in enumerate(scenario.conflicts):
        base = ("conflicts", index)
        damage = conflict.ship_damage_per_year.support()[1] > 0
        if damage and scenario.ship_repair is None:
            yield (*base, "ship_damage_per_year"), "battle damage needs a ship_repair section"
        for position, fleet in enumerate(conflict.ship_damage_fleets or []):
            if fleet not in fleets:
                yield (*base, "ship_damage_fleets", position), _unknown("fleet", fleet, fleets)
        surge = not (is_fixed(conflict.engine_removal_factor))
        surge = surge or conflict.engine_removal_factor.support()[0] != 1.0
        if surge and not scenario.engine_repair:
            yield (*base, "engine_removal_factor"), "a removal surge needs an engine_repair section"


def _yards(ships: ShipRepair) -> Iterator[Finding]:
    fleets = list(ships.fleets)
    for name, yard in ships.yards.items():
        for position, fleet in enumerate(yard.fleets or []):
            if fleet not in ships.fleets:
                yield (
                    ("ship_repair", "yards", name, "fleets", position),
                    _unknown("fleet", fleet, fleets),
                )


def _fleets(ships: ShipRepair) -> Iterator[Finding]:
    for name, fleet in ships.fleets.items():
        path = ("ship_repair", "fleets", name)
        candidates = [
            (yard_name, yard)
            for yard_name, yard in ships.yards.items()
            if eligible(yard, name)
            and (ships.routing == "earliest_completion" or yard.country == fleet.homeport)
        ]
        if not any(_fallback(yard) for _, yard in candidates):
            where = " in its homeport country" if ships.routing == "home" else ""
            yield (
                path,
                f"needs a yard{where} that may take it from the start: eligible, no 'opens', "
                "no 'max_days', at least one berth for sure",
            )
        for yard_name, yard in candidates:
            lane = f"{fleet.homeport}-{yard.country}"
            if yard.country != fleet.homeport and lane not in ships.transit_days:
                yield (
                    ("ship_repair", "yards", yard_name, "country"),
                    f"fleet '{name}' (homeport {fleet.homeport}) may sail here: "
                    f"give ship_repair.transit_days.{lane}",
                )


def _in_availability(ships: ShipRepair) -> Iterator[Finding]:
    """Ships stated in availability must be of a known fleet the yard may take, at a yard
    working on day 0 (open from the start, at least one berth for sure)."""
    fleets = list(ships.fleets)
    for name, yard in ships.yards.items():
        path = ("ship_repair", "yards", name, "in_availability")
        if yard.in_availability and not (yard.opens is None and yard.berths.support()[0] >= 0.5):
            yield (
                path,
                "ships in availability at the start need a yard working on day 0: "
                "no 'opens', at least one berth for sure",
            )
        for position, group in enumerate(yard.in_availability):
            if group.fleet not in ships.fleets:
                yield (*path, position, "fleet"), _unknown("fleet", group.fleet, fleets)
            elif not eligible(yard, group.fleet):
                yield (
                    (*path, position, "fleet"),
                    f"this yard does not take fleet '{shown(group.fleet)}' (its 'fleets')",
                )


def _stated_ships(ships: ShipRepair, start: dt.date) -> Iterator[Finding]:
    """A fleet that says how many ships it has cannot have more in availability at the
    start (a fleet of emergent repairs alone, ``ships: 0``, has no count to hold to)."""
    for name, fleet in ships.fleets.items():
        stated = sum(
            group.ships
            for yard in ships.yards.values()
            for group in yard.in_availability
            if group.fleet == name
        )
        schedule = fleet.schedule()
        at_start = ([n for day, n in schedule if day <= start] or [schedule[0][1]])[-1]
        if stated and fleet.most_ships and stated > at_start:
            yield (
                ("ship_repair", "fleets", name, "ships"),
                f"{stated} ships in availability at the start, but the fleet has {at_start}",
            )


def _fallback(yard: Yard) -> bool:
    return yard.opens is None and yard.max_days is None and yard.berths.support()[0] >= 0.5


def _unknown(kind: str, name: str, known: list[str]) -> str:
    listing = shown(", ".join(known), 3 * ECHO_LIMIT) if known else "none are defined"
    return f"unknown {kind} '{shown(name)}' (known: {listing})"
