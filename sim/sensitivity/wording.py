"""Sensitivities in plain words, and their numbers formatted once for every output.

Shared by ``sensitivity.md``/``.html`` and the run report's "What drives the headline
numbers" section, so the two never describe the same driver differently.
"""

from __future__ import annotations

import datetime as dt

from sim.parameter_id import Kind, ParameterId
from sim.report.tables import format_number
from sim.sensitivity.estimates import Estimate, InputSensitivity, MetricSensitivity

STRENGTHS = ((0.7, "strongly"), (0.4, "clearly"), (0.2, "moderately"), (0.1, "weakly"))
"""|ρ| thresholds and the adverb for each; below the last, 'barely'."""


def format_index(estimate: Estimate, signed: bool) -> str:
    """'+0.75 (0.72 to 0.78)': an index with its 95 % interval; '—' when undefined."""
    if not estimate.defined:
        return "—"
    sign = "+" if signed else ""
    return f"{estimate.value:{sign}.2f} ({estimate.low:{sign}.2f} to {estimate.high:{sign}.2f})"


def format_input_value(parameter: ParameterId, value: float, start: dt.date) -> str:
    """An input's value for reading: a date for dates (days since `start`), a whole number
    for counts (the model rounds their draws), else a number."""
    if parameter.kind is Kind.DATE:
        return (start + dt.timedelta(days=round(value))).isoformat()
    if parameter.kind is Kind.COUNT:
        return format_number(round(value))
    return format_number(value)


def format_range(parameter: ParameterId, bounds: tuple[float, float] | None, start: dt.date) -> str:
    """'2027-06-14 – 2031-09-02': the P5–P95 of an input's draws."""
    if bounds is None:
        return "—"
    low, high = (format_input_value(parameter, value, start) for value in bounds)
    return low if low == high else f"{low} – {high}"


def strength(value: float) -> str:
    """How strongly a rank correlation of `value` ties an input to the metric."""
    size = abs(value)
    return next((word for threshold, word in STRENGTHS if size >= threshold), "barely")


def describe_driver(entry: InputSensitivity, result: MetricSensitivity) -> str:
    """One driver in a clause, e.g. 'stockpiles.AIM-120.US (ρ = +0.75, 95 % CI …): the
    higher it is, the higher the metric'."""
    if result.method == "sobol":
        total, first = entry.estimates["total_order"], entry.estimates["first_order"]
        return (
            f"{entry.name} has a hand in {_percent(total.value)} of the variance "
            f"(total-order index, 95 % CI {_percent(total.low)} to {_percent(total.high)}), "
            f"{_percent(first.value)} on its own"
        )
    rho = entry.estimates["spearman"]
    higher = "later" if entry.input.kind is Kind.DATE else "higher"
    direction = "higher" if rho.value >= 0 else "lower"
    return (
        f"{entry.name} (ρ = {rho.value:+.2f}, 95 % CI {rho.low:+.2f} to {rho.high:+.2f}): "
        f"{strength(rho.value)} tied, the {higher} it is the {direction} the metric"
    )


def _percent(value: float) -> str:
    return f"{100 * value:.0f} %"


def summary_sentence(result: MetricSensitivity, count: int = 3) -> str:
    """The `count` strongest drivers of one metric in one sentence, or why there are none."""
    if not result.varies:
        return f"{result.metric} takes the same value in every run: nothing drives it."
    top = result.top(count)
    if not top:
        return f"{result.metric}: too few runs with a value to rank its drivers."
    listed = "; ".join(
        f"{place}. {describe_driver(entry, result)}" for place, entry in enumerate(top, start=1)
    )
    return f"{result.metric} is driven most by: {listed}."


def fit_note(result: MetricSensitivity, short: bool = False) -> str:
    """What share of the metric's variation the method accounts for (`short`: in brief)."""
    if result.method == "sobol" and result.remainder is not None:
        total = result.remainder.estimates["total_order"]
        return (
            f"Per-event noise and unstudied inputs ('(everything else)') have a hand in "
            f"{_percent(total.value)} of the variance (95 % CI {_percent(total.low)} to "
            f"{_percent(total.high)})."
        )
    r_squared = result.fit.get("r_squared")
    if r_squared is None or r_squared != r_squared:
        return ""
    if short:
        return f"Monotone effects of the inputs explain {100 * r_squared:.0f} % of its ranks."
    return (
        f"Monotone effects of the inputs explain {100 * r_squared:.0f} % of the variation "
        "in the metric's ranks (rank regression R²); the rest is interactions, non-monotone "
        "effects and per-event noise."
    )
