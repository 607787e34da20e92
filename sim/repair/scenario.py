"""Scenario sections for repair: ``ship_repair`` (DESIGN §2.3) and ``engine_repair`` (§2.4).

Which numbers are drawn how often matters for what a run means, so each field says it:
*per replication* (one draw for the whole horizon: a yard's productivity, a fleet's
maintenance cycle), *per availability* / *per repair* (a fresh draw for every job:
durations, overruns) or *per shipment*.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import Discriminator, Field, Tag, model_validator

from sim.scenario.distributions import DateSpec, Distribution, Fraction, as_written
from sim.scenario.limits import MAX_COUNT, MAX_DAYS, Count, Days, EventRate, Factor, FleetEventRate
from sim.scenario.sections import Country, Lane, Name, Section


def _count_or_schedule(least: int) -> Any:
    """A count (at least `least`), or a schedule {date: count} of counts from each date on.

    Tagged by its shape, so a bad value gets one message about the form it was written in.
    """
    return Annotated[
        Annotated[Annotated[int, Field(ge=least, le=MAX_COUNT)], Tag("number")]
        | Annotated[dict[dt.date, Annotated[int, Field(ge=0, le=MAX_COUNT)]], Tag("schedule")],
        Discriminator(lambda value: "schedule" if isinstance(value, dict) else "number"),
    ]


if TYPE_CHECKING:
    # the values as validated; the runtime forms carry the bounds and the messages
    ShipCount: TypeAlias = int | dict[dt.date, int]
    EngineCount: TypeAlias = int | dict[dt.date, int]
else:
    ShipCount = _count_or_schedule(0)
    """Ships of a fleet: none or more, or a schedule of them."""
    EngineCount = _count_or_schedule(1)
    """Engines installed: at least one, or a schedule of them."""


def as_schedule(count: int | dict[dt.date, int]) -> list[tuple[dt.date, int]]:
    """A count or a schedule as (from date, count) pairs by date; a count holds from the
    beginning of time."""
    if isinstance(count, int):
        return [(dt.date.min, count)]
    return sorted(count.items())


class ShipsInAvailability(Section):
    """Ships of one fleet already in availability at a yard on the start date."""

    fleet: Name = Field(description="The fleet the ships belong to (and return to when done).")
    ships: int = Field(1, ge=1, le=MAX_COUNT, description="How many ships.")
    remaining_days: Days = Field(
        description=(
            "Work days left at this yard, per ship (drawn for each ship in each "
            "replication; the yard's duration_factor does not apply: these are its days)."
        )
    )
    source: list[Name] = Field(default_factory=list)


class EnginesInRepair(Section):
    """Engines already removed and at a depot on the start date."""

    engines: int = Field(1, ge=1, le=MAX_COUNT, description="How many engines.")
    remaining_days: Days = Field(
        description=(
            "Repair days left at this depot, per engine (drawn for each engine in each "
            "replication); the trip back (transport_days) comes after."
        )
    )
    source: list[Name] = Field(default_factory=list)


class Yard(Section):
    """A shipyard (or ship repair facility) that takes availabilities, first come first served."""

    country: Country
    berths: Count = Field(
        description="Availabilities worked at once (servers); drawn per replication, rounded."
    )
    opens: DateSpec | None = Field(None, description="Takes no work before; default the start.")
    fleets: list[Name] | None = Field(None, description="Fleets it may take; default all.")
    duration_factor: Factor = Field(
        as_written(1.0),
        description="Work days here per planned work day (productivity), per replication.",
    )
    max_days: float | None = Field(
        None,
        ge=0,
        le=MAX_DAYS,
        description=(
            "Takes only availabilities of at most this many planned days (e.g. 180 for "
            "foreign yards under 10 U.S.C. § 8680); default no limit."
        ),
    )
    in_availability: list[ShipsInAvailability] = Field(
        default_factory=list,
        description=(
            "Ships already in availability here on the start date, [{fleet, ships, "
            "remaining_days}]: they take berths from day 0 in the order listed (those "
            "beyond the berths queue first), are unavailable to their fleet until done, "
            "and are not counted among the availabilities requested in the horizon. "
            "Default: none (the empty start)."
        ),
    )
    source: list[Name] = Field(default_factory=list)


class Fleet(Section):
    """A group of ships with one homeport and one maintenance pattern."""

    homeport: Country
    ships: ShipCount = Field(
        0,
        description=(
            "Ships in the fleet (planned availabilities): a number, or a schedule of "
            "arrivals and retirements {date: ships} giving the ships from each date on "
            "(the first date on or before the start); the last ships to arrive leave first."
        ),
    )
    cycle_days: Days | None = Field(
        None, description="Days between planned availabilities of a ship, per replication."
    )
    planned_days: Days | None = Field(
        None, description="Planned duration of each availability, per availability."
    )
    overrun: Factor | None = Field(
        None, description="Actual work / planned duration, per availability; default 1."
    )
    emergent_per_year: FleetEventRate = Field(
        as_written(0.0), description="Emergent repairs per year for the whole fleet (Poisson)."
    )
    emergent_days: Days | None = Field(None, description="Work per emergent repair.")
    source: list[Name] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Fleet:
        planned = {"cycle_days": self.cycle_days, "planned_days": self.planned_days}
        given = [key for key, value in planned.items() if value is not None]
        if len(given) == 1:
            missing = next(key for key in planned if key not in given)
            raise ValueError(f"{given[0]} needs {missing} (planned availabilities take both)")
        if self.overrun is not None and not given:
            raise ValueError("overrun applies to planned availabilities: give cycle_days too")
        if given and self.most_ships == 0:
            raise ValueError("planned availabilities need ships >= 1")
        if self.emergent_days is None and _positive(self.emergent_per_year):
            raise ValueError("emergent_per_year needs emergent_days")
        if not given and not _positive(self.emergent_per_year):
            raise ValueError(
                "a fleet needs planned availabilities (cycle_days, planned_days) "
                "or emergent repairs (emergent_per_year, emergent_days)"
            )
        return self

    def schedule(self) -> list[tuple[dt.date, int]]:
        """Ships from each date on, by date (one entry for a fixed number)."""
        return as_schedule(self.ships)

    @property
    def most_ships(self) -> int:
        """The most ships the fleet ever has."""
        return max(ships for _, ships in self.schedule())

    @property
    def has_planned(self) -> bool:
        """Whether the fleet has a cycle of planned availabilities."""
        return self.cycle_days is not None


class ShipRepair(Section):
    """Ship maintenance: fleets ask for availabilities, yards work them."""

    routing: Literal["home", "earliest_completion"] = Field(
        "earliest_completion",
        description=(
            "home: yards in the homeport country only; earliest_completion: any eligible "
            "yard that finishes first counting transit, queue and work."
        ),
    )
    transit_days: dict[Lane, Days] = Field(
        default_factory=dict, description="Sailing days between countries, per voyage."
    )
    yards: dict[Name, Yard]
    fleets: dict[Name, Fleet]
    source: list[Name] = Field(default_factory=list)


class Certification(Section):
    """Source Approval Request: a new depot opens only once certified, if ever."""

    days: Days = Field(description="Days from the start to certification, per replication.")
    success: Fraction = Field(
        as_written(1.0), description="Probability certification ever succeeds."
    )


class Depot(Section):
    """An engine repair depot: parallel repair lines, first come first served."""

    country: Country
    lines: Count = Field(description="Repair lines (servers); per replication, rounded.")
    turnaround_days: Days = Field(description="Repair time on a line, per repair.")
    transport_days: Days = Field(as_written(0.0), description="Days each way, per shipment.")
    certification: Certification | None = None
    in_repair: list[EnginesInRepair] = Field(
        default_factory=list,
        description=(
            "Engines already removed and here on the start date, [{engines, "
            "remaining_days}]: they take repair lines from day 0 in the order listed "
            "(those beyond the lines queue first), count as engines out (spares used "
            "first, then bare firewalls) and are not counted among the removals of the "
            "horizon. Default: none (the empty start)."
        ),
    )
    source: list[Name] = Field(default_factory=list)


class EngineType(Section):
    """One engine type (F100, F110): installed engines, spares and the depots that repair it."""

    installed: EngineCount = Field(
        description=(
            "Engine positions on aircraft: a number, or a schedule of retirements and "
            "arrivals {date: positions} giving the positions from each date on (the first "
            "date on or before the start). Arriving aircraft bring their engines; retiring "
            "aircraft take theirs, those without an engine (bare firewalls) first."
        ),
    )
    spares: int = Field(0, ge=0, le=MAX_COUNT, description="Spare engines at the start.")
    removals_per_engine_year: EventRate = Field(
        description="Removals per installed engine per year (Poisson), per replication."
    )
    depots: dict[Name, Depot] = Field(min_length=1)
    source: list[Name] = Field(default_factory=list)

    @model_validator(mode="after")
    def _some_positions(self) -> EngineType:
        if isinstance(self.installed, dict) and not any(self.installed.values()):
            raise ValueError("installed: the schedule needs some engine positions")
        return self

    def schedule(self) -> list[tuple[dt.date, int]]:
        """Engine positions from each date on, by date (one entry for a fixed number)."""
        return as_schedule(self.installed)

    @property
    def positions_text(self) -> str:
        """The positions for report text: "100", or "100 → 40 → 0" for a schedule."""
        return " → ".join(f"{positions:,}" for _, positions in self.schedule())


def _positive(spec: Distribution) -> bool:
    """Whether a number spec can be above zero."""
    return spec.support()[1] > 0
