"""``sensitivity.md`` and ``sensitivity.html``: a study as the report's document model.

The content is built once as a :class:`sim.report.document.Document` and rendered by the
report's own Markdown and HTML writers, so a study reads like every other output.
"""

from __future__ import annotations

from sim.report.blocks import Bullets, Document, Figure, Image, Paragraph, Section
from sim.report.tables import Table
from sim.sensitivity.estimates import MetricSensitivity
from sim.sensitivity.json import NOISE_NOTE
from sim.sensitivity.study import Study
from sim.sensitivity.wording import fit_note, format_index, format_range, summary_sentence

TABLE_ROWS = 15
"""Inputs listed per metric; the JSON has them all."""

METHOD_NOTES = {
    "rank": (
        "Rank method: one Monte Carlo run; each replication pairs a draw of every uncertain "
        "input with the metric it led to. ρ is Spearman's rank correlation of the input with "
        "the metric (its effect on its own, the other inputs averaged over); SRRC is the "
        "standardised rank regression coefficient (its effect with the other inputs held "
        "fixed). Both catch any monotone effect; an input whose effect rises then falls can "
        "show ρ near 0 and still matter — use --method sobol to check."
    ),
    "sobol": (
        "Sobol' method: a Saltelli design (SALib). The first-order index is the share of the "
        "metric's variance an input explains on its own; the total-order index the share it "
        "has a hand in, interactions included. Intervals are bootstrap 95 % intervals."
    ),
}


def build_study_document(study: Study, figures: dict[str, Figure]) -> Document:
    """Everything ``sensitivity.md`` says: the study, then one section per metric."""
    request = study.request
    runs = f"{request.model_runs:,} model runs"
    if request.method == "sobol":
        runs += f" (N = {request.size:,} base samples × ({len(request.inputs)} inputs + 3))"
    facts = (
        f"Scenario: {request.scenario.name}, from {request.scenario.file}",
        f"Method: {request.method}; {runs}, seed {request.seed}, vector engine",
        f"Inputs studied: {len(request.inputs):,} uncertain scalars",
        f"Wall time: {study.wall_seconds:,.1f} s",
    )
    notes = (Paragraph((METHOD_NOTES[request.method],)), Paragraph((NOISE_NOTE,)))
    how = Section("Method", 2, notes)
    sections = [
        Section("Study", 2, (Bullets(tuple((fact,) for fact in facts)),)),
        how,
        *(_metric_section(study, result, figures.get(result.metric)) for result in study.results),
    ]
    return Document(f"Sensitivity: {request.scenario.name}", (), tuple(sections))


def _metric_section(study: Study, result: MetricSensitivity, figure: Figure | None) -> Section:
    blocks: list = [Paragraph((summary_sentence(result),))]
    if note := fit_note(result):
        blocks.append(Paragraph((note,)))
    if result.varies:
        blocks.append(_table(study, result))
    if figure is not None:
        blocks.append(Image(figure))
    return Section(result.metric, 2, tuple(blocks))


def _table(study: Study, result: MetricSensitivity) -> Table:
    start = study.request.scenario.start
    if result.method == "sobol":
        header = ("rank", "input", "P5 – P95 of input", "total order (95 % CI)", "first order")
        keys, signed = ("total_order", "first_order"), False
    else:
        header = ("rank", "input", "P5 – P95 of input", "ρ (95 % CI)", "SRRC (95 % CI)")
        keys, signed = ("spearman", "srrc"), True
    rows = [
        (
            str(entry.rank),
            entry.name,
            format_range(entry.input, study.ranges.get(entry.input), start),
            *(format_index(entry.estimates[key], signed) for key in keys),
        )
        for entry in result.inputs[:TABLE_ROWS]
    ]
    if result.remainder is not None:
        remainder = result.remainder
        rows.append(
            ("", remainder.name, "", *(format_index(remainder.estimates[k], signed) for k in keys))
        )
    return Table(header, tuple(rows), (True, False, True, True, True))
