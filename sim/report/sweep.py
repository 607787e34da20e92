"""The figure of a sweep: each metric against the swept value, with its uncertainty.

One panel per metric: the P5–P95 band across replications (how much the outcome varies),
the 95 % confidence band of the mean (how precisely the runs pin it down), the median and
the mean — the same reading as the report's fan charts, with the swept value on the axis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

from sim.report import plotting
from sim.report.figures import Figure
from sim.sweep import positions


def write_sweep_figure(summary: dict[str, Any], folder: Path) -> Figure | None:
    """Draw `summary` (from :func:`sim.sweep.sweep_summary`) as ``sweep.png`` in `folder`."""
    metrics = summary["metrics"]
    if not metrics:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    x, kind = positions(summary["values"])
    title = f"Sweep of {summary['parameter']}"
    with matplotlib.rc_context(plotting.STYLE):
        drawing, panels = plotting.small_multiples(len(metrics), title)
        for index, (axes, (name, data)) in enumerate(zip(panels, metrics.items(), strict=True)):
            colour = plotting.PALETTE[index % len(plotting.PALETTE)]
            points = data["points"]
            band = {key: [point[key] for point in points] for key in ("p5", "p50", "p95", "mean")}
            plotting.fan(axes, x, band, colour, markers=True)
            low = [point["ci95"][0] for point in points]
            high = [point["ci95"][1] for point in points]
            if len(x) > 1:
                axes.fill_between(x, low, high, color=colour, alpha=0.45, linewidth=0)
            plotting.label_panel(axes, name, data["unit"])
            _value_axis(axes, x, kind, summary["values"])
        plotting.legend(drawing, [*plotting.fan_handles(), _ci_handle()])
        drawing.savefig(folder / "sweep.png", dpi=plotting.DPI)
    caption = (
        f"Each panel: a metric against {summary['parameter']}, all other inputs drawn alike "
        "(same seed). Light band: P5–P95 across replications; dark band: 95 % CI of the "
        "mean; solid: median; dashed: mean."
    )
    return Figure(f"{folder.name}/sweep.png", title, caption)


def _value_axis(axes, x, kind: str, values: list[str]) -> None:
    """Label the swept points themselves (as written) when there are few of them."""
    if kind == "number" and len(values) > 8:
        axes.set_xlabel("value")
        return
    long = max(len(str(value)) for value in values) > 6
    axes.set_xticks(
        x,
        [str(value) for value in values],
        rotation=30 if long else 0,
        ha="right" if long else "center",
    )


def _ci_handle():
    from matplotlib.patches import Patch

    return Patch(color=plotting.NEUTRAL, alpha=0.45, label="95 % CI of the mean")
