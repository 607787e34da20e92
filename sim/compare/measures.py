"""What a metric means to a comparison: which way is better, how to say it, what leads.

Metric names are dotted paths (DESIGN §6): ``item.<item>.<measure>[.<year>]``,
``item.<item>.owner.<owner>.stock_end.<year>``, ``line.<line>.<measure>[.<year>]``,
``ships.…``, ``engines.…``. Names of items and lines cannot contain dots, so splitting on
dots is exact. Everything a comparison needs to know about a measure is in the tables
below, so adding a measure to the simulator means adding one row here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    "bare_firewalls": "lower",
    "depot_wait_days": "lower",
}
"""Which way is better, per measure. Deliberately absent, so without a direction:
``cost_musd`` (spending rises with deliveries; whether that is good is the analyst's
call), ``funding_capped_days`` (a budget decision, not a failure: more capped days can
mean more capacity was built than ordered), ``scrapped`` and ``in_flow_end`` (they grow
with output), and any measure not listed."""

PHRASES: dict[str, tuple[str, str]] = {
    # measure: (phrase for one year, phrase over the horizon); {year}/{years} filled in.
    "deliveries": ("deliveries in {year}", "deliveries, {years}"),
    "stock_end": ("stock at end of {year}", "stock at the end"),
    "shortfall": ("shortfall in {year}", "shortfall, {years}"),
    "consumed": ("consumed in {year}", "consumed (demand met), {years}"),
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
}

HEADLINE_ITEM_YEARLY = ("deliveries", "stock_end")
"""Measures of an end item shown for every year."""
HEADLINE_ITEM_TOTAL = ("shortfall", "recovery_days")
"""Measures of an end item shown over the whole horizon."""
HEADLINE_LINE_TOTAL = ("output", "starved_days")
"""Measures of a line shown over the whole horizon: what it made, and whether it waited."""


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
        return BETTER.get(self.measure)


def parse_metric(name: str) -> MetricName:
    """Split a dotted metric name into its parts (see :class:`MetricName`)."""
    parts = name.split(".")
    year = None
    if len(parts) > 2 and len(parts[-1]) == 4 and parts[-1].isdigit():
        year = int(parts[-1])
        parts = parts[:-1]
    group = parts[0]
    has_subject = group in ("item", "line") and len(parts) >= 3
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
    elif metric.qualifier:
        text = f"{' '.join(metric.qualifier)} {text}"
    return text


def label(metric: MetricName, years: list[int]) -> str:
    """The metric in words: 'PAC-3 MSE stock at end of 2030', 'Line pac3-us total output'."""
    if metric.group == "item" and metric.subject is not None:
        return f"{metric.subject} {phrase(metric, years)}"
    if metric.group == "line" and metric.subject is not None:
        return f"Line {metric.subject} {phrase(metric, years)}"
    return f"{metric.group.capitalize()} {phrase(metric, years)}"


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
    over the horizon; per line: total output and days starved of inputs. Per-owner
    splits and the other measures are in comparison.json only.
    """
    if metric.qualifier:
        return False
    if metric.group == "item" and metric.subject in stocked:
        if metric.year is not None:
            return metric.measure in HEADLINE_ITEM_YEARLY
        return metric.measure in HEADLINE_ITEM_TOTAL
    if metric.group == "line":
        return metric.year is None and metric.measure in HEADLINE_LINE_TOTAL
    return False
