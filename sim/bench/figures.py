"""Figures of the scaling series, in the report's house style (:mod:`sim.report.plotting`).

Replications are drawn log-log with a dashed line of slope one through the smallest
run: points on it mean cost proportional to work, points below it a fixed cost still
being amortised. Every panel also shows the random-number floor, the time the same runs
spend drawing their parameters, so the gap between the two is the simulation proper.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

from sim.report.plotting import NEUTRAL, PALETTE, STYLE, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

AXIS_LABELS = {
    "replications": "replications",
    "years": "horizon (years)",
    "lines": "production lines (synthetic families of three)",
}
TITLES = {
    "replications": "Engine time by replications (log-log)",
    "years": "Engine time by horizon",
    "lines": "Engine time by number of lines",
}


def write_scaling_figures(scaling: dict[str, Any], folder: Path) -> list[str]:
    """One PNG per series, ``scaling-<variable>.png``; returns the file names."""
    names = []
    for variable, series in scaling.items():
        name = f"scaling-{variable}.png"
        with matplotlib.rc_context(STYLE):
            figure = scaling_figure(variable, series)
            figure.savefig(folder / name)
        names.append(name)
    return names


def scaling_figure(variable: str, series: dict[str, Any]) -> Figure:
    """Engine seconds and the random-number floor against `variable`."""
    points = series["points"]
    x = [point[variable] for point in points]
    engine = [point["seconds"]["median"] for point in points]
    floor = [point["random_number_seconds"]["median"] for point in points]
    figure = new_figure((7.0, 4.2), TITLES.get(variable, variable))
    axes = figure.subplots()
    low = [point["seconds"]["fastest"] for point in points]
    high = [point["seconds"]["slowest"] for point in points]
    axes.fill_between(x, low, high, color=PALETTE[0], alpha=0.2, linewidth=0)
    axes.plot(x, engine, color=PALETTE[0], marker="o", label="engine (median; band: range)")
    axes.plot(x, floor, color=PALETTE[1], marker="s", label="random-number floor")
    if variable == "replications":
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.plot(
            x,
            [engine[0] * value / x[0] for value in x],
            color=NEUTRAL,
            linestyle="--",
            linewidth=1,
            label="linear reference",
        )
    else:
        axes.set_ylim(0, max(high) * 1.1)
    slope = series.get("log_log_slope")
    parts = [series["scenario"]]
    if variable != "replications":
        parts.append(f"{points[0]['replications']:,} replications per point")
    if slope is not None:
        parts.append(f"log-log slope {slope:.2f}")
    subtitle = "; ".join(parts)
    axes.set_title(subtitle, fontweight="normal")
    axes.set_xlabel(AXIS_LABELS.get(variable, variable))
    axes.set_ylabel("seconds")
    axes.legend(loc="upper left", fontsize=9)
    return figure
