"""Every metric the simulator reports, defined once: name, unit, direction, wording, headline.

A metric name is a contract (DESIGN §6): scripts and notebooks read ``report.json`` by
name, so a name spelled in two places is a name that can drift. Each *family* here — one
measure of one kind of subject, such as ``item.{item}.deliveries.{year}`` — is the only
place its name is spelled. The builders (:mod:`sim.production.outcomes`, :mod:`sim.repair.metrics`)
make names through :meth:`Family.name`; the readers (reports, comparison, sensitivity,
``--precision``) find what a name means through :func:`family_of`, which fails loudly on
a name no family has (a typo would otherwise show as a silent dash in a report).

What a family knows:

* **unit** — fixed ("days", "fraction", …) or ``None`` for the unit of the item the
  metric counts (missiles, motors, …), which only the scenario knows;
* **direction** — whether more is better (``"higher"``), worse (``"lower"``) or neither
  (``None``: spending, the counts of jobs that follow the workload, and the utilisation of
  a yard or depot, where capacity added elsewhere lowers it and shortens every queue);
* **wording** — what it counts, without who it is about ("deliveries in {year}",
  "maintenance delay"); ``{years}`` is the horizon, other fields are the name's;
* **headline** — ``None``, ``"shown"`` (a comparison leads with it) or ``"lead"``
  (shown, and also the default a sensitivity study explains and ``--precision`` drives;
  for a family with a year, the last year's). One definition, read by all three.

Names of items, lines, owners, fleets, yards, engine types and depots cannot contain dots
(the scenario rejects them), so a name parses back into exactly one family.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from sim.repair.tallies import WAIT_THRESHOLDS

Direction = Literal["higher", "lower"]
Headline = Literal["shown", "lead"]

_FIELD_PATTERNS = {"year": r"(\d{4})", "threshold": r"(\d+)"}
"""What a field matches inside a name; any other field is a name without dots."""
_NUMERIC_FIELDS = ("year", "threshold")


class UnknownMetric(KeyError):
    """A metric name that no family of the catalogue has: a typo, or a missing family."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Family:
    """One measure of one kind of subject; see the module docstring for the fields."""

    pattern: str
    unit: str | None
    direction: Direction | None
    wording: str
    headline: Headline | None = None
    per_job: str | None = None
    """For a mean over repair jobs, what one job is ('availability', 'repair'), so a
    difference reads '−9.8 days per availability'."""
    fields: tuple[str, ...] = field(init=False)
    _regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = list(string.Formatter().parse(self.pattern))
        names = tuple(name for _, name, _, _ in parts if name)
        regex = "".join(
            re.escape(text) + (_FIELD_PATTERNS.get(name, r"([^.]+)") if name else "")
            for text, name, _, _ in parts
        )
        object.__setattr__(self, "fields", names)
        object.__setattr__(self, "_regex", re.compile(regex))

    @property
    def measure(self) -> str:
        """The last word of the pattern that is not a field: 'deliveries', 'wait_days'."""
        words = [w for w in self.pattern.split(".") if not w.startswith("{")]
        return words[-1].replace("{threshold}", "N")

    @property
    def yearly(self) -> bool:
        """Whether the family has one metric per calendar year."""
        return "year" in self.fields

    def name(self, **values: object) -> str:
        """The metric's name for these field values: ``name(item="SRM", year=2030)``."""
        if set(values) != set(self.fields):
            raise TypeError(f"{self.pattern} takes {', '.join(self.fields)}, got {sorted(values)}")
        return self.pattern.format(**values)

    def match(self, name: str) -> dict[str, str | int] | None:
        """The field values if `name` belongs to this family, else None."""
        found = self._regex.fullmatch(name)
        if found is None:
            return None
        return {
            key: int(value) if key in _NUMERIC_FIELDS else value
            for key, value in zip(self.fields, found.groups(), strict=True)
        }

    def unit_for(self, item_unit: str | None = None) -> str:
        """The unit: the family's own, or the counted item's when it has none."""
        if self.unit is not None:
            return self.unit
        if item_unit is None:
            raise ValueError(f"{self.pattern} is counted in its item's unit; pass it")
        return item_unit

    def words(self, values: dict[str, str | int], years: list[int]) -> str:
        """The wording with the name's fields and the horizon ('2026–2035') filled in."""
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else ""
        return self.wording.format(**values, years=span)


def _family(
    pattern: str,
    unit: str | None,
    direction: Direction | None,
    wording: str,
    headline: Headline | None = None,
    per_job: str | None = None,
) -> Family:
    return Family(pattern, unit, direction, wording, headline, per_job)


# -- production: items ----------------------------------------------------------------
ITEM = "item.{item}"
ITEM_DELIVERIES_IN_YEAR = _family(
    f"{ITEM}.deliveries.{{year}}", None, "higher", "deliveries in {year}", "shown"
)
ITEM_DELIVERIES = _family(f"{ITEM}.deliveries", None, "higher", "deliveries, {years}")
ITEM_STOCK_END = _family(
    f"{ITEM}.stock_end.{{year}}", None, "higher", "stock at end of {year}", "lead"
)
ITEM_OWNER_STOCK_END = _family(
    f"{ITEM}.owner.{{owner}}.stock_end.{{year}}",
    None,
    "higher",
    "stock at end of {year} held by {owner}",
)
ITEM_SHORTFALL = _family(f"{ITEM}.shortfall", None, "lower", "shortfall, {years}", "shown")
ITEM_SHORTFALL_IN_YEAR = _family(f"{ITEM}.shortfall.{{year}}", None, "lower", "shortfall in {year}")
ITEM_CONSUMED = _family(f"{ITEM}.consumed", None, "higher", "consumed (requirements met), {years}")
ITEM_BACKORDER_END = _family(f"{ITEM}.backorder_end", None, "lower", "on backorder at the end")
ITEM_DEMAND_SHORTFALL = _family(
    f"{ITEM}.demand.shortfall", None, "lower", "demand shortfall, {years}"
)
ITEM_CONFLICT_CONSUMED = _family(
    f"{ITEM}.conflict.consumed", None, "higher", "conflict consumed (requirements met), {years}"
)
ITEM_CONFLICT_SHORTFALL = _family(
    f"{ITEM}.conflict.shortfall", None, "lower", "conflict shortfall, {years}"
)
ITEM_RECOVERY_DAYS = _family(
    f"{ITEM}.recovery_days", "days", "lower", "days for stock to recover from a conflict", "shown"
)
ITEM_COST = _family(
    f"{ITEM}.cost_musd", "million US$", None, "cost of deliveries to stock, {years}"
)
ITEM_UNIT_COST_IN_YEAR = _family(
    f"{ITEM}.unit_cost.{{year}}",
    "million US$",
    "lower",
    "mean unit cost of units accepted in {year}",
)

# -- production: lines ----------------------------------------------------------------
LINE = "line.{line}"
LINE_OUTPUT_IN_YEAR = _family(f"{LINE}.output.{{year}}", None, "higher", "output in {year}")
LINE_OUTPUT = _family(f"{LINE}.output", None, "higher", "total output, {years}", "shown")
LINE_STARTED = _family(f"{LINE}.started", None, "higher", "units started, {years}")
LINE_SCRAPPED = _family(f"{LINE}.scrapped", None, None, "units scrapped, {years}")
LINE_IN_FLOW_END = _family(f"{LINE}.in_flow_end", None, None, "units in flow at the end")
LINE_UTILISATION = _family(f"{LINE}.utilisation", "fraction", "higher", "utilisation")
LINE_STARVED_DAYS = _family(
    f"{LINE}.starved_days", "days", "lower", "days starved of inputs", "shown"
)
LINE_INPUT_STARVED_DAYS = _family(
    f"{LINE}.starved_days.{{item}}", "days", "lower", "days starved of {item}"
)
LINE_FUNDING_CAPPED_DAYS = _family(
    f"{LINE}.funding_capped_days", "days", None, "days capped by funding"
)
LINE_DISRUPTED_DAYS = _family(f"{LINE}.disrupted_days", "days", "lower", "days disrupted")
LINE_SURGE_OUTPUT_IN_YEAR = _family(
    f"{LINE}.surge_output.{{year}}", None, "higher", "units started on wartime surge in {year}"
)
LINE_SURGE_OUTPUT = _family(
    f"{LINE}.surge_output", None, "higher", "units started on wartime surge, {years}"
)
LINE_SPENDING = _family(f"{LINE}.spending", "million US$", None, "spending on its units, {years}")

# -- spending (sim.costs): what lines are paid for accepted units, and investments ------
SPENDING = "spending"
SPENDING_UNITS_IN_YEAR = _family(
    f"{SPENDING}.units.{{year}}", "million US$", None, "on units accepted in {year}"
)
SPENDING_UNITS = _family(f"{SPENDING}.units", "million US$", None, "on units accepted, {years}")
SPENDING_INVESTMENTS_IN_YEAR = _family(
    f"{SPENDING}.investments.{{year}}", "million US$", None, "on investments in {year}"
)
SPENDING_INVESTMENTS = _family(
    f"{SPENDING}.investments", "million US$", None, "on investments, {years}"
)
SPENDING_TOTAL = _family(
    f"{SPENDING}.total", "million US$", None, "on units and investments, {years}"
)
SPENDING_COUNTRY = _family(
    f"{SPENDING}.country.{{country}}",
    "million US$",
    None,
    "by {country} on units and investments, {years}",
)
LINE_UNFUNDED_DAYS = _family(
    f"{LINE}.unfunded_days", "days", None, "days idle for want of funded orders"
)
LINE_ORDER_BACKLOG_END = _family(
    f"{LINE}.order_backlog_end.{{year}}", None, None, "units awarded, not started, end of {year}"
)


# -- ship repair ----------------------------------------------------------------------
@dataclass(frozen=True)
class ShipJobs:
    """The measures of completed availabilities, for all fleets or for one fleet."""

    availabilities: Family
    planned_availabilities: Family
    planned_delay_days: Family
    planned_late_share: Family
    open_end: Family
    wait_days: Family
    delay_days: Family
    late_share: Family
    ship_days_unavailable: Family
    ship_days_unavailable_in_year: Family
    waited_over: dict[int, Family]
    """Threshold in days → share of availabilities that waited longer than that."""


def _ship_jobs(scope: str, headline: set[str]) -> ShipJobs:
    """The job families under `scope`; those in `headline` lead a comparison."""

    def one(
        measure: str,
        unit: str,
        direction: Direction | None,
        wording: str,
        per_job: str | None = None,
    ) -> Family:
        shown: Headline | None = "shown" if measure in headline else None
        if scope == "ships" and measure == "delay_days":
            shown = "lead"
        return _family(f"{scope}.{measure}", unit, direction, wording, shown, per_job)

    waited = {
        days: one(
            f"waited_over_{days}_days",
            "fraction",
            "lower",
            f"share that waited over {days} days" if days else "share that waited at all",
        )
        for days in WAIT_THRESHOLDS
    }
    return ShipJobs(
        availabilities=one(
            "availabilities", "availabilities", None, "availabilities completed, {years}"
        ),
        planned_availabilities=one(
            "planned_availabilities",
            "availabilities",
            None,
            "planned availabilities completed, {years}",
        ),
        planned_delay_days=one(
            "planned_delay_days", "days", "lower", "planned delay", "availability"
        ),
        planned_late_share=one(
            "planned_late_share", "fraction", "lower", "planned availabilities finished late"
        ),
        open_end=one("open_end", "availabilities", None, "availabilities still open at the end"),
        wait_days=one("wait_days", "days", "lower", "wait for a berth", "availability"),
        delay_days=one("delay_days", "days", "lower", "maintenance delay", "availability"),
        late_share=one("late_share", "fraction", "lower", "availabilities finished late"),
        ship_days_unavailable=one(
            "ship_days_unavailable", "ship-days", "lower", "days in maintenance, {years}"
        ),
        ship_days_unavailable_in_year=one(
            "ship_days_unavailable.{year}", "ship-days", "lower", "days in maintenance in {year}"
        ),
        waited_over=waited,
    )


SHIPS = _ship_jobs(
    "ships",
    {"wait_days", "delay_days", "planned_late_share", "late_share", "ship_days_unavailable"},
)
"""All fleets together: the queue, the lateness and the ships it costs."""
FLEET = _ship_jobs("ships.fleet.{fleet}", {"delay_days", "ship_days_unavailable"})
"""One fleet: how late, and how many ship-days out of service."""
YARD = "ships.yard.{yard}"
YARD_AVAILABILITIES = _family(
    f"{YARD}.availabilities", "availabilities", None, "availabilities completed, {years}"
)
YARD_WAIT_DAYS = _family(
    f"{YARD}.wait_days", "days", "lower", "wait for a berth", per_job="availability"
)
YARD_UTILISATION = _family(f"{YARD}.utilisation", "fraction", None, "utilisation", "shown")
YARD_UTILISATION_IN_YEAR = _family(
    f"{YARD}.utilisation.{{year}}", "fraction", None, "utilisation in {year}"
)

# -- engine repair --------------------------------------------------------------------
ENGINE = "engines.{engine}"
ENGINE_REMOVALS = _family(f"{ENGINE}.removals", "engines", None, "engine removals, {years}")
ENGINE_REPAIRS = _family(f"{ENGINE}.repairs", "engines", None, "repairs, {years}")
ENGINE_DEPOT_WAIT_DAYS = _family(
    f"{ENGINE}.depot_wait_days", "days", "lower", "wait for a repair line", "shown", "repair"
)
ENGINE_TURNAROUND_DAYS = _family(
    f"{ENGINE}.turnaround_days", "days", "lower", "turnaround", "shown", "repair"
)
ENGINE_BACKLOG = _family(f"{ENGINE}.backlog", "engines", "lower", "backlog awaiting repair")
ENGINE_IN_REPAIR = _family(f"{ENGINE}.in_repair", "engines", "lower", "engines in repair")
ENGINE_BARE_FIREWALLS = _family(
    f"{ENGINE}.bare_firewalls", "engine positions", "lower", "bare firewalls", "shown"
)
ENGINE_BARE_FIREWALLS_IN_YEAR = _family(
    f"{ENGINE}.bare_firewalls.{{year}}", "engine positions", "lower", "bare firewalls in {year}"
)
ENGINE_AVAILABILITY = _family(
    f"{ENGINE}.availability", "fraction", "higher", "engine positions filled", "lead"
)
"""Engine positions filled, not aircraft availability: other causes ground aircraft too."""
ENGINE_WAITED_OVER = {
    days: _family(
        f"{ENGINE}.waited_over_{days}_days",
        "fraction",
        "lower",
        f"share that waited over {days} days" if days else "share that waited at all",
    )
    for days in WAIT_THRESHOLDS
}
DEPOT = "engines.{engine}.depot.{depot}"
DEPOT_REPAIRS = _family(f"{DEPOT}.repairs", "engines", None, "repairs, {years}")
DEPOT_WAIT_DAYS = _family(
    f"{DEPOT}.depot_wait_days", "days", "lower", "wait for a repair line", per_job="repair"
)
DEPOT_TURNAROUND_DAYS = _family(
    f"{DEPOT}.turnaround_days", "days", "lower", "turnaround", per_job="repair"
)
DEPOT_BACKLOG = _family(f"{DEPOT}.backlog", "engines", "lower", "backlog awaiting repair")
DEPOT_UTILISATION = _family(f"{DEPOT}.utilisation", "fraction", None, "utilisation")
DEPOT_OPENED = _family(f"{DEPOT}.opened", "fraction", "higher", "opened (share of replications)")


def _collect() -> tuple[Family, ...]:
    found: list[Family] = []
    for value in globals().values():
        if isinstance(value, Family):
            found.append(value)
        elif isinstance(value, ShipJobs):
            for part in vars(value).values():
                found.extend(part.values() if isinstance(part, dict) else [part])
        elif isinstance(value, dict) and all(isinstance(v, Family) for v in value.values()):
            found.extend(value.values())
    return tuple(dict.fromkeys(found))


FAMILIES: tuple[Family, ...] = _collect()
"""Every metric family."""

# -- monthly series (figures) -----------------------------------------------------------
SERIES_ITEM_STOCK = _family(f"{ITEM}.stock", None, "higher", "stock, month ends")
SERIES_SHIPS_UNAVAILABLE = _family(
    "ships.ships_unavailable", "ships", "lower", "ships in maintenance"
)
SERIES_YARD_UTILISATION = _family(f"{YARD}.utilisation", "fraction", None, "utilisation")
SERIES_BARE_FIREWALLS = _family(
    f"{ENGINE}.bare_firewalls", "engine positions", "lower", "bare firewalls"
)
SERIES: tuple[Family, ...] = (
    SERIES_ITEM_STOCK,
    SERIES_SHIPS_UNAVAILABLE,
    SERIES_YARD_UTILISATION,
    SERIES_BARE_FIREWALLS,
)
"""Every monthly series (``report.json``'s ``series``): a namespace of its own, so a
yard's utilisation is both a metric (over the horizon) and a series (by month)."""


@lru_cache(maxsize=65536)
def family_of(name: str) -> tuple[Family, dict[str, str | int]]:
    """The family metric `name` belongs to and its field values.

    Raises :class:`UnknownMetric` (a KeyError) for a name no family has.
    """
    return _find(name, FAMILIES, "metric")


@lru_cache(maxsize=4096)
def series_family_of(name: str) -> tuple[Family, dict[str, str | int]]:
    """The family monthly series `name` belongs to; :class:`UnknownMetric` if none."""
    return _find(name, SERIES, "series")


def is_metric(name: str) -> bool:
    """Whether `name` is spelled like a metric of the catalogue."""
    try:
        family_of(name)
    except UnknownMetric:
        return False
    return True


def _find(name: str, families: tuple[Family, ...], kind: str) -> tuple[Family, dict]:
    found = [(f, values) for f in families if (values := f.match(name)) is not None]
    if len(found) != 1:
        why = "no" if not found else "more than one"
        raise UnknownMetric(f"{name!r}: {why} {kind} family of the catalogue has this name")
    return found[0]


def in_year(name: str, year: int) -> str:
    """The metric of yearly family member `name` (its name without the year, as a
    scenario's ``history:`` writes it) in `year`: ``item.SRM.deliveries`` → ``….2027``.

    Raises :class:`UnknownMetric` unless the result is a metric of a yearly family.
    """
    full = f"{name}.{year}"
    if not family_of(full)[0].yearly:
        raise UnknownMetric(f"{name!r}: no yearly metric family has this name")
    return full


def without_year(name: str) -> str | None:
    """The name of a yearly metric without its year (the inverse of :func:`in_year`), or
    None for a metric with no year."""
    if not family_of(name)[0].yearly:
        return None
    return name.rsplit(".", 1)[0]


def is_lead(name: str, last_year: int) -> bool:
    """Whether `name` is a default metric of a sensitivity study and of ``--precision``:
    a ``"lead"`` family, in the last year for a family with one metric a year."""
    family, values = family_of(name)
    return family.headline == "lead" and values.get("year", last_year) == last_year
