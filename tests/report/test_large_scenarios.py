"""A large scenario gets readable figures: its largest items and lines, not one giant.

A thousand-line scenario once spent 360 of 383 s drawing figures (a 19 MB PNG, a 56 MB
report.html). Figures now draw at most MOST_PANELS items or lines (MOST_BARS in the
bottleneck chart), the largest by mean, and say what they left out.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.bench.synthetic import family_scenario
from sim.report.figures import MOST_PANELS
from sim.report.writer import write_report
from sim.runs.montecarlo import run


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory) -> Path:
    finished = run(family_scenario(3 * 20, years=2), 250)  # 20 end items, 60 lines
    return write_report(finished, tmp_path_factory.mktemp("large") / "out")


def test_figures_draw_the_largest_and_say_so(report_folder: Path):
    markdown = (report_folder / "report.md").read_text(encoding="utf-8")
    assert f"Only the {MOST_PANELS} largest of 20 are drawn" in markdown  # items
    assert f"Only the {MOST_PANELS} largest of 60 are drawn" in markdown  # lines


def test_the_figures_stay_small(report_folder: Path):
    for figure in (report_folder / "figures").iterdir():
        assert figure.stat().st_size < 400_000, figure.name
