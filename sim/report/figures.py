"""The report's figures: what each one shows, and when there is nothing to show.

The production figures, each skipped when the scenario gives it nothing to draw:

* ``deliveries.png`` — fan charts of yearly deliveries, one panel per end item;
* ``stock.png`` — month-end stock per end item, with conflict windows shaded;
* ``line-output.png`` — fan charts of each line's yearly output, grouped by item;
* ``bottlenecks.png`` — days each line was held back, by cause, worst on top;
* ``surge-output.png`` — fan charts of each surging line's yearly surge output;
* ``order-backlog.png`` — units under contract, not started, on each 31 December, for
  lines funded by orders (:mod:`sim.report.orders`);
* ``marginal.png`` — each line's +10 % capacity effect on each end item's stock, for
  runs with ``--marginal`` (:mod:`sim.report.marginal`);
* ``drivers.png`` — tornado charts of the inputs that drive the headline numbers
  (:mod:`sim.report.drivers`).

The repair figures (ship waits, yard utilisation, bare firewalls, depot waits) are drawn
in :mod:`sim.report.repair_figures`, the history, spending and counterfactual figures in
their sections' modules (``against-headline.png``, the plan's answer at a glance, in
:mod:`sim.report.headline_figure`); all are registered in :data:`PAINTERS`.

Each item keeps one colour in every figure, so a reader can follow it from panel to
panel. Style and primitives live in :mod:`sim.report.plotting`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.ticker import FuncFormatter

from sim import catalogue
from sim.production.surge import surging_lines
from sim.report import against, plotting, repair_figures
from sim.report.blocks import Figure
from sim.report.canvas import (
    MOST_PANELS,
    SPREAD,
    Colours,
    Plan,
    fan_legend,
    item_colours,
    largest,
    line_fans,
    value_of,
    yearly_fans,
)
from sim.report.drivers import drivers_drawing, report_drivers
from sim.report.facts import (
    Bottleneck,
    conflict_windows,
    end_items,
    horizon_days,
    lines_by_item,
    metric,
    rank_bottlenecks,
    reported,
)
from sim.report.forked import run_pieces
from sim.report.headline_figure import headline_figure
from sim.report.history_figure import history_figure
from sim.report.marginal import marginal_figure
from sim.report.orders import order_backlog_figure
from sim.report.spending import spending_figure, unit_cost_figure
from sim.report.tables import format_number
from sim.runs.montecarlo import Run

CAUSE_COLOURS = {
    "Starved of inputs": "#D55E00",
    "Funding-capped": "#0072B2",
    "Disrupted": "#E69F00",
}
"""Okabe–Ito vermilion, blue and orange, in the order of :class:`Bottleneck`'s causes."""
MOST_BARS = 20
"""Most lines the bottleneck chart ranks."""


def _mean_of(report: dict[str, Any], name: str) -> float:
    value = value_of(metric(report, name), "mean")
    return 0.0 if math.isnan(value) else value


def write_figures(
    run: Run,
    report: dict[str, Any],
    folder: Path,
    finished: Callable[[], None] | None = None,
) -> list[Figure]:
    """Draw every figure there is something to show for and save it as PNG in `folder`;
    `finished`, when given, is called as each of the :data:`PAINTERS` is done."""
    folder.mkdir(parents=True, exist_ok=True)
    colours = item_colours(run.scenario.items)
    # the drivers analysis is the text's as well as a figure's: done here, before the
    # fork, the painters inherit it and the text does not repeat it
    report_drivers(run)
    # the slowest first (the drivers redraw the inputs; line output has many panels), so
    # that on two cores they run side by side and the rest fill in around them
    slowest_first = sorted(
        range(len(PAINTERS)), key=lambda p: PAINTERS[p] not in (_drivers, _line_output)
    )

    def draw(piece: int) -> Figure | None:
        with matplotlib.rc_context(plotting.STYLE):
            plan = PAINTERS[slowest_first[piece]](run, report, colours)
            if plan is None:
                return None
            plan.drawing.savefig(folder / f"{plan.key}.png", dpi=plotting.DPI)
        return Figure(f"{folder.name}/{plan.key}.png", plan.title, plan.caption)

    drawn = dict(zip(slowest_first, run_pieces(draw, len(PAINTERS), finished), strict=True))
    return [figure for _, figure in sorted(drawn.items()) if figure is not None]


def _deliveries(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Fan charts of yearly deliveries, one panel per end item that some line makes."""
    # an end item that no line makes has no deliveries
    items = [i for i in end_items(run) if reported(report, catalogue.ITEM_DELIVERIES, item=i)]
    if not items:
        return None
    items, left_out = largest(
        items, lambda i: _mean_of(report, catalogue.ITEM_DELIVERIES.name(item=i)), MOST_PANELS
    )
    panels = [
        (
            item,
            {"item": item},
            colours[item],
            f"{run.scenario.items[item].unit} per year",
        )
        for item in items
    ]
    caption = f"Units of each end item reaching stock in each year. {SPREAD}{left_out}"
    deliveries = catalogue.ITEM_DELIVERIES_IN_YEAR
    return yearly_fans(report, "deliveries", "Deliveries per year", caption, deliveries, panels)


def _stock(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Month-end stock per end item, with the windows of the conflicts that draw on it."""
    stock = catalogue.SERIES_ITEM_STOCK
    items = [i for i in end_items(run) if stock.name(item=i) in report["series"]]
    if not items:
        return None
    last = report["years"][-1]
    items, left_out = largest(
        items,
        lambda i: _mean_of(report, catalogue.ITEM_STOCK_END.name(item=i, year=last)),
        MOST_PANELS,
    )
    title = "Stock over time"
    drawing, panels = plotting.small_multiples(len(items), title)
    windows = conflict_windows(run)
    horizon = (run.scenario.start_year, run.scenario.start_year + run.scenario.years)
    shaded = False
    for axes, item in zip(panels, items, strict=True):
        series = report["series"][stock.name(item=item)]
        months = [plotting.month_end(month) for month in series["months"]]
        plotting.fan(axes, months, series, colours[item])
        for window in (window for window in windows if item in window.items):
            plotting.shade_conflict(axes, window)
            shaded = True
        plotting.label_panel(axes, item, run.scenario.items[item].unit)
        plotting.year_axis(axes, limits=horizon)
    caption = f"Total stock over all owners at each month's end. {SPREAD}{left_out}"
    caption += fan_legend(drawing, shaded, "conflicts that draw on the item")
    return Plan("stock", title, caption, drawing)


def _line_output(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Fan charts of each line's yearly output, grouped by the item the lines make."""
    lines = lines_by_item(run)
    if not lines:
        return None
    title = "Output of each line per year"
    caption = f"Units passing acceptance at each line, grouped by the item made. {SPREAD}"
    return line_fans(
        report,
        colours,
        lines,
        lambda line: _mean_of(report, catalogue.LINE_OUTPUT.name(line=line.name)),
        ("line-output", title, caption),
        catalogue.LINE_OUTPUT_IN_YEAR,
    )


def _surge_output(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Fan charts of the units each surging line started beyond peacetime capacity."""
    surging = surging_lines(run.scenario)
    lines = [line for line in lines_by_item(run) if line.name in surging]
    if not lines:
        return None
    title = "Wartime surge: output beyond peacetime capacity"
    caption = (
        "Units each surging line started beyond what its peacetime capacity allowed, by year"
        " of start; replications without a surge count zero. A line held back by its inputs"
        f" shows little, however much capacity the surge adds. {SPREAD}"
    )
    return line_fans(
        report,
        colours,
        lines,
        lambda line: _mean_of(report, catalogue.LINE_SURGE_OUTPUT.name(line=line.name)),
        ("surge-output", title, caption),
        catalogue.LINE_SURGE_OUTPUT_IN_YEAR,
    )


def _bottlenecks(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Grouped bars of days held back per line and cause, the worst bottleneck on top.

    Bars are side by side, not stacked: a line can be disrupted and funding-capped on
    the same day, so the causes do not add up to a total.
    """
    ranked = [entry for entry in rank_bottlenecks(run, report) if entry.held_back_days > 0]
    if not ranked:
        return None
    left_out = ""
    if len(ranked) > MOST_BARS:
        left_out = f" The {MOST_BARS} worst of {len(ranked)} lines held back are drawn."
        ranked = ranked[:MOST_BARS]
    title = "Where production is held back"
    drawing = plotting.new_figure((plotting.MINIMUM_WIDTH, 1.5 + 0.75 * len(ranked)), title)
    axes = drawing.subplots()
    causes = {
        cause: [
            (entry.starved_days, entry.funding_capped_days, entry.disrupted_days)[index]
            for entry in ranked
        ]
        for index, cause in enumerate(CAUSE_COLOURS)
    }
    # a cause no line suffers gets no bars (and so no legend entry): an empty slot
    # beside every line would read as 'zero days' of a cause the scenario cannot have
    causes = {cause: days for cause, days in causes.items() if any(day > 0 for day in days)}
    if not causes:
        return None
    height = 0.84 / len(causes)
    for offset, (cause, days) in enumerate(causes.items()):
        colour = CAUSE_COLOURS[cause]
        rows = [row + (offset - (len(causes) - 1) / 2) * height for row in range(len(ranked))]
        bars = axes.barh(rows, days, height=height, color=colour, label=cause)
        labels = [format_number(value) if value >= 0.5 else "" for value in days]
        axes.bar_label(bars, labels, padding=3, fontsize=8)
    axes.set_yticks(range(len(ranked)), [_bottleneck_label(entry) for entry in ranked])
    axes.invert_yaxis()
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)
    axes.margins(x=0.12)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))
    axes.set_xlabel(
        f"days held back over the {run.scenario.years}-year horizon "
        f"({horizon_days(run):,} days), mean of {run.replications:,} replications"
    )
    plotting.legend(drawing, axes.get_legend_handles_labels()[0])
    caption = (
        "Mean days each line had capacity it could not use: starved (inputs missing — its"
        " suppliers limit it; the input it was short of most often is named under the line),"
        " funding-capped (orders below capacity) or disrupted. Worst"
        " bottleneck on top; the causes can overlap, so bars are side by side." + left_out
    )
    return Plan("bottlenecks", title, caption, drawing)


def _bottleneck_label(entry: Bottleneck) -> str:
    """'pac3-us\nPAC-3 MSE\nshort of: PAC-3 seeker': the line, what it makes, and the input
    it was short of most often (when it was ever starved)."""
    label = f"{entry.line.name}\n{entry.line.item}"
    limiting = entry.limiting
    return label if limiting is None else f"{label}\nshort of: {limiting.item}"


def _drivers(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Tornado panels of the inputs that drive the headline numbers (rank method)."""
    drawn = drivers_drawing(run)
    if drawn is None:
        return None
    title, caption, drawing = drawn
    return Plan("drivers", title, caption, drawing)


Painter = Callable[[Run, dict[str, Any], Colours], Plan | None]
"""Draws one figure of a run's report, or says (None) there is nothing to draw."""
PAINTERS: tuple[Painter, ...] = (
    _deliveries,
    _stock,
    _line_output,
    _bottlenecks,
    marginal_figure,
    _surge_output,
    order_backlog_figure,
    repair_figures.ship_waits,
    repair_figures.yard_utilisation,
    repair_figures.bare_firewalls,
    repair_figures.depot_waits,
    _drivers,
    history_figure,
    spending_figure,
    unit_cost_figure,
    headline_figure,
    against.forest,
    against.difference_fans,
)
"""Every figure of the report, in the order the report lists them."""
