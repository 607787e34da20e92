"""What a notebook shows for a run (:meth:`sim.api.Result._repr_html_`).

A run evaluated in a notebook cell should answer "what came out?" at a glance, the way
the terminal summary does: the run in one line, then its headline metrics (the ones a
comparison leads with and ``--precision`` drives) with mean, P5–P95 and the 95 % CI of
the mean. The full report is a ``save()`` away.
"""

from __future__ import annotations

from html import escape

from sim.report.tables import format_interval, format_number
from sim.runs.montecarlo import Run
from sim.sensitivity.metrics import headline_metrics

MOST_ROWS = 12
"""Headline metrics shown; a scenario with many items lists the first ones."""


def result_html(run: Run) -> str:
    """An HTML summary of `run`: what was run, then a table of its headline metrics."""
    metrics = run.summaries.metrics
    names = headline_metrics(run.network, metrics)[:MOST_ROWS]
    caption = (
        f"<b>{escape(run.scenario.name)}</b>: {run.replications:,} replications, "
        f"seed {run.seed}, {escape(run.engine)} engine, {len(metrics)} metrics"
    )
    rows = "".join(_row(name, metrics[name]) for name in names)
    head = "".join(
        f"<th>{title}</th>" for title in ("metric", "unit", "mean", "P5–P95", "95 % CI of mean")
    )
    return (
        f"<div><p>{caption}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _row(name: str, summary: dict) -> str:
    spread = f"{format_number(summary.get('p5'))}–{format_number(summary.get('p95'))}"
    cells = (
        f"<td><code>{escape(name)}</code></td>",
        f"<td>{escape(str(summary.get('unit', '')))}</td>",
        f'<td style="text-align:right">{format_number(summary.get("mean"))}</td>',
        f'<td style="text-align:right">{spread}</td>',
        f'<td style="text-align:right">{format_interval(summary)}</td>',
    )
    return "<tr>" + "".join(cells) + "</tr>"
