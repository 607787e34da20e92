"""Tornado charts: the inputs that drive a metric, strongest on top.

Rank method: one bar per input, its Spearman correlation with the metric, from −1 to 1,
blue when a higher input goes with a higher metric and vermilion when with a lower one;
whiskers are 95 % intervals. Sobol': per input a wide pale bar for the total-order index
and a narrow dark one for the first-order index inside it, from 0 to 1; the gap between
them is the input's interactions. Drawn on bare figures in the report's house style
(:mod:`sim.report.plotting`), shared by ``sim sensitivity`` and the run report.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report import plotting
from sim.report.titles import metric_title
from sim.sensitivity.estimates import InputSensitivity, MetricSensitivity

POSITIVE, NEGATIVE = plotting.PALETTE[0], plotting.PALETTE[1]
TOTAL, FIRST = plotting.PALETTE[4], plotting.PALETTE[0]
ROW_INCHES = 0.36
LABEL_CHARACTERS = 44
"""An input name longer than this wraps onto a second line, after one of its dots."""
TITLE_CHARACTERS = 70


def tornado(axes: Axes, result: MetricSensitivity, count: int) -> None:
    """Draw the `count` strongest drivers of `result` on `axes`, strongest on top."""
    shown = result.top(count)
    rows = range(len(shown))
    if result.method == "sobol":
        _bars(axes, shown, "total_order", rows, 0.7, [TOTAL] * len(shown))
        _bars(axes, shown, "first_order", rows, 0.32, [FIRST] * len(shown))
        low = min([0.0, *(e.estimates["first_order"].low for e in shown)])
        high = max([1.0, *(e.estimates["total_order"].high for e in shown)])
        axes.set_xlim(low - 0.02, high)
        axes.set_xlabel("share of the metric's variance (Sobol' index)")
    else:
        colours = [
            POSITIVE if entry.estimates["spearman"].value >= 0 else NEGATIVE for entry in shown
        ]
        _bars(axes, shown, "spearman", rows, 0.6, colours)
        axes.axvline(0, color=plotting.NEUTRAL, linewidth=0.8)
        axes.set_xlim(-1.0, 1.0)
        axes.set_xlabel("Spearman rank correlation with the metric")
    labels = [plotting.wrap_label(e.name, LABEL_CHARACTERS) for e in shown]
    axes.set_yticks(list(rows), labels)
    axes.invert_yaxis()
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)
    if not shown:
        axes.text(0.5, 0.5, "no input moves this metric", ha="center", transform=axes.transAxes)


def _bars(
    axes: Axes,
    shown: list[InputSensitivity],
    key: str,
    rows: range,
    height: float,
    colours: list[str],
) -> None:
    estimates = [entry.estimates[key] for entry in shown]
    values = [estimate.value for estimate in estimates]
    whiskers = [
        [value - estimate.low for value, estimate in zip(values, estimates, strict=True)],
        [estimate.high - value for value, estimate in zip(values, estimates, strict=True)],
    ]
    axes.barh(list(rows), values, height=height, color=colours)
    axes.errorbar(
        values, list(rows), xerr=whiskers, fmt="none", ecolor="#333333", capsize=3, linewidth=1
    )


def legend_handles(results: list[MetricSensitivity], count: int) -> list:
    """What the colours of the drawn bars mean, for a figure-wide legend: an entry only
    for a colour some bar has (no 'lower metric' entry when every input raises it)."""
    if any(result.method == "sobol" for result in results):
        return [
            Patch(color=TOTAL, label="Total order (with interactions)"),
            Patch(color=FIRST, label="First order (alone)"),
        ]
    signs = {
        entry.estimates["spearman"].value >= 0 for result in results for entry in result.top(count)
    }
    meanings = (
        (True, POSITIVE, "Higher input, higher metric"),
        (False, NEGATIVE, "Higher input, lower metric"),
    )
    return [Patch(color=colour, label=text) for sign, colour, text in meanings if sign in signs]


def tornado_figure(result: MetricSensitivity, years: list[int], count: int = 12) -> Figure:
    """One metric's tornado chart as a figure of its own, titled by the metric in words
    (`years`: the horizon, for metrics worded over it)."""
    rows = max(len(result.top(count)), 1)
    title = plotting.wrap_label(metric_title(result.metric, years), TITLE_CHARACTERS)
    figure = plotting.new_figure((plotting.MINIMUM_WIDTH, 1.6 + ROW_INCHES * rows), title)
    tornado(figure.subplots(), result, count)
    _legend(figure, [result], count)
    return figure


def tornado_panels(
    results: list[MetricSensitivity], title: str, years: list[int], count: int = 5
) -> Figure:
    """Several metrics' tornado charts stacked, one panel each, sharing the x axis."""
    heights = [max(len(result.top(count)), 1) + 1.4 for result in results]
    figure = plotting.new_figure((plotting.MINIMUM_WIDTH, 0.9 + ROW_INCHES * sum(heights)), title)
    panels = figure.subplots(len(results), 1, squeeze=False, height_ratios=heights)[:, 0]
    for axes, result in zip(panels, results, strict=True):
        tornado(axes, result, count)
        axes.set_title(plotting.wrap_label(metric_title(result.metric, years), TITLE_CHARACTERS))
    for axes in panels[:-1]:
        axes.set_xlabel("")
    _legend(figure, results, count)
    return figure


def _legend(figure: Figure, results: list[MetricSensitivity], count: int) -> None:
    handles = legend_handles(results, count)
    if handles:
        plotting.legend(figure, handles)
