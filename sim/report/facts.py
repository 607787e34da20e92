"""What every part of a report needs to know about a run, whatever it is drawn as.

The Markdown, the HTML page and the figures all ask the same questions — which items are
end items, which lines make what and who supplies them, where production is held back,
when the conflicts fall — and must give the same answers. They are answered once here,
from the run's structure and the summaries of ``report.json``, and never formatted:
presentation belongs to :mod:`sim.report.tables`, :mod:`sim.report.document` and
:mod:`sim.report.figures`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sim import catalogue
from sim.catalogue import Family, family_of
from sim.production.outcomes import stocked_items
from sim.production.surge import Surge
from sim.runs.montecarlo import Run
from sim.scenario.distributions import Distribution, date_distribution, is_fixed

Summary = dict[str, Any]
"""One metric of ``report.json``: unit, mean, sd, ci95, p5, p50, p95, n."""

UNBOUNDED_QUANTILE = 0.99
"""Where the 'latest possible' end of an unbounded conflict duration is cut off."""


class MissingMetric(KeyError):
    """A metric the catalogue knows but this run does not report (no ship repair, an item
    no one demands): the caller must ask with :func:`reported` if it may be absent."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def metric_name(family: Family | str, **fields: object) -> str:
    """The name of a metric, given as its family and fields or spelled out.

    A spelled-out name is checked against :mod:`sim.catalogue` (an
    :class:`~sim.catalogue.UnknownMetric` for a typo)."""
    if isinstance(family, Family):
        return family.name(**fields)
    if fields:
        raise TypeError("fields go with a family, not with a spelled-out name")
    family_of(family)
    return family


def metric(report: dict[str, Any], family: Family | str, **fields: object) -> Summary:
    """The summary of a metric the run reports: ``metric(report, LINE_OUTPUT, line=...)``.

    A name no family has raises :class:`~sim.catalogue.UnknownMetric`, one this run does
    not report :class:`MissingMetric` (both KeyErrors): never a silent dash.
    """
    name = metric_name(family, **fields)
    try:
        return report["metrics"][name]
    except KeyError:
        raise MissingMetric(f"{name!r}: this run does not report this metric") from None


def reported(report: dict[str, Any], family: Family | str, **fields: object) -> Summary | None:
    """The summary of a metric that a run may legitimately not report, or None if it does
    not (an item that no one demands has no shortfall). A misspelt name still raises."""
    return report["metrics"].get(metric_name(family, **fields))


def mean(report: dict[str, Any], family: Family | str, **fields: object) -> float:
    """The mean of a metric the run reports; 0 when it is undefined (nothing happened)."""
    value = metric(report, family, **fields)["mean"]
    return 0.0 if value is None or not math.isfinite(value) else float(value)


def end_items(run: Run) -> list[str]:
    """Items held in a stock, in scenario order: the ones analysts count and spend."""
    return [run.network.items[index] for index in stocked_items(run.network)]


def owners_of(run: Run, item: str) -> list[str]:
    """Who holds stock of `item` (countries, customers), in the scenario's order."""
    index = run.network.item_index[item]
    return [owner for held, owner in run.network.stocks if held == index]


@dataclass(frozen=True)
class LineFacts:
    """One production line as the report describes it."""

    name: str
    item: str
    country: str
    unit: str
    suppliers: tuple[str, ...]
    """Lines that route output into this line's input stores."""
    inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each input item with the lines that supply it, in the scenario's order."""

    @property
    def has_inputs(self) -> bool:
        """Only a line with inputs can be starved of them."""
        return bool(self.suppliers)


def lines_by_item(run: Run) -> list[LineFacts]:
    """Every line, grouped by the item it makes: end items first, then components.

    Within an item, lines keep the scenario's order, so a reader finds them where the
    scenario file put them.
    """
    network, scenario = run.network, run.scenario
    suppliers: dict[str, list[str]] = {name: [] for name in scenario.lines}
    feeding: dict[int, list[str]] = {store: [] for store in range(len(network.stores))}
    for node in network.lines:
        for destination in node.destinations:
            if destination.kind == "store":
                consumer = network.lines[network.stores[destination.index].line].name
                suppliers[consumer].append(node.name)
                feeding[destination.index].append(node.name)
    inputs = {
        node.name: tuple(
            (network.items[network.stores[store].item], tuple(feeding[store]))
            for store in node.stores
        )
        for node in network.lines
    }
    ends = end_items(run)
    item_order = ends + [item for item in scenario.items if item not in ends]
    facts = [
        LineFacts(
            name=name,
            item=line.makes,
            country=line.country,
            unit=scenario.items[line.makes].unit,
            suppliers=tuple(suppliers[name]),
            inputs=inputs[name],
        )
        for name, line in scenario.lines.items()
    ]
    return sorted(facts, key=lambda line: item_order.index(line.item))


@dataclass(frozen=True)
class Shortage:
    """Days a line was starved while one of its inputs was short
    (:mod:`sim.production.starvation`)."""

    item: str
    suppliers: tuple[str, ...]
    """The lines that supply the input to this line."""
    starved: Summary
    starved_days: float


@dataclass(frozen=True)
class Bottleneck:
    """How much one line was held back, by cause (mean days over the horizon)."""

    line: LineFacts
    starved: Summary
    starved_days: float
    funding_capped_days: float
    disrupted_days: float
    shortages: tuple[Shortage, ...] = ()
    """Its inputs, most days short first (ties in the scenario's order)."""

    @property
    def limiting(self) -> Shortage | None:
        """The input it was short of on most days, if it was ever short of one."""
        first = self.shortages[0] if self.shortages else None
        return first if first is not None and first.starved_days > 0 else None

    @property
    def held_back_days(self) -> float:
        """All causes together (they can overlap, so this is a ranking key, not a total)."""
        return self.starved_days + self.funding_capped_days + self.disrupted_days


def rank_bottlenecks(run: Run, report: dict[str, Any]) -> list[Bottleneck]:
    """Every line, worst first: by days starved of inputs, then by all causes together.

    Starved days lead because they are the signal that the constraint sits upstream: a
    line that had capacity but nothing to build with is limited by its suppliers.
    """
    ranked = []
    for line in lines_by_item(run):
        name = line.name
        ranked.append(
            Bottleneck(
                line=line,
                starved=metric(report, catalogue.LINE_STARVED_DAYS, line=name),
                starved_days=mean(report, catalogue.LINE_STARVED_DAYS, line=name),
                funding_capped_days=mean(report, catalogue.LINE_FUNDING_CAPPED_DAYS, line=name),
                disrupted_days=mean(report, catalogue.LINE_DISRUPTED_DAYS, line=name),
                shortages=shortages(report, line),
            )
        )
    return sorted(ranked, key=lambda b: (-b.starved_days, -b.held_back_days, b.line.name))


def shortages(report: dict[str, Any], line: LineFacts) -> tuple[Shortage, ...]:
    """The line's inputs with their days short, most first (none from a report written
    before inputs were counted apart)."""
    found = []
    for item, suppliers in line.inputs:
        summary = reported(report, catalogue.LINE_INPUT_STARVED_DAYS, line=line.name, item=item)
        if summary is None:
            continue
        days = mean(report, catalogue.LINE_INPUT_STARVED_DAYS, line=line.name, item=item)
        found.append(Shortage(item, suppliers, summary, days))
    return tuple(sorted(found, key=lambda shortage: -shortage.starved_days))


def horizon_days(run: Run) -> int:
    """Days simulated: the denominator that gives 'days held back' a scale."""
    return round(run.network.calendar.horizon_days)


@dataclass(frozen=True)
class ConflictWindow:
    """When a conflict may fall: its possible extent and its mean window, as dates."""

    name: str
    earliest_start: dt.date
    latest_start: dt.date
    latest_end: dt.date
    mean_start: dt.date
    mean_end: dt.date
    mean_days: float
    duration_is_fixed: bool
    probability: float
    consumption: tuple[tuple[str, str, float], ...]
    """(item, owner, mean units a day) drawn from stock while it lasts."""
    surge: Surge | None = None
    """Its wartime surge of production lines, if it has one (:mod:`sim.production.surge`)."""

    @property
    def items(self) -> tuple[str, ...]:
        """Items it draws from stock."""
        return tuple(dict.fromkeys(item for item, _, _ in self.consumption))

    @property
    def start_is_fixed(self) -> bool:
        """Whether the start date is certain."""
        return self.earliest_start == self.latest_start


def conflict_windows(run: Run) -> list[ConflictWindow]:
    """The scenario's conflicts with uncertain dates and durations reduced to windows."""
    origin = run.scenario.start
    windows = []
    for conflict in run.scenario.conflicts:
        start = date_distribution(conflict.start, origin)
        earliest, latest = start.support()
        days = conflict.days
        windows.append(
            ConflictWindow(
                name=conflict.name,
                earliest_start=_date(origin, earliest),
                latest_start=_date(origin, latest),
                latest_end=_date(origin, latest + _longest(days)),
                mean_start=_date(origin, start.mean()),
                mean_end=_date(origin, start.mean() + days.mean()),
                mean_days=days.mean(),
                duration_is_fixed=is_fixed(days),
                probability=conflict.probability.mean(),
                consumption=tuple(
                    (item, owner, rate.mean())
                    for item, owners in conflict.consumption_per_day.items()
                    for owner, rate in owners.items()
                ),
                surge=conflict.surge,
            )
        )
    return windows


def _longest(days: Distribution) -> float:
    """The longest duration a distribution can draw, or its 99th percentile if unbounded."""
    highest = days.support()[1]
    return highest if math.isfinite(highest) else float(days.ppf(UNBOUNDED_QUANTILE))


def _date(origin: dt.date, days: float) -> dt.date:
    return origin + dt.timedelta(days=round(days))
