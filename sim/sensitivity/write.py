"""Write a study's folder: sensitivity.json, sensitivity.md, sensitivity.html, figures/.

Atomically, with the report writer's :func:`sim.report.writer.staged_folder`. Each
metric's tornado chart is ``figures/<metric>.png`` (the metric name with anything but
letters, digits, dots and dashes replaced by ``_``).
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

from sim import __version__
from sim.report import plotting
from sim.report.blocks import Figure
from sim.report.html import html_from_document
from sim.report.json import dumps
from sim.report.markdown import markdown_from_document
from sim.report.titles import metric_title
from sim.report.writer import staged_folder
from sim.sensitivity.document import build_study_document
from sim.sensitivity.estimates import MetricSensitivity
from sim.sensitivity.figures import tornado_figure
from sim.sensitivity.json import study_json
from sim.sensitivity.study import Study
from sim.sensitivity.wording import fit_note

TORNADO_ROWS = 12
"""Inputs shown per tornado chart."""


def write_study(study: Study, out: str | Path) -> Path:
    """Write every file of `study` to the folder `out`, replacing it whole."""
    with staged_folder(out, "the sensitivity study", "sensitivity") as staging:
        (staging / "sensitivity.json").write_text(dumps(study_json(study)), encoding="utf-8")
        figures = _write_figures(study, staging / "figures")
        document = build_study_document(study, figures)
        (staging / "sensitivity.md").write_text(markdown_from_document(document), encoding="utf-8")
        (staging / "sensitivity.html").write_text(
            html_from_document(document, staging, __version__), encoding="utf-8"
        )
    return Path(out)


def figure_name(metric: str) -> str:
    """A file name for `metric`'s tornado chart: safe on every file system."""
    return re.sub(r"[^A-Za-z0-9.-]+", "_", metric) + ".png"


def _write_figures(study: Study, folder: Path) -> dict[str, Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    years = study.request.scenario.year_list()
    with matplotlib.rc_context(plotting.STYLE):
        for result in study.results:
            if not result.varies:
                continue
            name = figure_name(result.metric)
            drawing = tornado_figure(result, years, TORNADO_ROWS)
            drawing.savefig(folder / name, dpi=plotting.DPI)
            title = metric_title(result.metric, years)
            written[result.metric] = Figure(f"{folder.name}/{name}", title, _caption(result))
    return written


def _caption(result: MetricSensitivity) -> str:
    if result.method == "sobol":
        what = (
            "Sobol' indices of the strongest inputs: wide pale bar total order, narrow dark "
            "bar first order; whiskers 95 % bootstrap intervals."
        )
    else:
        what = (
            "Spearman rank correlation of each of the strongest inputs with the metric; "
            "whiskers 95 % intervals. Bars to the right: a higher input goes with a higher "
            "metric; to the left, with a lower one."
        )
    return f"{what} {fit_note(result)}".strip()
