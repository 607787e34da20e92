"""What every report figure is built from, whichever part of the report draws it.

A painter (:mod:`sim.report.figures` for production, :mod:`sim.report.repair_figures`,
:mod:`sim.report.spending`, :mod:`sim.report.orders`, :mod:`sim.report.history_figure`,
:mod:`sim.report.against`) returns a :class:`Plan`: a drawing waiting to be saved, with
its title and caption. They share the item colours, the fan charts of yearly metrics and
their legend, the caption sentence of the spread, and the rule for scenarios too large
to draw whole (:data:`MOST_PANELS`). Kept apart from the painters so that each builds on
this module, not on another painter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure as Drawing

from sim.catalogue import Family, UnknownMetric, family_of
from sim.report import plotting
from sim.report.facts import LineFacts, Summary, metric

SPREAD = "Shaded: P5–P95 across replications; solid line: median; dashed: mean."
MOST_PANELS = 12
"""Most panels (items, lines) one figure draws; a larger scenario shows its largest.
A thousand-line scenario once spent 360 s drawing a 19 MB figure nobody could read."""


def largest(names: list[Any], size: Callable[[Any], float], most: int) -> tuple[list, str]:
    """The `most` largest of `names` by `size`, in their original order, and a caption
    sentence saying what was left out (empty when nothing was)."""
    if len(names) <= most:
        return names, ""
    kept = set(sorted(range(len(names)), key=lambda n: -size(names[n]))[:most])
    shown = [name for n, name in enumerate(names) if n in kept]
    return shown, (
        f" Only the {most} largest of {len(names)} are drawn; every one is in report.json"
        " and replications.csv."
    )


@dataclass(frozen=True)
class Plan:
    """A drawn figure waiting to be saved under `key`.png."""

    key: str
    title: str
    caption: str
    drawing: Drawing


Colours = dict[str, str]
"""Item name → colour, the same in every figure."""


def item_colours(items: Iterable[str]) -> Colours:
    """Each item's colour, by its place in the scenario's ``items``: every figure of a
    run, its comparison and its sweep colour an item alike."""
    palette = plotting.PALETTE
    return {item: palette[index % len(palette)] for index, item in enumerate(items)}


def metric_colour(name: str, colours: Colours, line_items: dict[str, str]) -> str:
    """The colour of the item metric `name` is about: its own item's, or for a line's
    metric the item the line makes (`line_items`); neutral grey for anything else."""
    try:
        fields = family_of(name)[1]
    except UnknownMetric:
        return plotting.NEUTRAL
    item = fields.get("item") or line_items.get(str(fields.get("line")))
    return colours.get(str(item), plotting.NEUTRAL)


def yearly_band(report: dict[str, Any], names: list[str]) -> dict[str, list[float]]:
    """P5, P50, P95 and mean of the metrics `names`, one per year (NaN if undefined)."""
    summaries = [metric(report, name) for name in names]

    def column(key: str) -> list[float]:
        return [value_of(summary, key) for summary in summaries]

    return {key: column(key) for key in ("p5", "p50", "p95", "mean")}


def value_of(summary: Summary | None, key: str) -> float:
    value = None if summary is None else summary[key]
    return math.nan if value is None else value


def yearly_fans(
    report: dict[str, Any],
    key: str,
    title: str,
    caption: str,
    yearly: Family,
    panels: list[tuple[str, dict[str, str], str, str]],
) -> Plan:
    """One fan chart of the `yearly` family per panel: (panel title, the metric's fields
    but its year, colour, unit)."""
    drawing, axes_list = plotting.small_multiples(len(panels), title)
    for axes, (panel, fields, colour, unit) in zip(axes_list, panels, strict=True):
        names = [yearly.name(**fields, year=year) for year in report["years"]]
        band = yearly_band(report, names)
        plotting.fan(axes, report["years"], band, colour, markers=True)
        plotting.label_panel(axes, panel, unit)
        plotting.year_axis(axes)
    plotting.legend(drawing, plotting.fan_handles())
    return Plan(key, title, caption, drawing)


def fan_legend(drawing: Drawing, shaded: bool, conflicts: str) -> str:
    """Add the legend of fan charts, with the conflict shades if `shaded`.

    Returns what the caption says of the shades (`conflicts`: which conflicts they are,
    e.g. 'conflicts that draw on the item'), or '' when there are none.
    """
    handles = plotting.fan_handles()
    if shaded:
        handles += plotting.conflict_handles()
    plotting.legend(drawing, handles)
    if not shaded:
        return ""
    return (
        f" Grey: {conflicts} — darker over the mean window, lighter from the earliest"
        " possible start to the latest possible end."
    )


def line_fans(
    report: dict[str, Any],
    colours: Colours,
    lines: list[LineFacts],
    size: Callable[[LineFacts], float],
    figure: tuple[str, str, str],
    yearly: Family,
    unit: str = " per year",
) -> Plan:
    """One fan chart of `yearly` per line (the largest :data:`MOST_PANELS` by `size`),
    each titled by the line, its country and item, in the item's colour; `figure` is
    (key, title, caption), and the caption gains a sentence on lines left out."""
    key, title, caption = figure
    lines, left_out = largest(lines, size, MOST_PANELS)
    panels = [
        (
            f"{line.name} ({line.country}) · {line.item}",
            {"line": line.name},
            colours[line.item],
            f"{line.unit}{unit}",
        )
        for line in lines
    ]
    return yearly_fans(report, key, title, caption + left_out, yearly, panels)
