"""A comparison's figures, in the house style of :mod:`sim.report.plotting`.

* ``forest.png`` — every headline metric's difference with its 95 % CI, grouped by item
  and line. Metrics come in many units (missiles, motors, days), so the axis is the
  standardised difference (difference over the metric's spread across replications, the
  same effect size that ranks the tables); each row also prints the difference in its
  own unit, so nothing is lost to the scaling.
* ``differences.png`` — per end item, the difference in deliveries and in 31 December
  stock for every year: the mean difference, its 95 % CI band and, when the runs are
  paired, the P5–P95 band of per-replication differences (how much B − A varies from
  one future to another, which more replications do not shrink).

Colour encodes meaning: in the forest plot, bluish green where B is better with a CI
clear of zero, vermilion where it is worse, grey otherwise; in the fan charts each item
keeps the colour it has in the runs' reports.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure as Drawing
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from sim import catalogue
from sim.compare.comparison import Comparison, MetricComparison
from sim.compare.headline import forest_rows
from sim.compare.measures import end_items, heading, label, phrase
from sim.compare.statistics import Difference
from sim.compare.wording import difference_with_interval, unit_of_change, unit_words
from sim.report import plotting
from sim.report.blocks import Figure
from sim.report.canvas import item_colours
from sim.report.tables import format_signed

BETTER_COLOUR = "#009E73"
WORSE_COLOUR = "#D55E00"
ROW_INCHES = 0.27

_Planned = tuple[Drawing, str, str] | None
"""A drawn figure with its title and caption, or None when there is nothing to draw."""


@dataclass(frozen=True)
class _Row:
    """A line of the forest plot: a group heading (no entry) or a metric."""

    text: str
    entry: MetricComparison | None = None


def write_comparison_figures(
    comparison: Comparison, folder: Path, prefix: str, year: int | None = None
) -> dict[str, Figure]:
    """Draw the comparison's figures into `folder` as `prefix`forest.png and so on.

    Returns them by kind ('forest', 'differences'); a kind with nothing to draw is absent.
    The forest plot shows yearly measures in `year` (default: the last year).
    """
    folder.mkdir(parents=True, exist_ok=True)
    figures = {}
    with matplotlib.rc_context(plotting.STYLE):
        for kind, painter in (
            ("forest", lambda c: draw_forest(c, year)),
            ("differences", draw_difference_fans),
        ):
            planned = painter(comparison)
            if planned is None:
                continue
            drawing, title, caption = planned
            name = f"{prefix}{kind}.png"
            drawing.savefig(folder / name, dpi=plotting.DPI)
            figures[kind] = Figure(f"{folder.name}/{name}", title, caption)
    return figures


def verdict_colour(entry: MetricComparison) -> str:
    """Green if B is better beyond doubt, vermilion if worse, grey if unclear or no direction."""
    low, high = entry.difference.ci95
    if entry.direction is None or low is None or high is None:
        return plotting.NEUTRAL
    sign = 1 if entry.direction == "higher" else -1
    if min(sign * low, sign * high) > 0:
        return BETTER_COLOUR
    if max(sign * low, sign * high) < 0:
        return WORSE_COLOUR
    return plotting.NEUTRAL


def draw_forest(comparison: Comparison, year: int | None = None) -> _Planned:
    """The forest plot (drawing, title, caption), or None: yearly measures in `year`
    (default: the last year)."""
    rows: list[_Row] = []
    constant, unscaled = [], []
    group = None
    for entry in forest_rows(comparison, year):
        if unchanged(entry):
            constant.append(label(entry.metric, comparison.years))
            continue
        if not _drawable(entry):
            unscaled.append(label(entry.metric, comparison.years))
            continue
        if heading(entry.metric) != group:
            group = heading(entry.metric)
            rows.append(_Row(group))
        rows.append(_Row(phrase(entry.metric, comparison.years), entry))
    if not any(row.entry for row in rows):
        return None
    title = f"{comparison.label_b} − {comparison.label_a}: headline differences"
    height = 1.6 + ROW_INCHES * len(rows)
    drawing = plotting.new_figure((11.0, height), title)
    plot, notes = drawing.subplots(1, 2, sharey=True, width_ratios=(2.2, 1.0))
    for position, row in enumerate(rows):
        if row.entry is None:
            continue
        _forest_row(plot, notes, position, row.entry)
    plot.axvline(0, color="#333333", linewidth=0.9, zorder=1)
    plot.set_yticks(range(len(rows)), [row.text for row in rows])
    for tick, row in zip(plot.get_yticklabels(), rows, strict=True):
        if row.entry is None:
            tick.set_fontweight("bold")
    plot.set_ylim(len(rows) - 0.4, -0.6)
    plot.tick_params(axis="y", length=0)
    plot.grid(axis="y", visible=False)
    limit = max(abs(value) for value in plot.get_xlim())
    plot.set_xlim(-limit, limit)
    plot.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_signed(value)))
    plot.set_xlabel("difference B − A in standard deviations of the metric across replications")
    notes.set_axis_off()
    notes.set_title("B − A in its unit (95 % CI)", loc="left", fontsize=9)
    meanings = (
        (BETTER_COLOUR, f"{comparison.label_b} better"),
        (WORSE_COLOUR, f"{comparison.label_b} worse"),
        (plotting.NEUTRAL, "no clear difference, or no better direction"),
    )
    drawn = {verdict_colour(row.entry) for row in rows if row.entry is not None}
    handles = [
        Line2D([], [], color=colour, marker="o", label=text)
        for colour, text in meanings
        if colour in drawn
    ]
    plotting.legend(drawing, handles)
    method = "paired replications" if comparison.paired else "Welch's t, unpaired runs"
    caption = (
        f"Difference of each headline metric, {comparison.label_b} minus {comparison.label_a}, "
        f"with its 95 % confidence interval ({method}). The axis divides each difference by "
        "the metric's standard deviation across replications (both runs pooled) so that "
        "metrics in different units share it; the right column gives the difference in the "
        "metric's own unit. Better/worse: the whole interval lies on one side of zero. Yearly "
        f"measures are shown for {year or comparison.years[-1]}; the next figure has every "
        "year."
    )
    if constant:
        caption += f" Left out, identical in both runs: {'; '.join(constant)}."
    if unscaled:
        caption += (
            " Left out, no spread to scale by or no interval (see the table): "
            f"{'; '.join(unscaled)}."
        )
    return drawing, title, caption


def unchanged(entry: MetricComparison) -> bool:
    """Whether B equals A exactly: in every paired replication, or as a constant."""
    difference = entry.difference
    spread = difference.sd_diff if difference.paired else difference.pooled_sd
    return difference.diff == 0 and spread == 0


def _drawable(entry: MetricComparison) -> bool:
    difference = entry.difference
    return (
        difference.diff is not None
        and difference.pooled_sd is not None
        and difference.pooled_sd > 0
        and None not in difference.ci95
    )


def _forest_row(plot: Axes, notes: Axes, position: int, entry: MetricComparison) -> None:
    difference = entry.difference
    spread, diff = difference.pooled_sd, difference.diff
    lowest, highest = difference.ci95
    # drawn only when _drawable: every number is there
    assert spread is not None and diff is not None
    assert lowest is not None and highest is not None
    low, high = lowest / spread, highest / spread
    middle = diff / spread
    colour = verdict_colour(entry)
    plot.plot([low, high], [position, position], color=colour, linewidth=2.2, solid_capstyle="butt")
    plot.plot([middle], [position], "o", color=colour, markersize=5, zorder=3)
    text = f"{difference_with_interval(entry)} {unit_words(entry)}"
    notes.text(0, position, text, va="center", fontsize=8.5, color="#222222")


def draw_difference_fans(comparison: Comparison) -> _Planned:
    """The per-item fan charts of yearly differences (drawing, title, caption), or None."""
    names = list(comparison.metrics)
    years = comparison.years
    panels = [
        (item, family)
        for item in end_items(names)
        for family in (catalogue.ITEM_DELIVERIES_IN_YEAR, catalogue.ITEM_STOCK_END)
        if all(family.name(item=item, year=year) in comparison.metrics for year in years)
    ]
    if not panels or not years:
        return None
    colours = item_colours(_items(comparison))
    rows = math.ceil(len(panels) / 2)
    width, height = plotting.PANEL_INCHES
    title = f"{comparison.label_b} − {comparison.label_a}: deliveries and stock, year by year"
    drawing = plotting.new_figure(
        (max(plotting.MINIMUM_WIDTH, 2 * width), height * rows + 1.0), title
    )
    grid = list(drawing.subplots(rows, 2, squeeze=False).flat)
    for spare in grid[len(panels) :]:
        drawing.delaxes(spare)
    for axes, (item, family) in zip(grid, panels, strict=False):
        entries = [comparison.metrics[family.name(item=item, year=year)] for year in years]
        _difference_fan(axes, years, entries, colours.get(item, plotting.NEUTRAL))
        deliveries = family is catalogue.ITEM_DELIVERIES_IN_YEAR
        what = "deliveries per year" if deliveries else "stock on 31 December"
        axes.set_title(f"{item} · {what}")
        axes.set_ylabel(f"{unit_of_change(entries[0].unit)}, B − A")
        plotting.year_axis(axes)
    handles = [
        Patch(color=plotting.NEUTRAL, alpha=0.18, label="P5–P95 of per-replication differences"),
        Patch(color=plotting.NEUTRAL, alpha=0.5, label="95 % CI of the mean difference"),
        Line2D(
            [],
            [],
            color=plotting.NEUTRAL,
            linewidth=1.8,
            marker="o",
            markersize=3.5,
            label="Mean difference",
        ),
    ]
    if not comparison.paired:
        handles = handles[1:]
    plotting.legend(drawing, handles)
    caption = (
        f"{comparison.label_b} minus {comparison.label_a}, per end item and year. Dark band: the "
        "95 % confidence interval of the mean difference (the precision of the comparison)."
    )
    if comparison.paired:
        caption += (
            " Light band: where 90 % of the per-replication differences fall — how much the "
            "effect varies between futures with the same draws; more replications do not "
            "shrink it."
        )
    return drawing, title, caption


def _items(comparison: Comparison) -> list[str]:
    """Items in the order the runs report them — the scenario's order, which is also the
    order their reports assign colours in — so an item keeps its colour across files."""
    found = (entry.metric for entry in comparison.metrics.values())
    return list(dict.fromkeys(m.subject for m in found if m.group == "item" and m.subject))


def _difference_fan(
    axes: Axes, years: list[int], entries: list[MetricComparison], colour: str
) -> None:
    def series(pick: Callable[[Difference], float | None]) -> list[float]:
        return [
            math.nan if (value := pick(entry.difference)) is None else value for entry in entries
        ]

    if entries[0].difference.paired:
        axes.fill_between(
            years,
            series(lambda d: d.p5_diff),
            series(lambda d: d.p95_diff),
            color=colour,
            alpha=0.18,
            linewidth=0,
        )
    axes.fill_between(
        years,
        series(lambda d: d.ci95[0]),
        series(lambda d: d.ci95[1]),
        color=colour,
        alpha=0.5,
        linewidth=0,
    )
    axes.plot(
        years, series(lambda d: d.diff), color=colour, linewidth=1.8, marker="o", markersize=3.5
    )
    axes.axhline(0, color="#333333", linewidth=0.9, zorder=1)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_signed(value)))
    if all(unchanged(entry) for entry in entries):
        axes.set_ylim(-1, 1)
        axes.set_yticks([0])
        axes.text(
            0.5,
            0.62,
            "identical in both runs",
            transform=axes.transAxes,
            ha="center",
            color="#333333",
            fontsize=9,
        )
