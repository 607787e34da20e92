"""``history.png``: the model's yearly fan against what was observed.

One panel per metric of the scenario's ``history:``: the model's P5–P95 band, median
and mean over every year of the horizon (so the years without observations show where
the model started from), and each observation as a point — filled black when the band
holds it, a vermilion cross when it does not. A reader sees at a glance whether reality
ran along the band, at its edge or outside it, which a table of yes and no hides.
"""

from __future__ import annotations

from typing import Any

from matplotlib.lines import Line2D

from sim import catalogue
from sim.report import plotting
from sim.report.canvas import SPREAD, Colours, Plan, yearly_band
from sim.report.history import TITLE
from sim.report.tables import format_number
from sim.report.titles import yearly_title
from sim.runs.montecarlo import Run

INSIDE = "#000000"
OUTSIDE = "#D55E00"
"""Okabe–Ito vermilion: the colour the report gives to what went wrong."""


def history_figure(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Fan charts of each history metric with the observed values marked."""
    history = report.get("history") or {}
    if not history:
        return None
    drawing, panels = plotting.small_multiples(len(history), TITLE)
    years = report["years"]
    drawn = set()
    for index, (name, by_year) in enumerate(history.items()):
        axes = panels[index]
        item = str(catalogue.family_of(catalogue.in_year(name, years[0]))[1].get("item", ""))
        colour = colours.get(item, plotting.PALETTE[index % len(plotting.PALETTE)])
        band = yearly_band(report, [catalogue.in_year(name, year) for year in years])
        plotting.fan(axes, years, band, colour, markers=True)
        for year, record in by_year.items():
            inside = record["inside"] is not False
            drawn.add(inside)
            axes.plot(
                [int(year)],
                [record["observed"]],
                linestyle="none",
                marker="o" if inside else "X",
                markersize=7 if inside else 9,
                color=INSIDE if inside else OUTSIDE,
                zorder=5,
            )
            axes.annotate(
                format_number(record["observed"]),
                (int(year), record["observed"]),
                xytext=(6, 4),
                textcoords="offset points",
                fontsize=8,
                color=INSIDE if inside else OUTSIDE,
            )
        unit = next((r["unit"] for r in by_year.values() if r.get("unit")), "")
        plotting.label_panel(axes, yearly_title(name, years), unit)
        plotting.year_axis(axes)
    handles = plotting.fan_handles()
    if True in drawn:
        handles.append(
            Line2D([], [], color=INSIDE, marker="o", linestyle="none", label="Observed, inside")
        )
    if False in drawn:
        handles.append(
            Line2D([], [], color=OUTSIDE, marker="X", linestyle="none", label="Observed, outside")
        )
    plotting.legend(drawing, handles)
    caption = (
        "The model's spread of each metric the scenario has observations for, year by "
        f"year, with the observed values: black dots inside P5–P95, vermilion crosses "
        f"outside. {SPREAD}"
    )
    return Plan("history", TITLE, caption, drawing)
