"""What a metric means to a comparison: which way is better, how to say it, what leads.

Metric names are dotted paths (DESIGN §6): ``item.<item>.<measure>[.<year>]``,
``item.<item>.owner.<owner>.stock_end.<year>``, ``line.<line>.<measure>[.<year>]``,
``ships.…``, ``engines.…``. Names of items and lines cannot contain dots, so splitting on
dots is exact. What a comparison needs to know about a metric — which way is better, its
wording, whether it leads — is its family's, in :mod:`sim.catalogue`; this module takes
names apart, by their family's pattern, to say who a metric is about.

Repair metrics name who they are about differently: ``ships.<measure>`` covers all
fleets, ``ships.fleet.<fleet>.…`` and ``ships.yard.<yard>.…`` one fleet or yard;
``engines.<type>.…`` one engine type (its subject), ``engines.<type>.depot.<depot>.…``
one of its depots.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.catalogue import ITEM_STOCK_END, SPENDING, Direction, Family, family_of

REPAIR_GROUPS = ("ships", "engines")
"""The first part of every repair metric's name (its catalogue pattern's group)."""
SUBJECTS = ("{item}", "{line}", "{engine}")
"""Pattern fields that name who a metric is about, when they follow the group."""


@dataclass(frozen=True)
class MetricName:
    """A metric name taken apart: ``item.PAC-3 MSE.owner.US.stock_end.2030`` is group
    ``item``, subject ``PAC-3 MSE``, qualifier ``("owner", "US")``, measure ``stock_end``,
    year 2030."""

    name: str
    group: str
    subject: str | None
    qualifier: tuple[str, ...]
    measure: str
    year: int | None

    @property
    def family(self) -> Family:
        """The catalogue's family of this metric (UnknownMetric if it has none)."""
        return family_of(self.name)[0]

    @property
    def fields(self) -> dict[str, str | int]:
        """The values of the family's fields in this name."""
        return family_of(self.name)[1]

    @property
    def direction(self) -> Direction | None:
        """Which way is better for this metric, or None when neither is."""
        return self.family.direction

    @property
    def per_job(self) -> str | None:
        """For a mean over repair jobs, what one job is: 'availability' or 'repair'."""
        return self.family.per_job


def parse_metric(name: str) -> MetricName:
    """Take a metric name apart by its catalogue family (see :class:`MetricName`).

    The family's pattern says which parts of the name are fields: the year, and the
    subject (an item, line or engine type) where the pattern has one right after the group.
    """
    family, fields = family_of(name)
    parts = name.split(".")  # exact: the catalogue's names of fields contain no dots
    pattern = family.pattern.split(".")
    year = fields.get("year")
    if pattern[-1] == "{year}":
        parts, pattern = parts[:-1], pattern[:-1]
    group = parts[0]
    has_subject = len(pattern) > 2 and pattern[1] in SUBJECTS
    subject = parts[1] if has_subject else None
    rest = parts[2:] if has_subject else parts[1:] or [group]
    return MetricName(name, group, subject, tuple(rest[:-1]), rest[-1], _year(year))


def _year(value: str | int | None) -> int | None:
    return None if value is None else int(value)


def phrase(metric: MetricName, years: list[int]) -> str:
    """What the metric counts, without its item or line: 'stock at end of 2030'."""
    return metric.family.words(metric.fields, years)


def heading(metric: MetricName) -> str:
    """Who the metric is about: 'PAC-3 MSE', 'Line pac3-us', 'Ships, all fleets', 'Fleet
    west', 'Yard maizuru', 'F110', 'F110 depot japan-hub'."""
    fields = metric.fields
    if "item" in fields:
        return str(fields["item"])
    if "line" in fields:
        return f"Line {fields['line']}"
    if "fleet" in fields:
        return f"Fleet {fields['fleet']}"
    if "yard" in fields:
        return f"Yard {fields['yard']}"
    if "depot" in fields:
        return f"{fields['engine']} depot {fields['depot']}"
    if "engine" in fields:
        return str(fields["engine"])
    return "Ships, all fleets"


def subject(metric: MetricName) -> str:
    """Who or what a metric's sentence is about: 'PAC-3 MSE', 'Line pac3-us', 'Ship' (all
    fleets: 'Ship maintenance delay'), 'Spending' ('Spending on units and investments')."""
    if metric.family.pattern.startswith(f"{SPENDING}."):
        return "Spending"
    if metric.fields.keys() <= {"year"}:
        return "Ship"
    return heading(metric)


def label(metric: MetricName, years: list[int]) -> str:
    """The metric in words: 'PAC-3 MSE stock at end of 2030', 'Line pac3-us total output',
    'Ship maintenance delay', 'F110 bare firewalls', 'Spending on investments in 2030'."""
    return f"{subject(metric)} {phrase(metric, years)}"


def end_items(names: list[str]) -> list[str]:
    """Items with a stock (they have ``stock_end`` per year), in the order of `names`."""
    found = (family_of(name) for name in names)
    stocked = (str(fields["item"]) for family, fields in found if family is ITEM_STOCK_END)
    return list(dict.fromkeys(stocked))


def lines(names: list[str]) -> list[str]:
    """Production lines, in the order of `names`."""
    found = (family_of(name)[1] for name in names)
    return list(dict.fromkeys(str(fields["line"]) for fields in found if "line" in fields))


def is_headline(metric: MetricName, stocked: set[str]) -> bool:
    """Whether the comparison leads with this metric: its family's headline role in
    :mod:`sim.catalogue`, and for an item's metric, only an end item's (one in `stocked`).

    Per end item: deliveries and end-of-year stock every year, shortfall and recovery
    over the horizon; per line: total output and days starved of inputs; ship repair
    over all fleets, per fleet and per yard, and per engine type, over the horizon.
    Per-owner and per-depot splits and the other measures are in comparison.json only.
    """
    if metric.family.headline is None:
        return False
    return "item" not in metric.fields or metric.fields["item"] in stocked
