"""The report's plain-language sentences: what an analyst reads before any table.

Each function turns facts (see :mod:`sim.report.facts`) into one sentence of plain
text; the renderers escape it. Numbers go through :mod:`sim.report.tables` so a number
in a sentence reads exactly as it does in the table beside it.
"""

from __future__ import annotations

from typing import Any

from sim.report.facts import Bottleneck, ConflictWindow, metric
from sim.report.tables import (
    format_interval,
    format_number,
    format_percent,
    format_spread,
    format_years,
)

READING_GUIDE = (
    "Each number comes from many replications: simulated futures that differ only in the "
    "random draws (dates, growth rates, disruptions, conflicts).",
    "P5–P95 (in brackets after a mean) is the spread across replications: nine futures in "
    "ten fall inside it. It is the uncertainty of the outcome, and more replications do not "
    "shrink it.",
    "95 % CI is the precision of the mean: the range that holds the true mean with 95 % "
    "confidence. More replications narrow it.",
    "Starved days are days a line had capacity but lacked inputs (part of a day when it could "
    "start only some units): the sign that the bottleneck is upstream, at its suppliers. "
    "Funding-capped and disrupted days count capacity lost to orders and to disruptions.",
)

RECOVERY_NOTE = (
    "Stockpile recovery: days from a conflict's start until the item's total stock is back at "
    "its level when the conflict began. Replications where the conflict did not happen, or "
    "stock had not recovered by the end of the horizon, have no value; the second column "
    "counts those that have one."
)


def item_summary(report: dict[str, Any], item: str, unit: str) -> str:
    """The item's totals over the horizon, from whichever of them the run reports."""
    years = report["years"]
    key = f"item.{item}"
    parts = []
    if summary := metric(report, f"{key}.deliveries"):
        parts.append(f"{format_spread(summary, unit)} delivered")
    if summary := metric(report, f"{key}.cost_musd"):
        parts.append(f"worth {format_number(summary['mean'])} million US$")
    if summary := metric(report, f"{key}.shortfall"):
        parts.append(f"{format_spread(summary, unit)} of demand not met when due")
    if summary := metric(report, f"{key}.backorder_end"):
        owed = format_number(summary["mean"])
        still = f"{owed} {unit} still on backorder at the end"
        parts.append(still if owed != "0" else "no backorders left at the end")
    if summary := metric(report, f"{key}.stock_end.{years[-1]}"):
        parts.append(f"{format_spread(summary, unit)} in stock on 31 December {years[-1]}")
    return f"In {format_years(years)}: " + "; ".join(parts) + "."


def bottleneck_verdict(fed: list[Bottleneck], horizon: int) -> str:
    """The plain-language verdict on the line most starved of inputs.

    `fed` holds the lines that have inputs, worst first; only they can be starved.
    """
    if not fed:
        return "No line in this scenario has inputs, so none can be starved of them."
    worst = fed[0]
    if worst.starved_days <= 0:
        return "No line waited for inputs: the suppliers kept up with every line."
    return (
        f"{worst.line.name} was short of inputs for {format_number(worst.starved_days)} of "
        f"{horizon:,} days on average (95 % CI {format_interval(worst.starved)}) — its "
        f"suppliers ({', '.join(worst.line.suppliers)}) limit it."
    )


def other_causes(ranked: list[Bottleneck]) -> list[str]:
    """Who lost most to funding caps and to disruptions, when anyone did."""
    sentences = []
    funding = max(ranked, key=lambda entry: entry.funding_capped_days, default=None)
    if funding is not None and funding.funding_capped_days > 0:
        days = format_number(funding.funding_capped_days)
        sentences.append(f"Orders held back {funding.line.name} most: {days} days on average.")
    disrupted = max(ranked, key=lambda entry: entry.disrupted_days, default=None)
    if disrupted is not None and disrupted.disrupted_days > 0:
        days = format_number(disrupted.disrupted_days)
        sentences.append(f"Disruptions cost {disrupted.line.name} most: {days} days on average.")
    return sentences


def describe_conflict(window: ConflictWindow) -> str:
    """When a conflict falls, how long it lasts, how likely it is and what it draws."""
    start, latest = window.earliest_start.isoformat(), window.latest_start.isoformat()
    when = f"starts {start}" if window.start_is_fixed else f"starts between {start} and {latest}"
    days = format_number(window.mean_days)
    lasting = f"lasts {days} days" + ("" if window.duration_is_fixed else " on average")
    if window.probability >= 1:
        chance = "happens in every replication"
    else:
        chance = f"happens in {format_percent(window.probability)} of replications"
    draws = ", ".join(
        f"{format_number(rate)} {item} a day from {owner}"
        for item, owner, rate in window.consumption
    )
    return f"{window.name}: {when}, {lasting}, {chance}" + (f"; draws {draws}." if draws else ".")


def never_recovered(items: list[str]) -> str:
    """The items whose stock never got back to its pre-conflict level."""
    names = items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
    whose = "its" if len(items) == 1 else "their"
    return (
        f"{names} did not get back to {whose} pre-conflict stock within the horizon in any "
        "replication."
    )
