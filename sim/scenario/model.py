"""Scenario files: the pydantic models of DESIGN §4.

Pydantic checks the *shape* and the *values* of each entry (unknown keys, wrong types,
impossible numbers). What the entries say about *each other* is checked afterwards, by
:mod:`sim.scenario.references`, and the loader that runs both passes is :mod:`sim.loading`: the
models know nothing of either, so everything else can build on them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from sim.costs.scenario import Investment, LineCost
from sim.production.initial import LineInitial
from sim.production.orders import (
    APPROPRIATIONS_DESCRIPTION,
    FISCAL_YEARS_DESCRIPTION,
    ORDERS_DESCRIPTION,
    FiscalYear,
    MonthDay,
    Order,
)
from sim.production.surge import Surge
from sim.repair.scenario import EngineType, ShipRepair
from sim.scenario.distributions import DateSpec, Fraction, PlainNumberSpec, as_written
from sim.scenario.history import HISTORY_DESCRIPTION, HistorySeries
from sim.scenario.limits import (
    MAX_REPLICATIONS,
    DailyRate,
    Days,
    EventRate,
    Factor,
    FleetEventRate,
    Growth,
    Quantity,
    Rate,
    UnitCost,
)
from sim.scenario.sections import Country, Lane, Name
from sim.scenario.sections import Section as _Section


class Source(_Section):
    """A public document that backs numbers in the scenario."""

    title: str
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None


class Item(_Section):
    """Something produced or held in stock: a missile or a component."""

    unit: str = Field("units", description="Plural noun for report tables, e.g. 'missiles'.")
    unit_cost_musd: UnitCost | None = Field(None, description="Unit cost, million US$.")


class Capacity(_Section):
    """A line's capacity ramp (DESIGN §2.1).

    In the n-th year after ``ramp_start`` (n = 0, 1, 2, …) the rate is
    ``min(target, initial·(1+growth_cap)ⁿ)``; before it, ``min(target, initial)``.
    """

    initial: Rate = Field(description="Items per year in the first ramp year.")
    target: Rate | None = Field(None, description="Ceiling on the rate; default initial.")
    growth_cap: Growth = Field(
        as_written(0.0), description="Largest yearly growth of the rate, e.g. 0.2."
    )
    ramp_start: dt.date | None = Field(
        None,
        description=(
            "Start of ramp year 0. Default: the line's opening date (an uncertain one as "
            "drawn in each replication), or the start when the line has no opening date."
        ),
    )


class Disruptions(_Section):
    """Random events that take away part of a line's capacity for a while."""

    per_year: EventRate = Field(description="Poisson rate of events per year.")
    days: Days = Field(description="Duration of each event, drawn per event.")
    capacity_lost: Fraction = Field(
        as_written(1.0), description="Fraction of capacity lost while it lasts."
    )


class Routes(_Section):
    """Where a line's output goes: stocks, or other lines' input stores.

    ``stock`` names one owner, or maps owners to fixed fractions (exports). ``line`` as a
    mapping of fractions splits output in fixed shares. ``line`` as a list
    makes this line a *shared supplier*: output is shared out by usable need (each
    consumer's current capacity, capped by the planned supply of its other inputs, times
    its bill of materials) under ``allocation``: ``priority`` serves the list in order,
    ``proportional`` in proportion to usable need.
    """

    stock: Name | dict[Name, Annotated[float, Field(ge=0, le=1)]] | None = None
    line: dict[Name, Annotated[float, Field(ge=0, le=1)]] | list[Name] | None = None
    allocation: Literal["split", "priority", "proportional"] | None = Field(
        default=None,
        description=(
            "For a list of lines: 'priority' serves them in order up to what each can use "
            "(its capacity capped by the planned supply of its other inputs), "
            "'proportional' in proportion to that; what one cannot use goes to the others."
        ),
    )

    @model_validator(mode="after")
    def _one_destination(self) -> Routes:
        if (self.stock is None) == (self.line is None):
            raise ValueError("give exactly one of 'stock' or 'line'")
        for key in ("stock", "line"):
            shares = getattr(self, key)
            if isinstance(shares, dict):
                if not shares:
                    raise ValueError(f"'{key}' lists nothing")
                total = sum(shares.values())
                if not math.isclose(total, 1.0, abs_tol=1e-9):
                    raise ValueError(f"{key} split fractions must sum to 1, they sum to {total:g}")
        if isinstance(self.line, dict) and self.allocation not in (None, "split"):
            raise ValueError(
                f"allocation '{self.allocation}' takes a list of lines, not fixed fractions"
            )
        if isinstance(self.line, list):
            if not self.line:
                raise ValueError("'line' lists no lines")
            if len(set(self.line)) != len(self.line):
                raise ValueError("a line is listed twice")
            if self.allocation not in ("priority", "proportional"):
                raise ValueError("a list of lines needs allocation: priority or proportional")
        if self.stock is not None and self.allocation is not None:
            raise ValueError("'allocation' applies to routes to lines only")
        return self

    def stock_shares(self) -> dict[str, float]:
        """Fixed fractions of output by stock owner (empty when output goes to lines)."""
        if isinstance(self.stock, str):
            return {self.stock: 1.0}
        return dict(self.stock or {})

    def line_shares(self) -> dict[str, float]:
        """Fixed split fractions by destination line (empty for stock or shared supply)."""
        return dict(self.line) if isinstance(self.line, dict) else {}

    def lines(self) -> list[str]:
        """The destination lines, in the order given."""
        return list(self.line or [])


class Line(_Section):
    """A factory line in one country that makes one item."""

    country: Country
    makes: Name
    capacity: Capacity
    opens: DateSpec | None = Field(None, description="Produces nothing before; default the start.")
    inputs: dict[Name, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="Items consumed per unit started."
    )
    yield_: Fraction = Field(
        as_written(1.0), alias="yield", description="Share of units passing acceptance."
    )
    flow_days: Days = Field(as_written(0.0), description="Days from start to delivery.")
    funded_per_year: Rate | None = Field(
        None,
        description=(
            "A cap on the rate of starts, units per year (a budget's steady rate); unlike "
            "orders it banks nothing: what it does not use in a year is not carried on."
        ),
    )
    orders: dict[FiscalYear, Order] | None = Field(None, description=ORDERS_DESCRIPTION)
    award_to_start_days: Days = Field(
        as_written(0.0),
        description=(
            "Lead time from an award to the first start it funds (long-lead items), one "
            "draw per replication; applies to lines with orders."
        ),
    )
    disruptions: Disruptions | None = None
    routes: Routes | None = Field(None, description="Default: the stock of the line's country.")
    cost: LineCost | None = Field(
        None, description="Unit cost and learning curve (docs/model.md, 'Costs')."
    )
    warm: bool = Field(
        True,
        description=(
            "Whether the line, if open at the start, begins warm: its flow pipeline and the "
            "shipping pipelines of its output as after running at its rate at the start. "
            "false: it begins empty. A line opening after the start always begins empty."
        ),
    )
    initial: LineInitial | None = Field(
        None,
        description=(
            "What the line holds on the start date, where known: {in_flow: units, "
            "stores: {item: units}}. Default: warm (or empty) by the warm-start rule."
        ),
    )
    source: list[Name] = Field(default_factory=list)

    def destination(self) -> Routes:
        """The routes, with the default (own country's stock) filled in."""
        return self.routes or Routes(stock=self.country)

    def ramp_year_zero(self, start: dt.date) -> dt.date | None:
        """The day ramp year 0 begins: ``ramp_start``, else the opening date, else `start`.

        Growth counts from a line's opening, so a line that opens in 2031 makes its
        ``initial`` rate in its first year rather than a rate already grown since the
        start (DESIGN §8). None: the opening date is uncertain, and ramp year 0 begins on
        the day drawn for each replication. This is the one place the default is written.
        """
        if self.capacity.ramp_start is not None:
            return self.capacity.ramp_start
        if self.opens is None:
            return start
        if isinstance(self.opens, dt.date):
            return self.opens
        return None


class Demand(_Section):
    """A stream of orders drawn from one owner's stock of one item."""

    item: Name
    owner: Name
    per_year: Rate
    start: dt.date | None = None
    end: dt.date | None = None
    priority: int = Field(
        1,
        ge=0,
        description=(
            "Lower is served first. Conflict consumption (priority 0 by default) is served "
            "before demand of the same or a higher number: such demand, new or backordered, "
            "takes only stock beyond what the conflicts under way still require."
        ),
    )
    source: list[Name] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> Demand:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


DEFAULT_DAMAGE_DAYS = {"lognormal": {"median": 60, "sigma": 1.0}}
"""Battle-damage repair work when a conflict does not say: an assumption (median two
months, one in six over five months, USS Cole-like repairs of a year in the tail)."""


class Conflict(_Section):
    """A window of high-intensity consumption that may or may not happen."""

    name: Name
    start: DateSpec
    days: Days
    probability: Fraction = as_written(1.0)
    consumption_per_day: dict[Name, dict[Name, DailyRate]] = Field(default_factory=dict)
    ship_damage_per_year: FleetEventRate = Field(
        as_written(0.0),
        description="Poisson rate of battle-damage ship repairs while the conflict lasts.",
    )
    ship_damage_days: Days = Field(
        as_written(DEFAULT_DAMAGE_DAYS),
        description="Repair work per damaged ship (default: an assumption, see docs/model.md).",
    )
    ship_damage_fleets: list[Name] | None = Field(
        None, description="Fleets that take damage, in proportion to ships; default all."
    )
    engine_removal_factor: Factor = Field(
        as_written(1.0),
        description=(
            "Engine removal rates are multiplied by this while the conflict lasts (below 1 "
            "lowers them); when conflicts overlap, the largest factor applies."
        ),
    )
    surge: Surge | None = Field(
        None,
        description=(
            "Mobilisation of production lines: after `after_days` the listed lines may make "
            "up to `factor` times their capacity until `hold_days` after the conflict ends "
            "(docs/model.md, 'Wartime surge')."
        ),
    )
    priority: int = Field(
        0,
        ge=0,
        description=(
            "Service rank of its consumption at each stock, on demand's scale (lower first; "
            "a tie goes to the conflict). While the conflict is under way, demand ranked "
            "behind it (new and backordered) is served only from stock beyond what the "
            "conflict still requires; default 0: before all peacetime demand."
        ),
    )
    source: list[Name] = Field(default_factory=list)


class Correlation(_Section):
    """A Spearman rank correlation between two uncertain inputs (a Gaussian copula)."""

    between: tuple[str, str] = Field(
        description=(
            "Two uncertain inputs, named as in sensitivity analysis: the dotted path of a "
            "number drawn once per replication (lines.pac3-us.capacity.growth_cap, "
            "engine_repair.F100.removals_per_engine_year, conflicts.NAME.days, "
            "shared.NAME for a shared draw)."
        )
    )
    rank: float = Field(
        gt=-1,
        lt=1,
        description=(
            "Spearman rank correlation of the two inputs across replications; each keeps "
            "its own distribution (docs/model.md, 'Randomness')."
        ),
    )

    @model_validator(mode="after")
    def _two(self) -> Correlation:
        if self.between[0] == self.between[1]:
            raise ValueError("an input cannot be correlated with itself")
        return self


class Scenario(_Section):
    """A whole scenario file."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    description: str = ""
    start_year: int = Field(ge=1900, le=2200)
    years: int = Field(ge=1, le=100)
    time_step_days: float = Field(7.0, ge=1, le=31, description="Vector engine step (days).")
    replications: int = Field(1000, ge=1, le=MAX_REPLICATIONS)
    seed: int = Field(0, ge=0, lt=2**63)
    sources: dict[Name, Source] = Field(default_factory=dict)
    shared: dict[Name, PlainNumberSpec] = Field(
        default_factory=dict,
        description=(
            "Named shared draws: one uncertain number or yes/no event (bernoulli: p) "
            "defined once; any uncertain number may refer to it as {shared: NAME} and "
            "gets the same value in every replication (docs/model.md, 'Randomness')."
        ),
    )
    correlations: list[Correlation] = Field(
        default_factory=list,
        description=(
            "Rank correlations between uncertain inputs, as @RISK and Crystal Ball users "
            "declare them; pairs that share an input form one group, which must be "
            "consistent (a positive definite correlation matrix)."
        ),
    )
    fiscal_years: dict[Country, MonthDay] = Field(
        default_factory=dict, description=FISCAL_YEARS_DESCRIPTION
    )
    appropriations: dict[Country, dict[FiscalYear, Days]] = Field(
        default_factory=dict, description=APPROPRIATIONS_DESCRIPTION
    )
    items: dict[Name, Item] = Field(default_factory=dict)
    lines: dict[Name, Line] = Field(default_factory=dict)
    shipping_days: dict[Lane, Days] = Field(
        default_factory=dict,
        description=(
            "Days at sea per lane FROM-TO; a delivery into another country takes them "
            "whether or not that country has a line."
        ),
    )
    stockpiles: dict[Name, dict[Name, Quantity]] = Field(default_factory=dict)
    demand: list[Demand] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    ship_repair: ShipRepair | None = None
    engine_repair: dict[Name, EngineType] = Field(default_factory=dict)
    warm_start: bool = Field(
        True,
        description=(
            "Whether lines open at the start begin warm (pipelines as after running at their "
            "rate at the start; see docs/model.md). false: every line begins empty, as "
            "before December 2026."
        ),
    )
    headline: list[str] = Field(
        default_factory=list,
        description=(
            "Metric names (report.json) that matter most in this scenario; "
            "--precision targets them. Default: chosen from the scenario's contents."
        ),
    )
    headline_year: int | None = Field(
        None,
        description=(
            "The year the scenario is about (e.g. 2030 for a plan judged by its 2030 "
            "stocks): the terminal summary and the report's lead give it first, beside the "
            "horizon's last year. Must be a year of the horizon. Default: the last year."
        ),
    )
    history: dict[str, HistorySeries] = Field(default_factory=dict, description=HISTORY_DESCRIPTION)
    investments: list[Investment] = Field(
        default_factory=list,
        description="One-off costs paid on a date or at an opening (docs/model.md, 'Costs').",
    )

    _file: str = PrivateAttr("<memory>")
    _sha256: str = PrivateAttr("")
    _files: list[str] = PrivateAttr(default_factory=list)
    _overrides: list[str] = PrivateAttr(default_factory=list)
    _allow_extends_outside: bool = PrivateAttr(False)
    _effective_sha256: str = PrivateAttr("")
    _document: dict[str, Any] = PrivateAttr(default_factory=dict)

    @field_validator("conflicts")
    @classmethod
    def _unique_conflicts(cls, conflicts: list[Conflict]) -> list[Conflict]:
        names = [conflict.name for conflict in conflicts]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"conflict names must be unique: {', '.join(duplicates)}")
        return conflicts

    @property
    def start(self) -> dt.date:
        """1 January of the first simulated year."""
        return dt.date(self.start_year, 1, 1)

    @property
    def end(self) -> dt.date:
        """1 January after the last simulated year (exclusive)."""
        return dt.date(self.start_year + self.years, 1, 1)

    @property
    def file(self) -> str:
        """The file the scenario was read from."""
        return self._file

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, recorded in reports."""
        return self._sha256

    @property
    def files(self) -> list[str]:
        """The scenario file and the files it extends, in that order."""
        return list(self._files) or [self._file]

    @property
    def overrides(self) -> list[str]:
        """``PATH=VALUE`` overrides applied on top of the files (``--set``)."""
        return list(self._overrides)

    @property
    def allow_extends_outside(self) -> bool:
        """Whether ``extends:`` was allowed outside the scenario's folder (to read it again)."""
        return self._allow_extends_outside

    @property
    def effective_sha256(self) -> str:
        """SHA-256 of the merged document with overrides: what was actually simulated."""
        return self._effective_sha256

    @property
    def document(self) -> dict[str, Any]:
        """The merged document with overrides, as JSON-ready data (dates as text).

        What was simulated, in the words of the files: ``extends:`` resolved, ``--set``
        applied, defaults not filled in. report.json keeps it, so that ``sim compare``
        can say how two runs' scenarios differ. Empty for a scenario not read from a file.
        """
        return self._document

    def year_list(self) -> list[int]:
        """The calendar years simulated."""
        return list(range(self.start_year, self.start_year + self.years))

    @property
    def lead_year(self) -> int:
        """The year summaries lead with: `headline_year`, else the horizon's last year."""
        return self.year_list()[-1] if self.headline_year is None else self.headline_year


def headline_year_problems(scenario: Scenario) -> list[tuple[tuple[str, ...], str]]:
    """`headline_year` outside the horizon: a summary of a year never simulated."""
    years = scenario.year_list()
    if scenario.headline_year is None or scenario.headline_year in years:
        return []
    return [
        (
            ("headline_year",),
            f"must be a year of the horizon, {years[0]} to {years[-1]} "
            f"(start_year {scenario.start_year}, years {scenario.years})",
        )
    ]
