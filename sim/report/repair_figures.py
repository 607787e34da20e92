"""The report's repair figures, in the house style of :mod:`sim.report.plotting`.

Four figures, each skipped when the scenario has no ship or engine repair:

* ``ship-waits.png`` — share of availabilities that waited longer than 0, 7, 30, 90 and
  180 days for a berth, per fleet;
* ``yard-utilisation.png`` — each yard's mean utilisation by month, and over the
  horizon with its P5–P95 across replications;
* ``bare-firewalls.png`` — monthly bare firewalls of each engine type, with the
  conflicts that raise engine removals shaded;
* ``depot-waits.png`` — share of removed engines that waited longer than each threshold
  for a depot repair line, per engine type.

Wait distributions are drawn as bars of the mean share with the P5–P95 range across
replications as whiskers: a mean alone would hide that long waits are rare in most
futures and common in a few, which is what a planner sizing a yard needs to see.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure as Drawing
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim import catalogue
from sim.catalogue import Family
from sim.repair.tallies import WAIT_THRESHOLDS
from sim.report import plotting
from sim.report.canvas import SPREAD, Colours, Plan, fan_legend
from sim.report.facts import ConflictWindow, conflict_windows, metric
from sim.report.tables import format_years
from sim.runs.montecarlo import Run

_WHISKER = "#222222"
_YARD_WAIT = "waited from arrival at the yard to the start of work"
_DEPOT_WAIT = "waited from arrival at the depot to the start of repair"
Group = tuple[str, dict[int, str], str]
"""(legend label, waited-over metric name per threshold, colour) of one bar group."""
Panel = tuple[str, str, str]
"""(panel title, series name, colour) of one fan panel."""


def ship_waits(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Share of each fleet's availabilities that waited over each threshold for a berth."""
    if run.scenario.ship_repair is None:
        return None
    fleets = list(run.scenario.ship_repair.fleets)
    groups = [
        (f"fleet {f}", _names(catalogue.FLEET.waited_over, fleet=f), _colour(i))
        for i, f in enumerate(fleets)
    ]
    title = "Availabilities that waited for a berth"
    caption = (
        "Share of each fleet's completed availabilities that waited longer than each number "
        "of days between arriving at the yard and the start of work. Bars: mean across "
        "replications; whiskers: P5–P95 across replications."
    )
    return Plan(
        "ship-waits",
        title,
        caption,
        _wait_bars(report, groups, title, "availabilities", _YARD_WAIT),
    )


def depot_waits(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Share of each engine type's repairs that waited over each threshold for a line."""
    engines = list(run.scenario.engine_repair)
    if not engines:
        return None
    groups = [
        (e, _names(catalogue.ENGINE_WAITED_OVER, engine=e), _colour(i))
        for i, e in enumerate(engines)
    ]
    title = "Removed engines that waited for a depot repair line"
    caption = (
        "Share of each engine type's repairs started that waited longer than each number of "
        "days between arriving at the depot and the start of repair. Bars: mean across "
        "replications; whiskers: P5–P95 across replications."
    )
    return Plan(
        "depot-waits", title, caption, _wait_bars(report, groups, title, "repairs", _DEPOT_WAIT)
    )


def yard_utilisation(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Each yard's mean utilisation by month, and its utilisation over the horizon with
    the spread across replications.

    A monthly P5–P95 band is no use here: a yard with a berth or two is all busy or all
    idle in a month, so its band fills 0–100 % and hides the load behind it. The months
    show the mean (the load, and when a yard opens or a conflict adds work); the spread
    is drawn where it means something, over the whole horizon.
    """
    if run.scenario.ship_repair is None:
        return None
    utilisation = catalogue.SERIES_YARD_UTILISATION
    yards = [
        (yard, _colour(index))
        for index, yard in enumerate(run.scenario.ship_repair.yards)
        if utilisation.name(yard=yard) in report["series"]
    ]
    if not yards:
        return None
    damaging = {c.name for c in run.scenario.conflicts if c.ship_damage_per_year.mean() > 0}
    windows = [window for window in conflict_windows(run) if window.name in damaging]
    title = "Yard utilisation"
    width, height = plotting.PANEL_INCHES
    drawing = plotting.new_figure((max(plotting.MINIMUM_WIDTH, 2.6 * width), height + 1.4), title)
    months, horizon = drawing.subplots(1, 2, width_ratios=(1.7, 1.0))
    start = run.scenario.start_year
    for yard, colour in yards:
        series = report["series"][utilisation.name(yard=yard)]
        # A month's average belongs at its middle, half a month before the month's end.
        x = [plotting.month_end(month) - 1 / 24 for month in series["months"]]
        months.plot(x, _scaled(series["mean"], 100.0), color=colour, linewidth=1.4, label=yard)
    for window in windows:
        plotting.shade_conflict(months, window)
    plotting.label_panel(months, "Mean by month", "% of berth-days worked")
    months.set_ylim(0, 100)
    plotting.year_axis(months, limits=(start, start + run.scenario.years))
    _horizon_bars(horizon, report, yards)
    handles: list[Artist] = [Line2D([], [], color=c, linewidth=1.4, label=y) for y, c in yards]
    handles.append(Line2D([], [], color=_WHISKER, marker="_", markersize=8, label="P5–P95"))
    if windows:
        handles += plotting.conflict_handles()
    drawing.legend(
        handles=handles, loc="outside lower center", ncols=min(len(handles), 4), fontsize=9
    )
    caption = (
        "Berth-days worked over berth-days offered, as a percentage; a yard has no value "
        "before it opens. Left: the mean across replications in each month. Right: over the "
        f"{format_years(report['years'])} horizon — bar the mean, whisker P5–P95 across "
        "replications. A yard with few berths is all busy or all idle in a month, so its "
        "monthly spread would span 0–100 %; its spread over the horizon shows how its load "
        "varies between futures."
    )
    if windows:
        caption += (
            " Grey: conflicts that add to the work — darker over the mean window, lighter "
            "from the earliest possible start to the latest possible end."
        )
    return Plan("yard-utilisation", title, caption, drawing)


def _horizon_bars(axes: Axes, report: dict[str, Any], yards: list[tuple[str, str]]) -> None:
    """Per yard, a bar of its mean utilisation over the horizon, whisker P5–P95."""
    rows = range(len(yards))
    summaries = [metric(report, catalogue.YARD_UTILISATION.name(yard=yard)) for yard, _ in yards]
    mean = [_percent(summary, "mean") for summary in summaries]
    low = [_percent(summary, "p5") for summary in summaries]
    high = [_percent(summary, "p95") for summary in summaries]
    axes.barh(list(rows), mean, height=0.6, color=[colour for _, colour in yards])
    # centred on the P5–P95 range, wherever the mean falls (see _wait_bars)
    middle = [(a + b) / 2 for a, b in zip(low, high, strict=True)]
    half = [(b - a) / 2 for a, b in zip(low, high, strict=True)]
    axes.errorbar(
        middle, list(rows), xerr=half, fmt="none", ecolor=_WHISKER, capsize=3, linewidth=1
    )
    axes.set_yticks(list(rows), [plotting.wrap_label(yard, 18) for yard, _ in yards])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of berth-days worked")
    axes.set_title("Over the horizon")
    axes.grid(axis="y", visible=False)
    axes.tick_params(axis="y", length=0)


def bare_firewalls(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Monthly bare firewalls per engine type, with the conflicts that surge removals shaded."""
    engine_repair = run.scenario.engine_repair
    if not engine_repair:
        return None
    panels = [
        (
            f"{engine} ({section.positions_text} engine positions)",
            catalogue.SERIES_BARE_FIREWALLS.name(engine=engine),
            _colour(i),
        )
        for i, (engine, section) in enumerate(engine_repair.items())
    ]
    surging = {c.name for c in run.scenario.conflicts if c.engine_removal_factor.mean() != 1}
    windows = [window for window in conflict_windows(run) if window.name in surging]
    title = "Bare firewalls by month"
    caption = (
        "Aircraft engine positions with no engine, averaged over each month: removed engines "
        f"not yet replaced from spares or returned from a depot. {SPREAD}"
    )
    unit = "engine positions without an engine"
    return _monthly_fans(run, report, "bare-firewalls", title, caption, panels, windows, unit)


def _colour(index: int) -> str:
    return plotting.PALETTE[index % len(plotting.PALETTE)]


def _monthly_fans(
    run: Run,
    report: dict[str, Any],
    key: str,
    title: str,
    caption: str,
    panels: list[Panel],
    windows: list[ConflictWindow],
    unit: str,
) -> Plan | None:
    """One fan chart per monthly series over the horizon, conflicts shaded."""
    panels = [panel for panel in panels if panel[1] in report["series"]]
    if not panels:
        return None
    drawing, axes_list = plotting.small_multiples(len(panels), title)
    horizon = (run.scenario.start_year, run.scenario.start_year + run.scenario.years)
    for axes, (panel_title, name, colour) in zip(axes_list, panels, strict=True):
        series = report["series"][name]
        # A month's average belongs at its middle, half a month before the month's end.
        months = [plotting.month_end(month) - 1 / 24 for month in series["months"]]
        band = {stat: _scaled(series[stat], 1.0) for stat in ("p5", "p50", "p95", "mean")}
        plotting.fan(axes, months, band, colour)
        for window in windows:
            plotting.shade_conflict(axes, window)
        plotting.label_panel(axes, panel_title, unit)
        plotting.year_axis(axes, limits=horizon)
    caption += fan_legend(drawing, bool(windows), "conflicts that add to the work")
    return Plan(key, title, caption, drawing)


def _scaled(values: list[float | None], scale: float) -> list[float]:
    """JSON nulls (no value that month) as NaN, which matplotlib leaves as a gap."""
    return [math.nan if value is None else value * scale for value in values]


def _wait_bars(
    report: dict[str, Any], groups: list[Group], title: str, jobs: str, wait: str
) -> Drawing:
    """Grouped bars: per threshold, each group's mean share, whiskers from P5 to P95."""
    drawing = plotting.new_figure((plotting.MINIMUM_WIDTH, 4.2), title)
    axes: Axes = drawing.subplots()
    width = 0.8 / len(groups)
    for index, (label, names, colour) in enumerate(groups):
        summaries = [metric(report, names[t]) for t in WAIT_THRESHOLDS]
        share = [_percent(summary, "mean") for summary in summaries]
        low = [_percent(summary, "p5") for summary in summaries]
        high = [_percent(summary, "p95") for summary in summaries]
        offset = (index - (len(groups) - 1) / 2) * width
        x = [slot + offset for slot in range(len(WAIT_THRESHOLDS))]
        axes.bar(x, share, width=width * 0.92, color=colour, label=label)
        # Whiskers span P5–P95 wherever the mean falls (it can lie outside that range when
        # long waits are rare), so they are centred on the range, not on the bar.
        middle = [(a + b) / 2 for a, b in zip(low, high, strict=True)]
        half = [(b - a) / 2 for a, b in zip(low, high, strict=True)]
        axes.errorbar(x, middle, yerr=half, fmt="none", ecolor=_WHISKER, capsize=3, linewidth=1)
    labels = [f"over {t} days" if t else "at all" for t in WAIT_THRESHOLDS]
    axes.set_xticks(range(len(WAIT_THRESHOLDS)), labels)
    axes.grid(axis="x", visible=False)
    axes.set_xlabel(wait)
    plotting.label_panel(axes, "", f"% of {jobs}")
    axes.set_ylim(0, min(axes.get_ylim()[1], 100))
    handles = [
        *(Patch(color=colour, label=label) for label, _, colour in groups),
        Line2D([], [], color=_WHISKER, marker="_", markersize=8, label="P5–P95"),
    ]
    plotting.legend(drawing, handles)
    return drawing


def _names(waited: dict[int, Family], **fields: str) -> dict[int, str]:
    """The waited-over metric names of one fleet or engine type, per threshold."""
    return {threshold: family.name(**fields) for threshold, family in waited.items()}


def _percent(summary: dict[str, Any] | None, key: str) -> float:
    value = None if summary is None else summary.get(key)
    return math.nan if value is None else 100 * value
