"""The run report's "What drives the headline numbers": the rank method on the run itself.

Every replication of a finished run pairs a draw of each uncertain input with the
numbers it led to, so ranking the inputs by their Spearman correlation with each
headline number costs no extra simulation: the inputs are drawn again for the run's
replications (draws depend only on the seed, the replication and the input's name) and
set beside the run's own outcomes. Headline numbers are the scenario's ``headline:``
list, else each end item's stock at the end of the horizon (and repair's headline
measures) — at most :data:`MOST_METRICS` of them.

The section and its figure both need the analysis, and the report renders twice
(Markdown and HTML), so it is computed once per run and remembered while the run lives.
"""

from __future__ import annotations

import weakref

from matplotlib.figure import Figure as Drawing

from sim.errors import RunError
from sim.runs.montecarlo import Run
from sim.sensitivity.estimates import MetricSensitivity
from sim.sensitivity.figures import tornado_panels
from sim.sensitivity.inputs import run_inputs
from sim.sensitivity.metrics import headline_metrics
from sim.sensitivity.rank import rank_sensitivity
from sim.sensitivity.wording import fit_note, summary_sentence

TITLE = "What drives the headline numbers"
MOST_METRICS = 4
DRIVERS_NAMED = 3
"""Drivers named in the text per headline number; the figure shows a few more."""
DRIVERS_DRAWN = 5
MINIMUM_REPLICATIONS = 20
"""Below this a rank correlation's interval is too wide (about ±0.45) to rank anything."""
MOST_REPLICATIONS = 2000
"""Replications used at most (the run's first): ρ's interval is then about ±0.04, plenty
to rank drivers, and the report's cost stays bounded however long the run."""

INTRODUCTION = (
    "Which uncertain inputs move each headline number most, by Spearman's rank "
    "correlation ρ between the input's draw and the number across this run's "
    f"replications (at most the first {MOST_REPLICATIONS:,}; no extra simulation). "
    "ρ near +1: a higher input goes with a higher number; near −1: with a lower one; "
    "near 0: no monotone link. The share of each number's ranks that such monotone "
    "effects explain (rank regression R²) shows how far the ranking tells the story; the "
    "rest is interactions, non-monotone effects and noise. Randomness drawn per event "
    "(disruption events, unit failures) and yes/no draws (whether a conflict happens) "
    "are not inputs and count as noise. Inputs are named by their scenario path, as "
    "`--set` takes them; `sim sensitivity` ranks every input for any metric, and by "
    "Sobol' indices too."
)

_REMEMBERED: dict[int, list[MetricSensitivity]] = {}


def report_drivers(run: Run) -> list[MetricSensitivity]:
    """Rank-method sensitivities of the run's headline numbers.

    Empty when nothing in the scenario is uncertain, the run is too small to rank, or it
    did not keep its per-replication values.
    """
    key = id(run)
    if key not in _REMEMBERED:
        _REMEMBERED[key] = _analyse(run)
        weakref.finalize(run, _REMEMBERED.pop, key, None)
    return _REMEMBERED[key]


def _analyse(run: Run) -> list[MetricSensitivity]:
    try:
        outcomes = run.outcomes
    except RunError:
        return []
    if len(outcomes.replications) < MINIMUM_REPLICATIONS:
        return []
    chosen = headline_metrics(run.network, outcomes.metrics)[:MOST_METRICS]
    if not chosen:
        return []
    used = outcomes.replications[:MOST_REPLICATIONS]
    inputs = run_inputs(run.network, run.seed, used)
    if not inputs:
        return []
    return [
        rank_sensitivity(name, outcomes.units[name], inputs, outcomes.metrics[name][: len(used)])
        for name in chosen
    ]


def driver_sentences(run: Run) -> list[str]:
    """Per headline number, its strongest drivers in words, with how much ranks explain."""
    return [
        " ".join(filter(None, (summary_sentence(result, DRIVERS_NAMED), fit_note(result, True))))
        for result in report_drivers(run)
    ]


def drivers_drawing(run: Run) -> tuple[str, str, Drawing] | None:
    """Title, caption and tornado panels of the headline numbers' drivers, if any vary."""
    shown = [result for result in report_drivers(run) if result.top(1)]
    if not shown:
        return None
    drawing = tornado_panels(shown, TITLE, run.scenario.year_list(), DRIVERS_DRAWN)
    used = min(run.replications, MOST_REPLICATIONS)
    caption = (
        f"The {DRIVERS_DRAWN} inputs most tied to each headline number: Spearman rank "
        f"correlation across {_replications(used, run.replications)}, whiskers 95 % intervals. "
        "Blue: a higher input goes with a higher number; vermilion: with a lower one."
    )
    return TITLE, caption, drawing


def _replications(used: int, total: int) -> str:
    """'1,000 replications', or 'the first 2,000 of 10,000 replications'."""
    return (
        f"{total:,} replications"
        if used == total
        else f"the first {used:,} of {total:,} replications"
    )
