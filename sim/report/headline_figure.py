"""``against-headline.png``: the plan's answer at a glance, stock against counterfactual.

The question a plan's report answers first is "how many interceptors will exist in
<headline year> under the plan, against without it, and how sure are we?". The forest
plot answers it among thirty other rows, on a scale of standard deviations; this figure
answers only that, in missiles: per end item, its stock on 31 December of the headline
year in the counterfactual and in the plan (bar the mean, whisker the P5–P95 of the
futures), titled by the paired difference and its 95 % CI. Both runs drew the same
futures (common random numbers), so the difference is known far more closely than the
wide whiskers of either run might suggest; the title says how closely.
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from sim import catalogue
from sim.compare.comparison import Comparison
from sim.compare.measures import end_items
from sim.compare.wording import change, interval, unit_words
from sim.report import plotting
from sim.report.canvas import MOST_PANELS, Colours, Plan
from sim.report.facts import Summary
from sim.report.tables import MISSING, format_number
from sim.report.titles import metric_title
from sim.runs.montecarlo import Run

KEY = "against-headline"
COUNTERFACTUAL = "#BBBBBB"
"""Light grey: the counterfactual is the reference, the plan carries the item's colour."""
WHISKER = "#222222"


def headline_figure(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Per end item, stock at the end of the headline year in both runs (None without a
    counterfactual or end items)."""
    if run.against is None:
        return None
    comparison = run.against.comparison
    year = run.scenario.lead_year
    names = [
        name
        for item in end_items(list(comparison.metrics))
        if (name := catalogue.ITEM_STOCK_END.name(item=item, year=year)) in comparison.metrics
    ][:MOST_PANELS]
    if not names:
        return None
    a, b = comparison.label_a, comparison.label_b
    title = f"Stock at the end of {year}: {b} against {a}"
    drawing, panels = plotting.small_multiples(len(names), title)
    for axes, name in zip(panels, names, strict=True):
        item = str(catalogue.family_of(name)[1]["item"])
        summaries = (run.against.run.summaries.metrics[name], run.summaries.metrics[name])
        _panel(axes, comparison, name, summaries, colours.get(item, plotting.PALETTE[0]))
    whisker = Line2D([], [], color=WHISKER, marker="|", markersize=8, label="P5–P95 of futures")
    plotting.legend(drawing, [whisker])
    caption = (
        f"Each end item's stock on 31 December {year} without the plan ({a}, grey) and with "
        f"it ({b}, in the item's colour): bar the mean across replications, whisker the "
        f"P5–P95 of the futures. Above each panel, {b} minus {a} with its 95 % confidence "
        "interval; both runs drew the same futures (common random numbers), so the "
        "difference is known far more closely than either whisker spreads."
    )
    return Plan(KEY, title, caption, drawing)


def _panel(
    axes: Axes,
    comparison: Comparison,
    name: str,
    summaries: tuple[Summary, Summary],
    colour: str,
) -> None:
    """Two bars, the counterfactual above the plan, each labelled with its mean, and the
    difference in the title."""
    entry = comparison.metrics[name]
    labels = (comparison.label_a, comparison.label_b)
    means = [summary["mean"] or 0.0 for summary in summaries]
    axes.barh([0, 1], means, height=0.6, color=[COUNTERFACTUAL, colour])
    for row, summary in enumerate(summaries):
        low, high = summary["p5"], summary["p95"]
        if low is not None and high is not None:
            axes.errorbar(
                [(low + high) / 2],
                [row],
                xerr=[(high - low) / 2],
                fmt="none",
                ecolor=WHISKER,
                capsize=3,
                linewidth=1,
            )
    ticks = [
        f"{plotting.wrap_label(label, 16)}\n{format_number(mean)}"
        for label, mean in zip(labels, means, strict=True)
    ]
    axes.set_yticks([0, 1], ticks)
    axes.set_xlim(left=0)
    axes.set_ylim(1.6, -0.6)
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))
    axes.set_xlabel(entry.unit)
    difference = f"{change(entry.difference.diff, entry.unit)} {unit_words(entry)}"
    bounds = interval(entry.difference.ci95, entry.unit)
    if bounds != MISSING:
        difference += f" (95 % CI {bounds})"
    heading = plotting.wrap_label(metric_title(name, comparison.years), plotting.TITLE_CHARACTERS)
    axes.set_title(f"{heading}\n{difference}", fontsize=9.5)
