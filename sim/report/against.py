"""The report's lead when a run has a counterfactual: what the plan changes against it.

A reader of a plan's report wants the plan's effect before its levels, so the section
comes right after the run's facts: one sentence per headline metric (the paired
difference and its 95 % CI, in :mod:`sim.compare.wording`'s words), first for the
scenario's headline year, then for the horizon's end and totals over it; ``sim
compare``'s forest plot and difference fans; and how the pairing was made. The terminal
summary leads with a few of the same sentences for the headline year.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure as Drawing

from sim.compare.comparison import MetricComparison
from sim.compare.figures import draw_difference_fans, draw_forest
from sim.compare.measures import label
from sim.compare.value import per_billion_rows
from sim.compare.wording import change, interval, sentence, unit_words
from sim.report.canvas import Colours, Plan
from sim.report.tables import MISSING, format_years
from sim.runs.against import Against, lead_names
from sim.runs.montecarlo import Run

FIGURE_PREFIX = "against-"
FIGURES = (f"{FIGURE_PREFIX}forest", f"{FIGURE_PREFIX}differences")
"""The keys of the figures this section places."""
TERMINAL_LINES = 6
"""Most sentences the terminal summary leads with."""


def title(against: Against) -> str:
    """'What co-production changes against baseline'."""
    return f"What {against.comparison.label_b} changes against {against.name}"


def forest(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """``sim compare``'s forest plot of the plan against its counterfactual, yearly
    measures in the headline year."""
    if run.against is None:
        return None
    return _plan(FIGURES[0], draw_forest(run.against.comparison, run.scenario.lead_year))


def difference_fans(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """``sim compare``'s fan charts of the yearly differences per end item."""
    if run.against is None:
        return None
    return _plan(FIGURES[1], draw_difference_fans(run.against.comparison))


def _plan(key: str, planned: tuple[Drawing, str, str] | None) -> Plan | None:
    if planned is None:
        return None
    drawing, heading, caption = planned
    return Plan(key, heading, caption, drawing)


def lead_sentences(run: Run) -> dict[str, list[str]]:
    """The lead's sentences: ``"year"`` for the headline year, ``"horizon"`` for the
    horizon's end and totals (empty when the headline year is the last)."""
    against = run.against
    if against is None:
        return {"year": [], "horizon": []}
    comparison = against.comparison
    years = comparison.years
    names = lead_names(list(comparison.metrics), years, run.scenario.lead_year)
    return {
        part: [sentence(comparison.metrics[name], years, comparison.label_b) for name in chosen]
        for part, chosen in names.items()
    }


def value_sentence(run: Run) -> str | None:
    """What the plan's extra spending buys, when both runs are priced: 'Extra missiles
    per extra billion US$: +254 (95 % CI +247 to +262): +1,952 missiles for +7.67 billion
    US$ over 2026–2035.' (the row of ``sim compare``, :mod:`sim.compare.value`)."""
    against = run.against
    row = None if against is None else against.comparison.per_billion
    if row is None or row.ratio is None:
        return None
    spending, missiles, ratio = per_billion_rows(row)
    years = format_years(run.scenario.year_list())
    return (
        f"{ratio[0]}: {ratio[1]} (95 % CI {ratio[2]}): {missiles[1]} missiles for "
        f"{spending[1]} billion US$ over {years}, counting {', '.join(row.items)} alike."
    )


def method_note(run: Run) -> str:
    """How the numbers were made: common random numbers, and what --set touched."""
    against = run.against
    assert against is not None
    comparison = against.comparison
    text = (
        f"Each figure is {comparison.label_b} minus {against.name}: the mean of the "
        "per-replication differences, with its 95 % confidence interval. "
        f"{against.name} ({against.run.scenario.file}) ran in the same command with the same "
        f"seed ({run.seed}), {run.replications:,} replications and the {run.engine} engine, so "
        "replication i of both drew the same value of every uncertain input they share "
        "(common random numbers): the differences are the plan's effect, not noise "
        "between two runs."
    )
    if not comparison.paired:
        text += f" The runs could not be paired ({comparison.method})."
    counter_overrides = against.run.scenario.overrides
    if against.plan_overrides:
        text += (
            f" The --set overrides ({', '.join(against.plan_overrides)}) apply to "
            f"{comparison.label_b} only."
        )
    text += (
        f" {against.name} ran with --against-set {', '.join(counter_overrides)}."
        if counter_overrides
        else f" {against.name} ran as its file says."
    )
    scope = (
        "every metric both runs report"
        if against.scope == "all"
        else "the headline metrics (the run was too large to hold every metric in memory)"
    )
    return text + f' report.json\'s "against" gives the difference of {scope}.'


def year_heading(run: Run) -> str:
    """'In 2030:' — the headline year's sentences."""
    return f"In {run.scenario.lead_year}:"


def horizon_heading(run: Run) -> str:
    """'At the end of 2035 (totals over 2026–2035):'."""
    years = run.scenario.year_list()
    return f"At the end of {years[-1]} (totals over {format_years(years)}):"


def terminal_lines(run: Run) -> list[str]:
    """A few lines for the terminal: the headline year's end stock and deliveries."""
    against = run.against
    if against is None:
        return []
    comparison = against.comparison
    years = comparison.years
    names = lead_names(list(comparison.metrics), years, run.scenario.lead_year)["year"]
    names = [name for name in names if ".owner." not in name]
    same = [name for name in names if _same_everywhere(comparison.metrics[name])]
    chosen = [name for name in names if name not in same][:TERMINAL_LINES]
    method = "paired" if comparison.paired else "not paired"
    lines = [
        f"{title(against)} ({method}, seed {run.seed}, {run.replications:,} replications; 95 % CI):"
    ]
    for name in chosen:
        entry = comparison.metrics[name]
        difference = entry.difference
        ci = interval(difference.ci95, entry.unit)
        text = f"  {label(entry.metric, years)}: {change(difference.diff, entry.unit)}"
        text += f" {unit_words(entry)}"
        lines.append(text if ci == MISSING else f"{text} ({ci})")
    if same:
        listed = ", ".join(label(comparison.metrics[name].metric, years) for name in same[:3])
        more = f" and {len(same) - 3} more" if len(same) > 3 else ""
        lines.append(f"  The same in every replication: {listed}{more}.")
    return lines


def _same_everywhere(entry: MetricComparison) -> bool:
    """B equals A in every paired replication (a metric the plan does not touch)."""
    difference = entry.difference
    return difference.paired and difference.diff == 0 and difference.sd_diff == 0
