"""The house style of the report's figures and the drawing primitives they share.

Everything here works on bare :class:`matplotlib.figure.Figure` objects with an Agg
canvas, never through ``pyplot``: pyplot keeps global state (a current figure, a registry
of open figures, a backend chosen for the desktop) that would leak between reports and
into the notebook of whoever calls us. Such a figure is freed when it goes out of scope,
so there is nothing to close. :data:`STYLE` applies only inside
:func:`matplotlib.rc_context`.

Colours are Okabe–Ito, safe for the common colour-vision deficiencies.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.report.facts import ConflictWindow
from sim.report.tables import format_number, format_percent

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
"""Okabe–Ito, strongest contrasts first."""
NEUTRAL = "#555555"
CONFLICT_GREY = "#7F7F7F"
DPI = 100
PANEL_INCHES = (4.2, 2.9)
HEADROOM = 1.05
"""Room above the highest value, so a line at the maximum is not drawn on the frame."""
TITLE_CHARACTERS = 40
"""Characters of a bold panel title that fit across one panel."""
MINIMUM_WIDTH = 8.0
"""Inches; a single panel is widened so the legend under it fits."""
STYLE: dict[RcKeyType, Any] = {
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "figure.facecolor": "white",
}


def new_figure(inches: tuple[float, float], title: str) -> Figure:
    """A titled figure on its own Agg canvas."""
    figure = Figure(figsize=inches, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=13, fontweight="bold")
    return figure


def small_multiples(count: int, title: str) -> tuple[Figure, list[Axes]]:
    """A grid of `count` panels, at most three abreast, with the spare cells removed."""
    columns = 2 if count == 4 else min(count, 3)
    rows = math.ceil(count / columns)
    width, height = PANEL_INCHES
    figure = new_figure((max(MINIMUM_WIDTH, width * columns), height * rows + 0.9), title)
    panels = list(figure.subplots(rows, columns, squeeze=False).flat)
    for spare in panels[count:]:
        figure.delaxes(spare)
    return figure, panels[:count]


def fan(
    axes: Axes,
    x: Sequence[float] | np.ndarray,
    band: Mapping[str, Sequence[float] | np.ndarray],
    colour: str,
    markers: bool = False,
) -> None:
    """A fan chart: P5–P95 shaded, median solid, mean dashed (`band` keys p5, p50, p95, mean).

    With a single point there is no band to shade, so the spread becomes an error bar.
    """
    low, middle, high = band["p5"], band["p50"], band["p95"]
    if len(x) > 1:
        axes.fill_between(x, low, high, color=colour, alpha=0.25, linewidth=0)
    else:
        spread = [[middle[0] - low[0]], [high[0] - middle[0]]]
        axes.errorbar(x, middle, yerr=spread, color=colour, alpha=0.5, capsize=6)
    marker: dict[str, Any] = {"marker": "o", "markersize": 3.5} if markers else {}
    axes.plot(x, middle, color=colour, linewidth=1.8, **marker)
    axes.plot(x, band["mean"], color=colour, linewidth=1.2, linestyle="--")


def fan_handles() -> list[Artist]:
    """Legend entries for :func:`fan`, in neutral grey so they fit every panel's colour."""
    return [
        Patch(color=NEUTRAL, alpha=0.25, label="P5–P95 band"),
        Line2D([], [], color=NEUTRAL, linewidth=1.8, label="Median"),
        Line2D([], [], color=NEUTRAL, linewidth=1.2, linestyle="--", label="Mean"),
    ]


def conflict_handles() -> list[Artist]:
    """Legend entries for :func:`shade_conflict`."""
    return [
        Patch(color=CONFLICT_GREY, alpha=0.35, label="Conflict, mean window"),
        Patch(color=CONFLICT_GREY, alpha=0.12, label="Conflict, possible window"),
    ]


def legend(figure: Figure, handles: Sequence[Artist]) -> None:
    """One legend for the whole figure, under the panels (the title has the top)."""
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=9)


def wrap_label(text: str, width: int) -> str:
    """`text` in lines of at most `width` characters, broken only between words.

    A word is what spaces separate; a longer one (a scenario path such as
    ``ship_repair.fleets.west-coast-ddg.emergent_per_year``) is broken after its dots,
    so each line ends on a whole name part, never mid-word ('emergent_p / er_year'). A
    part longer than `width` on its own keeps its line, however long: a long line is
    read, a broken word is misread.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece, joiner in _pieces(word, width):
            if line and len(line) + len(joiner) + len(piece) > width:
                lines.append(line)
                line = piece
            else:
                line = f"{line}{joiner}{piece}" if line else piece
    if line:
        lines.append(line)
    return "\n".join(lines)


def _pieces(word: str, width: int) -> list[tuple[str, str]]:
    """A word's parts, each with what joins it to the line before: a space for the
    word's first part, nothing for the rest. A word that fits is one part (so '1.5' or
    'e.g.' never breaks); a longer one is cut after each of its dots."""
    if len(word) <= width:
        return [(word, " ")]
    parts = [part for part in re.split(r"(?<=\.)", word) if part]
    return [(part, " " if index == 0 else "") for index, part in enumerate(parts)]


def label_panel(axes: Axes, title: str, unit: str) -> None:
    """Panel title (wrapped at word boundaries to the panel's width) and unit axis.

    Counts start at zero so that panels side by side are read honestly, and the axis
    ends on a labelled tick so the highest value can be read off.
    """
    axes.set_title(wrap_label(title, TITLE_CHARACTERS))
    axes.set_ylabel(unit)
    locator = MaxNLocator(nbins=5, integer=True)
    ticks = locator.tick_values(0, max(axes.dataLim.y1 * HEADROOM, 1))
    axes.set_ylim(0, ticks[-1])
    axes.yaxis.set_major_locator(locator)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value)))


def year_axis(axes: Axes, limits: tuple[float, float] | None = None) -> None:
    """Whole years on the time axis, at most six labels so they never collide.

    `limits` fixes the axis (the stock chart spans the horizon); a yearly chart of a
    single year gets one tick and a little room either side instead of a century.
    """
    if limits is None:
        low, high = axes.dataLim.intervalx
        if high - low < 1:
            limits = (low - 0.6, high + 0.6)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True, min_n_ticks=1))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    if limits is not None:
        axes.set_xlim(*limits)


def shade_conflict(axes: Axes, window: ConflictWindow) -> None:
    """Light where the conflict could fall, darker over its mean window, and its name."""
    possible = (decimal_year(window.earliest_start), decimal_year(window.latest_end))
    typical = (decimal_year(window.mean_start), decimal_year(window.mean_end))
    axes.axvspan(*possible, color=CONFLICT_GREY, alpha=0.12, linewidth=0)
    axes.axvspan(*typical, color=CONFLICT_GREY, alpha=0.35, linewidth=0)
    name = window.name
    if window.probability < 1:
        name += f" (p = {format_percent(window.probability)})"
    axes.annotate(
        name,
        (typical[0], 1),
        xycoords=("data", "axes fraction"),
        xytext=(2, -2),
        textcoords="offset points",
        va="top",
        fontsize=8,
        color="#333333",
    )


def month_end(month: str) -> float:
    """'2027-03' (stock at the end of March 2027) as a decimal year: 2027.25."""
    year, number = month.split("-")
    return int(year) + int(number) / 12


def decimal_year(day: dt.date) -> float:
    """A date as a decimal year, to share the stock chart's time axis."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length
