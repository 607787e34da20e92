"""The figure of a sweep: each metric against the swept value, with its uncertainty.

One panel per metric: the P5–P95 band across replications (how much the outcome varies),
the 95 % confidence band of the mean (how precisely the runs pin it down), the median and
the mean — the same reading as the report's fan charts, with the swept value on the axis.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np

from sim.report import plotting
from sim.report.blocks import Document, Figure, Image, Paragraph, Section
from sim.report.canvas import item_colours, metric_colour
from sim.report.html import html_from_document
from sim.report.json import dumps
from sim.report.markdown import markdown_from_document
from sim.report.tables import Table, format_interval, format_spread
from sim.report.titles import metric_title
from sim.report.writer import staged_folder, write_run_record
from sim.runs.sweep import positions, variant_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.patches import Patch

    from sim.scenario.model import Scenario


def write_sweep_figure(summary: dict[str, Any], folder: Path, scenario: Scenario) -> Figure | None:
    """Draw `summary` (from :func:`sim.runs.sweep.sweep_summary`) as ``sweep.png`` in `folder`.

    `scenario` (the swept one) gives the horizon, which names metrics totalled over it,
    and each item's colour, the same as in its run reports.
    """
    metrics = summary["metrics"]
    if not metrics:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    x, kind = positions(summary["values"])
    title = f"Sweep of {summary['parameter']}"
    years = scenario.year_list()
    colours = item_colours(scenario.items)
    line_items = {name: line.makes for name, line in scenario.lines.items()}
    with matplotlib.rc_context(plotting.STYLE):
        drawing, panels = plotting.small_multiples(len(metrics), title)
        for axes, (name, data) in zip(panels, metrics.items(), strict=True):
            colour = metric_colour(name, colours, line_items)
            points = data["points"]
            band = {key: [point[key] for point in points] for key in ("p5", "p50", "p95", "mean")}
            plotting.fan(axes, x, band, colour, markers=True)
            low = [point["ci95"][0] for point in points]
            high = [point["ci95"][1] for point in points]
            if len(x) > 1:
                axes.fill_between(x, low, high, color=colour, alpha=0.45, linewidth=0)
            plotting.label_panel(axes, metric_title(name, years), data["unit"])
            _value_axis(axes, x, kind, summary["values"], summary["parameter"])
        plotting.legend(drawing, [*plotting.fan_handles(), _ci_handle()])
        drawing.savefig(folder / "sweep.png", dpi=plotting.DPI)
    caption = (
        f"Each panel: a metric against {summary['parameter']}, all other inputs drawn alike "
        "(same seed). Light band: P5–P95 across replications; dark band: 95 % CI of the "
        "mean; solid: median; dashed: mean."
    )
    return Figure(f"{folder.name}/sweep.png", title, caption)


def _value_axis(axes: Axes, x: np.ndarray, kind: str, values: list[str], parameter: str) -> None:
    """Name the axis by the swept parameter, and label the swept points themselves (as
    written) when there are few of them."""
    axes.set_xlabel(parameter)
    if kind == "number" and len(values) > 8:
        return
    long = max(len(str(value)) for value in values) > 6
    axes.set_xticks(
        x,
        [str(value) for value in values],
        rotation=30 if long else 0,
        ha="right" if long else "center",
    )


def _ci_handle() -> Patch:
    from matplotlib.patches import Patch

    return Patch(color=plotting.NEUTRAL, alpha=0.45, label="95 % CI of the mean")


def write_sweep(summary: dict[str, Any], variants: list, out: Path) -> Path:
    """Write sweep.json, sweep.md, sweep.html, sweep.png and each variant's run files.

    Every variant gets ``variants/<nn>-<value>/report.json`` and ``replications.csv``,
    so any two can be put through ``sim compare`` (they share a seed, so the comparison
    is paired, and it says which value differs).
    """
    with staged_folder(out, "the sweep", "sweep") as staging:
        (staging / "sweep.json").write_text(dumps(summary), encoding="utf-8")
        for entry, variant in zip(summary["variants"], variants, strict=True):
            folder = staging / entry["folder"]
            folder.mkdir(parents=True)
            write_run_record(variant.run, folder)
        figure = write_sweep_figure(summary, staging / "figures", variants[0].run.scenario)
        sections = []
        for name, data in summary["metrics"].items():
            rows = tuple(
                (str(value), format_spread(point, data["unit"]), format_interval(point))
                for value, point in zip(summary["values"], data["points"], strict=True)
            )
            table = Table(
                header=(summary["parameter"], "mean (P5–P95)", "95 % CI of the mean"),
                rows=rows,
                numeric=(False, True, True),
            )
            sections.append(Section(name, 2, (table,)))
        files = Table(
            header=("variant", "run files (report.json, replications.csv)"),
            rows=tuple(
                (variant_label(summary["parameter"], entry["value"]), f"{entry['folder']}/")
                for entry in summary["variants"]
            ),
            numeric=(False, False),
        )
        sections.append(Section("Run files of each value", 2, (files,)))
        run = summary["run"]
        introduction = (
            Paragraph(
                (
                    f"{summary['scenario']['name']} ({summary['scenario']['file']}) with "
                    f"{summary['parameter']} set to each value in turn; {run['replications']:,} "
                    f"replications per value, seed {run['seed']} for all, so every other input "
                    "takes the same draws. Each value's run files are in variants/, "
                    "named by the value (listed at the end); `sim compare` on two of them "
                    "says what differs.",
                )
            ),
            *((Image(figure),) if figure else ()),
        )
        document = Document(f"Sweep of {summary['parameter']}", introduction, tuple(sections))
        (staging / "sweep.md").write_text(markdown_from_document(document), encoding="utf-8")
        version = variants[0].run.version
        (staging / "sweep.html").write_text(
            html_from_document(document, staging, version), encoding="utf-8"
        )
    return out
