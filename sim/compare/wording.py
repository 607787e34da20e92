"""How a comparison's numbers read: amounts, signed changes, intervals and sentences.

Numbers go through :mod:`sim.report.tables`, so a comparison rounds exactly as a run's
report does. Fractions (utilisation, late shares) read as percentages and their changes
as percentage points, which is how an analyst says them.
"""

from __future__ import annotations

from sim.compare.comparison import MetricComparison
from sim.compare.measures import label
from sim.compare.statistics import Interval
from sim.report.tables import MISSING, format_number, format_percent, format_signed

FRACTION = "fraction"
POINTS = "percentage points"


def amount(value: float | None, unit: str) -> str:
    """A level without its unit ('2,310'), or a percentage for a fraction ('32 %')."""
    return format_percent(value) if unit == FRACTION else format_number(value)


def change(value: float | None, unit: str) -> str:
    """A signed difference without its unit: '+410', '-3.5', '+3.2' (points) for a fraction."""
    if value is not None and unit == FRACTION:
        value = 100 * value
    return format_signed(value)


def unit_of_change(unit: str) -> str:
    """The unit a difference is in: a fraction changes by percentage points."""
    return POINTS if unit == FRACTION else unit


def unit_words(entry: MetricComparison) -> str:
    """The unit of a difference in words: 'missiles', 'percentage points', and for a mean
    over repair jobs, 'days per availability' or 'days per repair'."""
    words = unit_of_change(entry.unit)
    job = entry.metric.per_job
    return f"{words} per {job}" if job and entry.unit == "days" else words


def interval(bounds: Interval, unit: str) -> str:
    """'+380 to +440' (a 95 % CI of a difference); '—' when there is none."""
    low, high = bounds
    if low is None or high is None:
        return MISSING
    return f"{change(low, unit)} to {change(high, unit)}"


def levels(entry: MetricComparison) -> str:
    """'2,310 → 2,720': A's mean, then B's."""
    unit = entry.unit
    return f"{amount(entry.difference.a, unit)} → {amount(entry.difference.b, unit)}"


def difference_with_interval(entry: MetricComparison) -> str:
    """'+410 (+380 to +440)'."""
    difference, unit = entry.difference, entry.unit
    ci = interval(difference.ci95, unit)
    text = change(difference.diff, unit)
    return text if ci == MISSING else f"{text} ({ci})"


def effect(entry: MetricComparison) -> str:
    """The standardised difference: '+1.4 sd'; '—' when undefined."""
    value = entry.difference.standardised
    if value is None:
        return MISSING
    if value in (float("inf"), float("-inf")):
        return "+∞ sd" if value > 0 else "-∞ sd"
    return f"{format_signed(value)} sd"


def better_in(entry: MetricComparison) -> str:
    """'97 %': share of paired replications where B is better; '—' without a direction."""
    return format_percent(entry.b_better_share)


def pairs(entry: MetricComparison) -> str:
    """How many replications the interval rests on: '1,000 paired' or '1,000 + 1,000'."""
    difference = entry.difference
    if difference.paired:
        return f"{difference.n_pairs:,} paired"
    return f"{difference.n_a:,} + {difference.n_b:,}"


def _share(share: float, pairs: int, lead: bool = False) -> str:
    """How many paired replications: '97 % of paired replications' (the lead) or '1 %'.

    A share that shows as 0 % or 100 % without being so is counted instead ('3 of 1,000',
    '997 of 1,000 paired replications'), so that it never contradicts the other share.
    """
    rounded = format_percent(share) in (format_percent(0.0), format_percent(1.0))
    if 0 < share < 1 and pairs > 0 and rounded:
        counted = f"{max(1, round(share * pairs)):,} of {pairs:,}"
        return f"{counted} paired replications" if lead else counted
    return f"{format_percent(share)} of paired replications" if lead else format_percent(share)


def sentence(entry: MetricComparison, years: list[int], label_b: str) -> str:
    """'PAC-3 MSE stock at end of 2030: +410 missiles (95 % CI +380 to +440); better in
    co-production in 97 % of paired replications, worse in 1 %.'"""
    difference, unit = entry.difference, entry.unit
    text = f"{label(entry.metric, years)}: {change(difference.diff, unit)} {unit_words(entry)}"
    ci = interval(difference.ci95, unit)
    if ci != MISSING:
        text += f" (95 % CI {ci})"
    if entry.b_better_share is not None and entry.b_worse_share is not None:
        better, worse = entry.b_better_share, entry.b_worse_share
        if better == 0 and worse == 0:
            text += "; the same in every paired replication"
        else:
            # The larger share leads: "worse in contingency in 100 %", not "better in 0 %".
            shares = [("better", better), ("worse", worse)]
            (lead, first), (other, second) = sorted(shares, key=lambda share: -share[1])
            count = difference.n_pairs or 0
            text += (
                f"; {lead} in {label_b} in {_share(first, count, lead=True)}, "
                f"{other} in {_share(second, count)}"
            )
    if (
        difference.paired
        and difference.n_pairs is not None
        and difference.n_pairs < max(difference.n_a, difference.n_b)
    ):
        text += f" ({difference.n_pairs:,} replications with a value in both runs)"
    return text + "."
