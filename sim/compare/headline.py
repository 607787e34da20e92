"""Which compared metrics a reader sees first, and in what order.

The headline metrics (see :func:`sim.compare.measures.is_headline`) are kept in two
orders: grouped by item, line, ship repair and engine type, as the runs list them, for
the detailed tables and
the forest plot; and by effect size — the absolute standardised difference, largest
first — for "what changed most". The forest plot keeps one row per measure: yearly
measures appear for the last year only, since the difference fan charts show every year.
"""

from __future__ import annotations

import math

from sim.compare.comparison import Comparison, MetricComparison
from sim.compare.measures import end_items, is_headline, lines


def headline(comparison: Comparison) -> list[MetricComparison]:
    """The headline metrics both runs report, grouped: end items, lines, ship repair
    (all fleets, then each fleet and yard), then engine types."""
    names = list(comparison.metrics)
    items, production = end_items(names), lines(names)
    reported = {name: index for index, name in enumerate(names)}
    chosen = [
        entry for entry in comparison.metrics.values() if is_headline(entry.metric, set(items))
    ]

    def position(entry: MetricComparison) -> tuple[int, int]:
        if entry.metric.group == "item":
            return 0, items.index(entry.metric.subject or "")
        if entry.metric.group == "line":
            return 1, production.index(entry.metric.subject or "")
        # Repair metrics keep the runs' order, which already groups fleets, yards and types.
        return (2 if entry.metric.group == "ships" else 3), reported[entry.metric.name]

    return sorted(chosen, key=position)


def by_effect(entries: list[MetricComparison]) -> list[MetricComparison]:
    """`entries` by absolute standardised difference, largest first; undefined last.

    Python's sort is stable, so metrics with equal effects (all those exactly 0 under
    common random numbers) keep their grouped order.
    """

    def size(entry: MetricComparison) -> float:
        effect = entry.difference.standardised
        return -1.0 if effect is None or math.isnan(effect) else abs(effect)

    return sorted(entries, key=size, reverse=True)


def largest_effects(comparison: Comparison, count: int = 10) -> list[MetricComparison]:
    """The `count` headline measures that changed most, each in its year of largest effect.

    One row per measure (PAC-3 MSE stock, pac3-us output, …), so ten consecutive years
    of one item's stock cannot crowd out everything else; metrics that did not change at
    all are left out.
    """
    changed = [entry for entry in headline(comparison) if entry.difference.diff]
    strongest: dict[tuple, MetricComparison] = {}
    for entry in by_effect(changed):
        metric = entry.metric
        strongest.setdefault(
            (metric.group, metric.subject, metric.qualifier, metric.measure), entry
        )
    return list(strongest.values())[:count]


def forest_rows(comparison: Comparison, year: int | None = None) -> list[MetricComparison]:
    """Headline metrics for the forest plot: yearly measures in `year` only (default:
    the last year; a run's lead uses its scenario's headline year)."""
    if year is None:
        year = comparison.years[-1] if comparison.years else None
    return [
        entry
        for entry in headline(comparison)
        if not entry.metric.family.yearly or entry.metric.year == year
    ]
