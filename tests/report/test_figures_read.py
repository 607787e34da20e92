"""Figures a reader takes in at a glance (issue 15, item 9), checked on the Figure objects.

Every painter of the report (:data:`sim.report.figures.PAINTERS`) is run on the shipped
co-production scenario against its counterfactual (production, repair, orders,
spending, drivers: every figure but history and surge) and on the hindcast (history), at
few replications; the checks read the matplotlib objects, not pixels:

* no title (figure or panel) is a metric id such as ``item.PAC-3 MSE.stock_end.2035``;
* every coloured legend entry has its colour on some drawn artist (no entry for a
  category the figure does not draw); the grey entries that explain a fan chart's
  styles (band, median, mean) stand for every panel's colour and are left out;
* wrapped labels break between words, or after a scenario path's dots;
* yard utilisation draws no monthly band (it spanned 0–100 % and hid the load).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.collections import Collection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from sim import api
from sim.report import plotting
from sim.report.canvas import Plan, item_colours
from sim.report.figures import PAINTERS
from sim.report.json import build_report
from sim.runs.montecarlo import Run

ROOT = Path(__file__).resolve().parents[2]
METRIC_ID = re.compile(r"\b(item|line|ships|engines|spending)\.\S|\.stock_end|_days\b")
"""What a metric id looks like inside a title: a group and a dot, or a measure's id."""
NEUTRAL = {to_rgb(plotting.NEUTRAL)}
"""The colour of legend entries that explain styles, not categories."""


def _plans(run: Run) -> dict[str, Plan]:
    report = build_report(run)
    colours = item_colours(run.scenario.items)
    drawn = {}
    with matplotlib.rc_context(plotting.STYLE):
        for painter in PAINTERS:
            plan = painter(run, report, colours)
            if plan is not None:
                drawn[plan.key] = plan
    return drawn


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    """Every figure of co-production (against baseline) and of the hindcast."""
    plan = api.run(ROOT / "scenarios/co-production.yaml", reps=24, workers=1, against=True)
    hindcast = api.run(ROOT / "scenarios/hindcast-pac3.yaml", reps=24, workers=1)
    return {**_plans(plan.run), **{f"hindcast-{k}": p for k, p in _plans(hindcast.run).items()}}


def test_every_figure_the_shipped_scenarios_draw_is_checked(plans: dict[str, Plan]):
    expected = {"deliveries", "stock", "line-output", "bottlenecks", "order-backlog"}
    expected |= {"ship-waits", "yard-utilisation", "bare-firewalls", "depot-waits", "drivers"}
    expected |= {"spending", "unit-cost", "against-headline", "against-forest"}
    expected |= {"against-differences", "hindcast-history"}
    assert expected <= plans.keys()


def _titles(figure: Figure) -> Iterator[str]:
    if figure._suptitle is not None:
        yield figure._suptitle.get_text()
    for axes in figure.axes:
        for where in ("left", "center", "right"):
            yield axes.get_title(where)


def test_no_title_is_a_metric_id(plans: dict[str, Plan]):
    for key, plan in plans.items():
        for title in _titles(plan.drawing):
            assert not METRIC_ID.search(title), (key, title)


def _colours_of(artist: object) -> set[tuple[float, float, float]]:
    """The colours that say what an artist is (alpha aside): a line's, a patch's face, a
    collection's faces or, for lines such as whiskers, its edges. Patch edges are left
    out: black by default on both sides, they would match anything."""
    found: list = []
    if isinstance(artist, Line2D):
        found.append(artist.get_color())
    elif isinstance(artist, Patch):
        found.append(artist.get_facecolor())
    elif isinstance(artist, Collection):
        faces = [face for face in artist.get_facecolor() if face[3] > 0]
        found += faces or list(artist.get_edgecolor())
    return {to_rgb(c) if isinstance(c, str) else tuple(float(v) for v in c[:3]) for c in found}


def _drawn_colours(figure: Figure) -> set[tuple[float, float, float]]:
    colours: set = set()
    for axes in figure.axes:
        for artist in (*axes.lines, *axes.patches, *axes.collections):
            if isinstance(artist, Rectangle) and artist.get_width() * artist.get_height() == 0:
                continue  # a bar of zero length draws nothing
            colours |= _colours_of(artist)
    return colours


def _legend_entries(figure: Figure) -> list[tuple[str, set]]:
    entries = []
    for legend in figure.legends:
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
            entries.append((text.get_text(), _colours_of(handle)))
    return entries


def test_a_legend_names_only_what_the_figure_draws(plans: dict[str, Plan]):
    for key, plan in plans.items():
        drawn = _drawn_colours(plan.drawing)
        for label, colours in _legend_entries(plan.drawing):
            if colours <= NEUTRAL:
                continue
            assert colours & drawn, f"{key}: legend entry {label!r} has no drawn artist"


def test_the_bottleneck_legend_leaves_out_a_cause_no_line_has(plans: dict[str, Plan]):
    """Co-production funds no line by a rate cap, so no line is funding-capped."""
    labels = [label for label, _ in _legend_entries(plans["bottlenecks"].drawing)]
    assert labels == ["Starved of inputs", "Disrupted"]


def test_the_history_legend_shows_only_the_kind_of_observation_drawn(plans: dict[str, Plan]):
    """The hindcast's observations all fall inside the band (its calibration holds)."""
    labels = [label for label, _ in _legend_entries(plans["hindcast-history"].drawing)]
    assert "Observed, inside" in labels and "Observed, outside" not in labels


def test_drivers_name_each_input_whole_broken_only_after_a_dot(plans: dict[str, Plan]):
    figure = plans["drivers"].drawing
    labels = [tick.get_text() for axes in figure.axes for tick in axes.get_yticklabels()]
    assert labels
    for label in labels:
        lines = label.split("\n")
        assert all(line.endswith(".") for line in lines[:-1]), label
        assert re.fullmatch(r"[\w.\- ]+", "".join(lines)), label


def test_yard_utilisation_draws_no_monthly_band(plans: dict[str, Plan]):
    """Monthly means as lines, the horizon's spread as whiskers inside 0–100 %."""
    months, horizon = plans["yard-utilisation"].drawing.axes
    bands = [c for c in months.collections if isinstance(c, PolyCollection)]
    assert not bands and len(months.lines) == 5  # one per yard
    assert months.get_ylim() == (0, 100) and horizon.get_xlim() == (0, 100)
    for whisker in horizon.collections:
        for segment in whisker.get_segments():
            assert np.all((segment[:, 0] >= 0) & (segment[:, 0] <= 100))


def test_every_figure_keeps_each_items_colour(plans: dict[str, Plan]):
    """PAC-3 MSE is drawn in the first colour, SM-3 IIA the second, AIM-120 the third,
    in the run's fan charts and in the plan's bars of the headline figure."""
    expected = [to_rgb(colour) for colour in plotting.PALETTE[:3]]
    deliveries = [to_rgb(p.lines[0].get_color()) for p in plans["deliveries"].drawing.axes]
    plan_bars = [
        to_rgb(p.patches[1].get_facecolor()[:3]) for p in plans["against-headline"].drawing.axes
    ]
    assert deliveries == expected and plan_bars == expected


@given(
    st.lists(st.text(alphabet="ab_-.", min_size=1, max_size=30), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=40),
)
def test_wrap_label_breaks_only_between_words_or_after_dots(words: list[str], width: int):
    text = " ".join(words)
    lines = plotting.wrap_label(text, width).split("\n")
    position = 0
    for line in lines:
        assert text.startswith(line, position)  # nothing lost, added or reordered
        position += len(line)
        if position < len(text):
            if text[position] == " ":
                position += 1  # broken between words
            else:
                assert line.endswith(".")  # or after a path's dot, never mid-word
        # over the width only when the line is one part that cannot be broken
        assert len(line) <= width or (" " not in line and "." not in line[:-1])
    assert position == len(text)


def test_wrap_label_keeps_a_short_word_whole_and_breaks_a_path_after_its_dots():
    path = "ship_repair.fleets.west-coast-ddg.emergent_per_year"
    assert plotting.wrap_label(path, 44) == "ship_repair.fleets.west-coast-ddg.\nemergent_per_year"
    assert plotting.wrap_label("growth of 1.5 a year", 8) == "growth\nof 1.5 a\nyear"
