"""The report's plain-language sentences: what an analyst reads before any table.

Each function turns facts (see :mod:`sim.report.facts`) into one sentence of plain
text; the renderers escape it. Numbers go through :mod:`sim.report.tables` so a number
in a sentence reads exactly as it does in the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim import catalogue
from sim.production.surge import Surge
from sim.report.facts import (
    Bottleneck,
    ConflictWindow,
    Shortage,
    conflict_windows,
    end_items,
    metric,
    reported,
)
from sim.report.tables import (
    format_interval,
    format_number,
    format_percent,
    format_spread,
    format_years,
)
from sim.runs.montecarlo import Run

SPREAD_AND_PRECISION = (
    "P5–P95 (in brackets after a mean) is the spread across replications: nine futures in "
    "ten fall inside it. It is the uncertainty of the outcome, and more replications do not "
    "shrink it.",
    "95 % CI is the precision of the mean: the range that holds the true mean with 95 % "
    "confidence. More replications narrow it.",
)
DELIVERIES_GUIDE = (
    "Deliveries of an item in a year are the units that passed acceptance and reached stock "
    "(or the store of the line that uses them) in that calendar year."
)
STOCK_GUIDE = (
    "Stock is counted on 31 December. Shortfall is demand not met on the day it fell due, "
    "summed over the horizon; what is owed stays on backorder and is filled first when stock "
    "arrives."
)
BOTTLENECK_GUIDE = (
    "Starved days are days a line had capacity but lacked inputs (part of a day when it could "
    "start only some units): the sign that the bottleneck is upstream, at its suppliers. "
    "Days short of an input are the starved days on which that input's store at the line "
    "held less than one unit's worth; a day short of two inputs counts for both. "
    "Funding-capped and disrupted days count capacity lost to orders and to disruptions."
)
SHIP_GUIDE = (
    "Ship repair: wait is the days a ship spends at the yard before work on it starts — "
    "queueing for a berth, nothing else. Delay is how many days past its planned completion "
    "(the day it was requested plus its planned duration) an availability finished, so the "
    "passage to the yard, the queue and any overrun all add to it; one finished on time "
    "counts as 0. Late is the share of availabilities with any delay at all. Each of the "
    "three is first averaged over the availabilities completed in a replication, then across "
    "replications; a replication that completed none has no value. Yard utilisation is "
    "berth-days worked over berth-days offered from the day the yard opens."
)
ENGINE_GUIDE = (
    "Engine repair: a removed engine is replaced from the spares; only when none is left "
    "does an aircraft wait for a repaired one, and each engine position left empty meanwhile "
    "is a bare firewall. Bare firewalls are averaged over the whole horizon, and aircraft "
    "availability is 1 − bare firewalls ÷ engine positions: 98 % means two positions in a "
    "hundred were empty on average. Depot wait is the days from an engine's arrival at a "
    "depot to the start of its repair — queueing for a repair line, nothing else."
)


@dataclass(frozen=True)
class Modelled:
    """What a run models, as far as the reading guide is concerned."""

    production: bool = False
    """Production lines (deliveries, bottlenecks)."""
    stock: bool = False
    """Stockpiles of end items (stock, shortfall)."""
    ships: bool = False
    engines: bool = False
    certification: bool = False
    """A depot opens only once certified (a random date, and it may fail)."""
    conflicts: bool = False
    conflict_chance: bool = False
    """A conflict may not happen, or its start or length is uncertain."""
    conflict_consumption: bool = False
    """A conflict draws extra items from stock."""
    conflict_ship_damage: bool = False
    """A conflict adds battle-damage ship repairs."""
    conflict_removals: bool = False
    """A conflict scales engine removals."""

    @classmethod
    def of(cls, run: Run) -> Modelled:
        """What `run`'s scenario models."""
        scenario = run.scenario
        conflicts = scenario.conflicts
        ships, engines = scenario.ship_repair is not None, bool(scenario.engine_repair)
        return cls(
            production=bool(scenario.lines),
            stock=bool(end_items(run)),
            ships=ships,
            engines=engines,
            certification=any(
                depot.certification is not None
                for engine in scenario.engine_repair.values()
                for depot in engine.depots.values()
            ),
            conflicts=bool(conflicts),
            conflict_chance=any(
                window.probability < 1 or not window.start_is_fixed or not window.duration_is_fixed
                for window in conflict_windows(run)
            ),
            conflict_consumption=any(c.consumption_per_day for c in conflicts),
            conflict_ship_damage=ships
            and any(c.ship_damage_per_year.mean() > 0 for c in conflicts),
            conflict_removals=engines
            and any(c.engine_removal_factor.mean() != 1 for c in conflicts),
        )


def reading_guide(modelled: Modelled) -> tuple[str, ...]:
    """'How to read this report': what the numbers mean, for the parts the run models only."""
    paragraphs = [_replications(modelled), *SPREAD_AND_PRECISION]
    items = [DELIVERIES_GUIDE] if modelled.production else []
    items += [STOCK_GUIDE] if modelled.stock else []
    if items:
        paragraphs.append(" ".join(items))
    if modelled.production:
        paragraphs.append(BOTTLENECK_GUIDE)
    if modelled.ships:
        paragraphs.append(SHIP_GUIDE)
    if modelled.engines:
        paragraphs.append(ENGINE_GUIDE)
    if modelled.conflicts:
        paragraphs.append(_conflicts(modelled))
    return tuple(paragraphs)


def _replications(modelled: Modelled) -> str:
    draws = _those_modelled(
        (modelled.production, "growth rates and disruptions of lines"),
        (modelled.ships, "ships' maintenance dates, durations and overruns"),
        (modelled.engines, "engine removals and repair times"),
        (modelled.certification, "whether and when a new depot is certified"),
        (modelled.conflict_chance, "whether and when conflicts happen"),
    )
    which = f" (such as {'; '.join(draws)})" if draws else ""
    return (
        "Each number comes from many replications: simulated futures that differ only in the "
        f"random draws{which}."
    )


def _conflicts(modelled: Modelled) -> str:
    effects = _those_modelled(
        (modelled.conflict_consumption, "draws extra items from stock"),
        (modelled.conflict_ship_damage, "adds battle-damage repairs to the ships' maintenance"),
        (modelled.conflict_removals, "multiplies engine removals by its removal factor"),
    )
    text = (
        "Conflicts: the conflicts section gives each one's dates and how likely it is. One that "
        "is less than certain happens only in that share of replications, so means and spreads "
        "mix futures with and without it."
    )
    if effects:
        text += (
            f" While it lasts it {_and(effects)}; the sections above say which conflict does what."
        )
    return text


def _and(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


RECOVERY_NOTE = (
    "Stockpile recovery: days from a conflict's start until the item's total stock is back at "
    "its level when the conflict began. Replications where the conflict did not happen, or "
    "stock had not recovered by the end of the horizon, have no value; the second column "
    "counts those that have one."
)


SURGE_NOTE = (
    "Wartime surge: units each surging line started beyond what its peacetime capacity "
    "allowed, by year of start, mean with P5–P95 over all replications (those without a "
    "surge count zero). A line held back by its inputs makes little surge output however "
    "much capacity the surge adds. Units are delivered a flow time later, less those that "
    "fail acceptance. The surge's effect on stocks and shortfall, including what surging "
    "lines take from others that share their suppliers, is a comparison: run the scenario "
    "without it (same seed) and compare the two runs (sim compare)."
)


def item_summary(report: dict[str, Any], item: str, unit: str) -> str:
    """The item's totals over the horizon, from whichever of them the run reports."""
    years = report["years"]
    parts = []
    if summary := reported(report, catalogue.ITEM_DELIVERIES, item=item):
        parts.append(f"{format_spread(summary, unit)} delivered")
    if summary := reported(report, catalogue.ITEM_COST, item=item):
        parts.append(f"worth {format_number(summary['mean'])} million US$")
    if summary := reported(report, catalogue.ITEM_SHORTFALL, item=item):
        short = f"{format_spread(summary, unit)} of demand not met when due"
        if conflict := reported(report, catalogue.ITEM_CONFLICT_SHORTFALL, item=item):
            # who went short: the war's lost shots and peacetime demand that waited
            peacetime = metric(report, catalogue.ITEM_DEMAND_SHORTFALL, item=item)
            short += f" ({format_number(conflict['mean'])} of conflict consumption"
            if peacetime:
                short += f", {format_number(peacetime['mean'])} of peacetime demand"
            short += ")"
        parts.append(short)
    if summary := reported(report, catalogue.ITEM_BACKORDER_END, item=item):
        owed = format_number(summary["mean"])
        still = f"{owed} {unit} still on backorder at the end"
        parts.append(still if owed != "0" else "no backorders left at the end")
    if summary := reported(report, catalogue.ITEM_STOCK_END, item=item, year=years[-1]):
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
    limiting = worst.limiting
    if limiting is None:  # a report written before inputs were counted apart
        return (
            f"{worst.line.name} was short of inputs for {format_number(worst.starved_days)} of "
            f"{horizon:,} days on average (95 % CI {format_interval(worst.starved)}) — its "
            f"suppliers ({', '.join(worst.line.suppliers)}) limit it."
        )
    text = (
        f"{worst.line.name} was starved of {limiting.item} ({supplied_by(limiting)}) on "
        f"{format_number(limiting.starved_days)} of {horizon:,} days on average "
        f"(95 % CI {format_interval(limiting.starved)})"
    )
    others = [
        f"of {shortage.item} ({supplied_by(shortage)}) on {format_number(shortage.starved_days)}"
        for shortage in worst.shortages[1:]
        if format_number(shortage.starved_days) != "0"
    ]
    if not others:
        return text + "."
    return (
        f"{text}, and {', and '.join(others)}; it was short of some input on "
        f"{format_number(worst.starved_days)} days in all (a day short of two inputs counts "
        "for each)."
    )


def supplied_by(shortage: Shortage) -> str:
    """'from seeker-us', 'from srm-us and srm-jp', or 'no line supplies it'."""
    lines = list(shortage.suppliers)
    if not lines:
        return "no line supplies it"
    named = lines[0] if len(lines) == 1 else f"{', '.join(lines[:-1])} and {lines[-1]}"
    return f"from {named}"


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
    said = f"{window.name}: {when}, {lasting}, {chance}" + (f"; draws {draws}." if draws else ".")
    return said + (f" {describe_surge(window.surge)}" if window.surge is not None else "")


def describe_surge(surge: Surge) -> str:
    """Which lines a conflict mobilises, by how much, when, and how likely."""
    lines = ", ".join(surge.lines)
    factor, after = format_number(surge.factor.mean()), format_number(surge.after_days.mean())
    ramp, hold = surge.ramp_days.mean(), surge.hold_days.mean()
    said = f"It surges {lines} to {factor}× capacity (mean) from {after} days after its start"
    if ramp > 0:
        said += f", reached over {format_number(ramp)} days"
    said += f", held {format_number(hold)} days after its end" if hold > 0 else ", until its end"
    approved = surge.approved.mean()
    if approved < 1:
        said += f", if approved ({format_percent(approved)} of the replications it happens in)"
    return said + "; surging lines still need their inputs."


def never_recovered(items: list[str]) -> str:
    """The items whose stock never got back to its pre-conflict level."""
    names = items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
    whose = "its" if len(items) == 1 else "their"
    return (
        f"{names} did not get back to {whose} pre-conflict stock within the horizon in any "
        "replication."
    )


def _those_modelled(*phrases: tuple[bool, str]) -> list[str]:
    """The phrases whose part of the model the run has, in the order given."""
    return [phrase for modelled, phrase in phrases if modelled]
