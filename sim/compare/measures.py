"""What a metric means to a comparison: which way is better, how to say it, what leads.

Metric names are dotted paths (DESIGN §6): ``item.<item>.<measure>[.<year>]``,
``item.<item>.owner.<owner>.stock_end.<year>``, ``line.<line>.<measure>[.<year>]``,
``ships.…``, ``engines.…``. Names of items and lines cannot contain dots, so splitting on
dots is exact. Everything a comparison needs to know about a measure is in the tables
below, so adding a measure to the simulator means adding one row here.

Repair metrics name who they are about differently: ``ships.<measure>`` covers all
fleets, ``ships.fleet.<fleet>.…`` and ``ships.yard.<yard>.…`` one fleet or yard;
``engines.<type>.…`` one engine type (its subject), ``engines.<type>.depot.<depot>.…``
one of its depots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sim.repair.tallies import WAIT_THRESHOLDS

Direction = Literal["higher", "lower"]

BETTER: dict[str, Direction] = {
    # More units made, delivered, held or used is better for a capacity question.
    "deliveries": "higher",
    "stock_end": "higher",
    "output": "higher",
    "started": "higher",
    "consumed": "higher",  # demand that was met
    "utilisation": "higher",  # of a line's capacity: idle capacity is waste
    "availability": "higher",
    # Unmet demand, waiting and capacity lost to failures are worse.
    "shortfall": "lower",
    "backorder_end": "lower",
    "recovery_days": "lower",
    "starved_days": "lower",
    "disrupted_days": "lower",
    "wait_days": "lower",
    "delay_days": "lower",
    "late_share": "lower",
    "planned_delay_days": "lower",
    "planned_late_share": "lower",
    "bare_firewalls": "lower",
    "depot_wait_days": "lower",
    # Ships and aircraft out of service, and the queues that keep them there, are worse.
    "ship_days_unavailable": "lower",
    "turnaround_days": "lower",
    "backlog": "lower",
    "in_repair": "lower",
    **{f"waited_over_{days}_days": "lower" for days in WAIT_THRESHOLDS},
    "opened": "higher",  # a certified depot that opens adds repair capacity
}
"""Which way is better, per measure. Deliberately absent, so without a direction:
``cost_musd`` (spending rises with deliveries; whether that is good is the analyst's
call), ``funding_capped_days`` (a budget decision, not a failure: more capped days can
mean more capacity was built than ordered), ``scrapped`` and ``in_flow_end`` (they grow
with output), the counts of availabilities, removals and repairs (they follow the
workload), and any measure not listed."""

REPAIR_GROUPS = ("ships", "engines")
UNDIRECTED_IN_REPAIR = ("utilisation",)
"""A busier yard or depot is neither better nor worse: capacity added elsewhere lowers its
utilisation and shortens every queue, so the measure keeps no direction there."""

PHRASES: dict[str, tuple[str, str]] = {
    # measure: (phrase for one year, phrase over the horizon); {year}/{years} filled in.
    "deliveries": ("deliveries in {year}", "deliveries, {years}"),
    "stock_end": ("stock at end of {year}", "stock at the end"),
    "shortfall": ("shortfall in {year}", "shortfall, {years}"),
    "consumed": ("consumed in {year}", "consumed (requirements met), {years}"),
    "backorder_end": ("backorder at end of {year}", "on backorder at the end"),
    "recovery_days": ("days to recover in {year}", "days for stock to recover from a conflict"),
    "cost_musd": ("cost in {year}", "cost of deliveries to stock, {years}"),
    "output": ("output in {year}", "total output, {years}"),
    "started": ("units started in {year}", "units started, {years}"),
    "scrapped": ("units scrapped in {year}", "units scrapped, {years}"),
    "in_flow_end": ("in flow at end of {year}", "units in flow at the end"),
    "utilisation": ("utilisation in {year}", "utilisation"),
    "starved_days": ("days starved of inputs in {year}", "days starved of inputs"),
    "funding_capped_days": ("days capped by funding in {year}", "days capped by funding"),
    "disrupted_days": ("days disrupted in {year}", "days disrupted"),
    # Ship repair: read after "Ship", "Fleet west" or "Yard maizuru".
    "availabilities": ("availabilities completed in {year}", "availabilities completed, {years}"),
    "open_end": ("availabilities open at end of {year}", "availabilities still open at the end"),
    "wait_days": ("wait for a berth in {year}", "wait for a berth"),
    "delay_days": ("maintenance delay in {year}", "maintenance delay"),
    "late_share": ("availabilities finished late in {year}", "availabilities finished late"),
    "planned_availabilities": (
        "planned availabilities completed in {year}",
        "planned availabilities completed, {years}",
    ),
    "planned_delay_days": ("delay of planned availabilities in {year}", "planned delay"),
    "planned_late_share": (
        "planned availabilities finished late in {year}",
        "planned availabilities finished late",
    ),
    "ship_days_unavailable": ("days in maintenance in {year}", "days in maintenance, {years}"),
    # Engine repair: read after "F110" or "F110 depot hub".
    "removals": ("engine removals in {year}", "engine removals, {years}"),
    "repairs": ("repairs in {year}", "repairs, {years}"),
    "depot_wait_days": ("wait for a repair line in {year}", "wait for a repair line"),
    "turnaround_days": ("turnaround in {year}", "turnaround"),
    "backlog": ("backlog awaiting repair in {year}", "backlog awaiting repair"),
    "in_repair": ("engines in repair in {year}", "engines in repair"),
    "bare_firewalls": ("bare firewalls in {year}", "bare firewalls"),
    # engine positions filled, not aircraft availability (other causes ground aircraft too)
    "availability": ("engine positions filled in {year}", "engine positions filled"),
    "opened": ("opened in {year}", "opened (share of replications)"),
    **{
        f"waited_over_{days}_days": (
            "",
            f"share that waited over {days} days" if days else "share that waited at all",
        )
        for days in WAIT_THRESHOLDS
    },
}

PER_JOB = {
    "wait_days": "availability",
    "delay_days": "availability",
    "planned_delay_days": "availability",
    "depot_wait_days": "repair",
    "turnaround_days": "repair",
}
"""Repair durations are means over jobs: '−9.8 days per availability', not '−9.8 days'."""

HEADLINE_ITEM_YEARLY = ("deliveries", "stock_end")
"""Measures of an end item shown for every year."""
HEADLINE_ITEM_TOTAL = ("shortfall", "recovery_days")
"""Measures of an end item shown over the whole horizon."""
HEADLINE_LINE_TOTAL = ("output", "starved_days")
"""Measures of a line shown over the whole horizon: what it made, and whether it waited."""
HEADLINE_SHIPS = (
    "wait_days",
    "delay_days",
    "planned_late_share",
    "late_share",
    "ship_days_unavailable",
)
"""Ship repair over all fleets: the queue, the lateness and the ships it costs."""
HEADLINE_FLEET = ("delay_days", "ship_days_unavailable")
"""Per fleet: how late, and how many ship-days out of service."""
HEADLINE_YARD = ("utilisation",)
"""Per yard: where the work went."""
HEADLINE_ENGINE = ("bare_firewalls", "availability", "depot_wait_days", "turnaround_days")
"""Per engine type: what the aircraft lose, and the depot queue behind it."""


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
    def direction(self) -> Direction | None:
        """Which way is better for this metric, or None when neither is."""
        if self.group in REPAIR_GROUPS and self.measure in UNDIRECTED_IN_REPAIR:
            return None
        return BETTER.get(self.measure)


def parse_metric(name: str) -> MetricName:
    """Split a dotted metric name into its parts (see :class:`MetricName`)."""
    parts = name.split(".")
    year = None
    if len(parts) > 2 and len(parts[-1]) == 4 and parts[-1].isdigit():
        year = int(parts[-1])
        parts = parts[:-1]
    group = parts[0]
    has_subject = group in ("item", "line", "engines") and len(parts) >= 3
    subject = parts[1] if has_subject else None
    rest = parts[2:] if has_subject else parts[1:] or [group]
    return MetricName(name, group, subject, tuple(rest[:-1]), rest[-1], year)


def phrase(metric: MetricName, years: list[int]) -> str:
    """What the metric counts, without its item or line: 'stock at end of 2030'."""
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else ""
    yearly, total = PHRASES.get(metric.measure, ("", ""))
    template = yearly if metric.year is not None else total
    if not template:
        words = metric.measure.replace("_", " ")
        template = f"{words} in {{year}}" if metric.year is not None else words
    text = template.format(year=metric.year, years=span)
    if metric.qualifier[:1] == ("owner",) and len(metric.qualifier) == 2:
        text = f"{text} held by {metric.qualifier[1]}"
    elif metric.qualifier and metric.group not in REPAIR_GROUPS:
        text = f"{' '.join(metric.qualifier)} {text}"
    return text


def heading(metric: MetricName) -> str:
    """Who the metric is about: 'PAC-3 MSE', 'Line pac3-us', 'Ships, all fleets', 'Fleet
    west', 'Yard maizuru', 'F110', 'F110 depot japan-hub'."""
    qualifier = metric.qualifier
    if metric.group == "item" and metric.subject is not None:
        return metric.subject
    if metric.group == "line" and metric.subject is not None:
        return f"Line {metric.subject}"
    if metric.group == "ships":
        if len(qualifier) == 2:
            return f"{qualifier[0].capitalize()} {qualifier[1]}"
        return "Ships, all fleets"
    if metric.group == "engines" and metric.subject is not None:
        return " ".join((metric.subject, *qualifier))
    return metric.group.capitalize()


def label(metric: MetricName, years: list[int]) -> str:
    """The metric in words: 'PAC-3 MSE stock at end of 2030', 'Line pac3-us total output',
    'Ship maintenance delay', 'F110 bare firewalls'."""
    who = "Ship" if metric.group == "ships" and not metric.qualifier else heading(metric)
    return f"{who} {phrase(metric, years)}"


def end_items(names: list[str]) -> list[str]:
    """Items with a stock (they have ``stock_end`` per year), in the order of `names`."""
    items = (parse_metric(name) for name in names)
    found = (m.subject for m in items if m.group == "item" and m.measure == "stock_end")
    return list(dict.fromkeys(subject for subject in found if subject is not None))


def lines(names: list[str]) -> list[str]:
    """Production lines, in the order of `names`."""
    found = (parse_metric(name) for name in names)
    return list(dict.fromkeys(m.subject for m in found if m.group == "line" and m.subject))


def is_headline(metric: MetricName, stocked: set[str]) -> bool:
    """Whether the comparison leads with this metric (see the HEADLINE_* tables).

    Per end item: deliveries and end-of-year stock every year, shortfall and recovery
    over the horizon; per line: total output and days starved of inputs; ship repair
    over all fleets, per fleet and per yard, and per engine type, over the horizon.
    Per-owner and per-depot splits and the other measures are in comparison.json only.
    """
    measure, qualifier = metric.measure, metric.qualifier
    if metric.group == "ships" and metric.year is None:
        chosen = {(): HEADLINE_SHIPS, ("fleet",): HEADLINE_FLEET, ("yard",): HEADLINE_YARD}
        return measure in chosen.get(qualifier[:1], ())
    if metric.group == "engines" and metric.year is None and not qualifier:
        return measure in HEADLINE_ENGINE
    if qualifier:
        return False
    if metric.group == "item" and metric.subject in stocked:
        if metric.year is not None:
            return measure in HEADLINE_ITEM_YEARLY
        return measure in HEADLINE_ITEM_TOTAL
    if metric.group == "line":
        return metric.year is None and measure in HEADLINE_LINE_TOTAL
    return False
