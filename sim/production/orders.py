"""Orders: contract awards that fund a line's units (docs/model.md, "Orders").

A line with ``orders`` may start a unit only when the unit is **funded**: its award has
been made (the start of its fiscal year, shifted by that year's appropriation delay, or
the contract's own award date) and is at least ``award_to_start_days`` old (long-lead
items). Funding behaves like one more input of every unit, delivered in lumps: the
*release* of an award is the day its units may start, and by any day the line has
started at most the units released by then. Units in a warm line's pipelines at the
start were funded before it and do not count against the orders.

What stands idle is lost: while a line has no funded unit left, its capacity does not
accrue (unlike a line starved of inputs, which holds one unit of capacity ready), so
after a release the line needs a whole unit of capacity before its first start. That is
the reading of the issue's worked example: 1,200/yr idle from July to 1 October makes
92 days × 1,200/365 = 302 more units in 2026, not 303.

This module holds the scenario keys' models and every rule both engines use: the fiscal
calendar (:func:`fiscal_year_start`), the draws (:func:`sample_orders`), what is funded
by a day (:meth:`OrderBook.released_by`, :meth:`Releases.next_release`), what a time
step may start (:meth:`OrderBook.step`) and the backlog (:meth:`OrderBook.awarded_by`).
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import numpy as np
from pydantic import AfterValidator, Discriminator, Field, StringConstraints, Tag, field_validator

from sim.parameter_id import Draw, Kind, ParameterId
from sim.scenario.distributions import DateSpec, Distribution, date_distribution
from sim.scenario.limits import Days, Quantity
from sim.scenario.sections import Section
from sim.scenario.yamlsource import Path_

if TYPE_CHECKING:  # the scenario's validation calls this module
    from sim.scenario.model import Scenario

FiscalYear = Annotated[int, Field(ge=1900, le=2200)]
"""A fiscal year as its budget names it: FY2026."""


def _real_day(month_day: str) -> str:
    month, day = (int(part) for part in month_day.split("-"))
    try:
        dt.date(2001, month, day)  # a common year: 02-29 is not a day every year has
    except ValueError:
        raise ValueError(f"{month_day} is not a day of the year") from None
    return month_day


MonthDay = Annotated[
    str,
    StringConstraints(pattern=r"^\d{2}-\d{2}$"),
    AfterValidator(_real_day),
]
"""The day a fiscal year starts, ``MM-DD`` (``10-01``)."""

DEFAULT_FISCAL_YEARS: dict[str, str] = {"US": "10-01", "JP": "04-01"}
"""Built-in fiscal year starts (DESIGN §8): the US federal year begins on 1 October, the
Japanese government's on 1 April; a scenario's ``fiscal_years`` adds or overrides."""

FISCAL_YEARS_DESCRIPTION = (
    "Day each country's fiscal year starts, MM-DD; built in: US 10-01, JP 04-01. A fiscal "
    "year starting in July-December is named after the calendar year it ends in (US FY2026 "
    "begins 2025-10-01), one starting in January-June after the year it begins in (JP "
    "FY2026 begins 2026-04-01)."
)
APPROPRIATIONS_DESCRIPTION = (
    "Days each country's appropriation of a fiscal year comes late (a continuing "
    "resolution), a number or a distribution drawn per replication: every award of that "
    "fiscal year moves by it. {US: {2027: {uniform: [0, 120]}}}."
)
ORDERS_DESCRIPTION = (
    "Contract awards that fund the line's starts, by fiscal year: units (a number or a "
    "distribution), or {units: ..., awarded: DATE}; a multi-year award gives its units per "
    "fiscal year, {units: {2024: 500, 2025: 550}}. A unit may start only once it is funded "
    "and its award is award_to_start_days old; without orders, starts are not gated."
)


def _units_form(value: object) -> str:
    """Units by fiscal year are a mapping whose keys are years; else a number or distribution."""
    if isinstance(value, dict) and value and all(str(key).isdigit() for key in value):
        return "years"
    return "years" if value == {} else "units"


class Award(Section):
    """One contract: its units, and when it was awarded if not at its fiscal year's start."""

    units: Annotated[
        Annotated[Quantity, Tag("units")] | Annotated[dict[FiscalYear, Quantity], Tag("years")],
        Discriminator(_units_form),
    ] = Field(
        description=(
            "Units awarded: a number or distribution, or for a multi-year award the units "
            "of each fiscal year (each year's units are funded when that year's "
            "appropriation arrives, but no earlier than the contract's award)."
        )
    )
    awarded: DateSpec | None = Field(
        None,
        description=(
            "Day the contract was awarded (a date or a date distribution); default: the "
            "start of its fiscal year, shifted by that year's appropriation delay."
        ),
    )
    award_to_start_days: Days | None = Field(
        None,
        description=(
            "This contract's lead time from award to first start; default the line's "
            "(a follow-on lot whose long-lead items are already bought needs less)."
        ),
    )

    @field_validator("units")
    @classmethod
    def _some_years(cls, units: object) -> object:
        if isinstance(units, dict) and not units:
            raise ValueError("a multi-year award lists no fiscal years")
        return units


def _order_form(value: object) -> str:
    """An award is a mapping with ``units``; anything else is a number or distribution."""
    if isinstance(value, Award) or (isinstance(value, dict) and "units" in value):
        return "award"
    return "units"


Order = Annotated[
    Annotated[Quantity, Tag("units")] | Annotated[Award, Tag("award")],
    Discriminator(_order_form),
]
"""What ``orders:`` maps a fiscal year to: units, or an :class:`Award` (it has ``units``)."""


def fiscal_year_start(year: int, month_day: str) -> dt.date:
    """The first day of fiscal `year` in a country whose fiscal years begin on `month_day`.

    Budgets name a fiscal year after the calendar year holding most of it: one that begins
    in July–December after the year it ends in (US FY2026 begins 1 October 2025), one
    that begins in January–June after the year it begins in (Japan's FY2026, 1 April 2026).
    """
    month, day = (int(part) for part in month_day.split("-"))
    return dt.date(year - 1 if month >= 7 else year, month, day)


def fiscal_year_starts(scenario_years: dict[str, str]) -> dict[str, str]:
    """The fiscal year start of every country: the built-in ones with the scenario's own."""
    return {**DEFAULT_FISCAL_YEARS, **scenario_years}


@dataclass
class OrderBook:
    """One line's awards for a chunk of replications; each array is (reps, awards).

    Every award is one fiscal year's units of one contract, sorted per replication by the
    day it is released, so cumulative sums along a row are the funded units by day.
    """

    awarded: np.ndarray
    """Day (since the start) the units come under contract: the backlog counts them from it."""
    released: np.ndarray
    """Day the units may start: the award plus the lead time (0 for any day before the start)."""
    units: np.ndarray
    """Whole units, int64."""

    def take(self, rows: slice) -> OrderBook:
        """The same awards for a subset of replications."""
        return OrderBook(self.awarded[rows], self.released[rows], self.units[rows])

    def with_award(self, awarded: np.ndarray, released: np.ndarray, units: np.ndarray) -> OrderBook:
        """These awards and one more (a day and units per replication), kept in release order."""
        return _sorted_book(
            np.column_stack([self.awarded, awarded]),
            np.maximum(np.column_stack([self.released, released]), 0.0),
            np.column_stack([self.units, units]),
        )

    def released_by(self, day: float) -> np.ndarray:
        """Units that may have started by `day` (released on or before it), per replication."""
        result: np.ndarray = np.where(self.released <= day, self.units, 0).sum(axis=1)
        return result

    def awarded_by(self, day: float) -> np.ndarray:
        """Units under contract before `day` (the order backlog adds these), per replication."""
        result: np.ndarray = np.where(self.awarded < day, self.units, 0).sum(axis=1)
        return result

    def of_replication(self, rep: int) -> Releases:
        """Replication `rep`'s releases, for the DES to ask one unit at a time."""
        funded = np.cumsum(self.units[rep]).tolist()
        return Releases(funded, self.released[rep].tolist())

    def step(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What a time step ``[start, end)`` may start, per replication (vector engine).

        Returns the units released before the step, those released before its end, and
        the share of the step after the first release inside it (0 when none). A line
        that has started every unit released before the step is idle at its start; its
        capacity then counts only from that first release on, as in continuous time a
        line's credit begins empty at the release that ends its idleness.
        """
        before = self.released < start
        by_end = self.released < end
        inside = by_end & ~before
        first = np.where(inside, self.released, np.inf).min(axis=1)
        after = np.where(np.isfinite(first), (end - first) / (end - start), 0.0)
        funded_start = np.where(before, self.units, 0).sum(axis=1)
        funded_end = np.where(by_end, self.units, 0).sum(axis=1)
        return funded_start, funded_end, after


class StepCursor:
    """:meth:`OrderBook.step` for consecutive steps, at the cost of the releases in each.

    Releases are sorted per replication, so the vector engine walks them with one index
    per replication instead of scanning every award in every step: most steps hold no
    release, and cost a comparison of the next release day with the step's end.
    """

    def __init__(self, book: OrderBook):
        reps = book.released.shape[0]
        self.rows = np.arange(reps)
        # a sentinel award that is never released ends every row
        self.released = np.concatenate([book.released, np.full((reps, 1), np.inf)], axis=1)
        funded = np.cumsum(book.units, axis=1)
        self.funded = np.concatenate([np.zeros((reps, 1), dtype=np.int64), funded], axis=1)
        self.next = np.zeros(reps, dtype=np.int64)
        """Per replication: how many awards were released before the last step's end."""
        self.next_day = self.released[:, 0].copy()
        self.soonest = float(self.next_day.min())
        self.current = self.funded[:, 0].copy()
        self.none = np.zeros(reps)

    def advance(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The next step ``[start, end)``: the same three arrays as :meth:`OrderBook.step`.

        The arrays returned are the cursor's own: read them, do not change them.
        """
        funded_start = self.current
        if self.soonest >= end:
            return funded_start, funded_start, self.none
        first = self.next_day.copy()
        inside = first < end
        while True:
            moving = self.next_day < end
            if not moving.any():
                break
            self.next += moving
            self.next_day = self.released[self.rows, self.next]
        self.soonest = float(self.next_day.min())
        self.current = self.funded[self.rows, self.next]
        after = np.where(inside, (end - np.maximum(first, start)) / (end - start), 0.0)
        return funded_start, self.current, after


@dataclass(frozen=True)
class Releases:
    """One replication's releases: cumulative funded units, and the day each total is reached."""

    funded: list[int]
    days: list[float]

    def next_release(self, started: int) -> float:
        """The day the unit after `started` units is funded (inf: never)."""
        k = bisect_right(self.funded, started)
        return self.days[k] if k < len(self.days) else math.inf


def appropriation_delays(
    appropriations: dict[str, dict[int, Distribution]], draw: Draw, size: int
) -> Callable[[str, int], np.ndarray]:
    """A look-up of the days each (country, fiscal year) appropriation comes late.

    Each is drawn once per replication from the stream ``appropriations.<country>.<year>``
    and shared by every award of that country and year; years not listed are on time.
    """
    drawn = {
        (country, year): draw(ParameterId("appropriations", country, str(year)), spec)
        for country, years in appropriations.items()
        for year, spec in years.items()
    }
    none = np.zeros(size)
    return lambda country, year: drawn.get((country, year), none)


def sample_orders(
    name: str,
    orders: dict[int, Distribution | Award],
    lead_time: Distribution,
    fiscal_start: str,
    country: str,
    origin: dt.date,
    draw: Draw,
    delay: Callable[[str, int], np.ndarray],
) -> OrderBook:
    """Draw one line's awards (streams ``lines.<name>.orders.<year>[.<year>]``).

    A single-year award is made at the start of its fiscal year plus that year's
    appropriation delay (or on its ``awarded`` date) and released ``award_to_start_days``
    later. A multi-year contract is awarded once; the units of each of its years are
    funded when that year's appropriation arrives, and released at the later of that and
    the contract's award plus the lead time: the long-lead items of every lot are bought
    up front, which is what a multi-year award buys.
    """
    line = ParameterId("lines", name, "")
    lead = draw(line.with_field("award_to_start_days"), lead_time)

    def fiscal_day(year: int) -> np.ndarray:
        start = (fiscal_year_start(year, fiscal_start) - origin).days
        return start + delay(country, year)

    awarded, released, units = [], [], []
    for year, order in sorted(orders.items()):
        key = f"orders.{year}"
        if not isinstance(order, Award):
            contract = fiscal_day(year)
            awarded.append(contract)
            released.append(contract + lead)
            units.append(draw(line.with_field(key, Kind.COUNT), order))
            continue
        contract = (
            fiscal_day(year)
            if order.awarded is None
            else draw(
                line.with_field(f"{key}.awarded", Kind.DATE),
                date_distribution(order.awarded, origin),
            )
        )
        own = order.award_to_start_days
        delay_to_start = (
            lead if own is None else draw(line.with_field(f"{key}.award_to_start_days"), own)
        )
        lots = order.units if isinstance(order.units, dict) else {year: order.units}
        for lot_year, spec in sorted(lots.items()):
            funded = contract if lot_year == year else np.maximum(contract, fiscal_day(lot_year))
            awarded.append(funded)
            released.append(np.maximum(funded, contract + delay_to_start))
            lot = key if lot_year == year else f"{key}.{lot_year}"
            units.append(draw(line.with_field(lot, Kind.COUNT), spec))
    return _sorted_book(
        np.stack(awarded, axis=1),
        np.maximum(np.stack(released, axis=1), 0.0),
        np.rint(np.stack(units, axis=1)).astype(np.int64),
    )


def _sorted_book(awarded: np.ndarray, released: np.ndarray, units: np.ndarray) -> OrderBook:
    """An order book with each replication's awards in the order they are released."""
    order = np.argsort(released, axis=1, kind="stable")
    return OrderBook(
        awarded=np.take_along_axis(awarded, order, axis=1),
        released=np.take_along_axis(released, order, axis=1),
        units=np.take_along_axis(units, order, axis=1),
    )


def check_orders(scenario: Scenario) -> list[tuple[Path_, str]]:
    """Problems with the scenario's orders that only the whole scenario shows.

    A line's orders need its country's fiscal year start (built in for US and JP); an
    appropriation delay for a country with no ordering line is left alone (a base scenario
    may list every year's delay for variants that add orders).
    """
    starts = fiscal_year_starts(scenario.fiscal_years)
    problems: list[tuple[Path_, str]] = []
    for name, line in scenario.lines.items():
        if line.orders is not None and line.country not in starts:
            problems.append(
                (
                    ("lines", name, "orders"),
                    f"no fiscal year start for {line.country}: add fiscal_years: "
                    f"{{{line.country}: MM-DD}}",
                )
            )
        if line.orders is not None and not line.orders:
            problems.append((("lines", name, "orders"), "lists no awards (leave it out instead)"))
    return problems
