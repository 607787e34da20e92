"""What B's extra spending buys: extra missiles per extra billion US dollars, with a CI.

A ratio of two differences, R = mean(ΔM) / mean(ΔS): ΔM the change in missiles
delivered to stock over the horizon (every end item counted in ``missiles``), ΔS the
change in ``spending.total`` in billion US$. The interval is the delta method on the
ratio estimator. Paired (same seed and replication count), with per-replication
residuals e_i = ΔM_i − R·ΔS_i: se(R) = sd(e) / (√n · |mean ΔS|), Student t with n − 1
degrees of freedom. Unpaired, each run adds (var M − 2R·cov(M, S) + R²·var S) / n to the
variance of mean(ΔM) − R·mean(ΔS), with a normal quantile. The ratio is reported only
when the spending changes (mean ΔS ≠ 0), and its interval only when the spending
difference's own 95 % interval excludes zero: otherwise the ratio's interval is
unbounded (Fieller), and the note says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim import catalogue
from sim.compare.load import RunFolder
from sim.compare.statistics import Difference, Interval, paired_difference, welch_difference
from sim.stats import t_975

MISSILES = "missiles"
"""The item unit the row counts."""
BILLION = 1000.0
"""Million US$ in a billion."""


@dataclass(frozen=True)
class PerBillion:
    """Extra missiles per extra billion US$ of B against A."""

    items: tuple[str, ...]
    """The end items counted (those delivered to stock in missiles)."""
    missiles: Difference
    """B − A of missiles delivered to stock over the horizon, summed over `items`."""
    spending: Difference
    """B − A of ``spending.total``, billion US$."""
    ratio: float | None
    ci95: Interval
    note: str


def per_billion(run_a: RunFolder, run_b: RunFolder, paired: bool) -> PerBillion | None:
    """The row for B against A; None unless both runs report spending and missiles."""
    total = catalogue.SPENDING_TOTAL.name()
    if total not in run_a.values or total not in run_b.values:
        return None
    items = tuple(item for item in _missile_items(run_a) if item in set(_missile_items(run_b)))
    if not items:
        return None
    order_a, order_b = np.argsort(run_a.replications), np.argsort(run_b.replications)
    missiles_a, missiles_b = (
        _missiles(run, items)[order] for run, order in ((run_a, order_a), (run_b, order_b))
    )
    spend_a = run_a.values[total][order_a] / BILLION
    spend_b = run_b.values[total][order_b] / BILLION
    difference = paired_difference if paired else welch_difference
    missiles, spending = difference(missiles_a, missiles_b), difference(spend_a, spend_b)
    if not spending.diff or missiles.diff is None:
        note = "the runs spend the same: no extra billion to divide by"
        return PerBillion(items, missiles, spending, None, (None, None), note)
    ratio = missiles.diff / spending.diff
    low, high = spending.ci95
    if low is None or high is None or low <= 0 <= high:
        note = (
            "the spending difference's 95 % interval includes zero, so the ratio's "
            "interval is unbounded"
        )
        return PerBillion(items, missiles, spending, ratio, (None, None), note)
    if paired:
        residual = (missiles_b - missiles_a) - ratio * (spend_b - spend_a)
        n = residual.size
        half = t_975(n - 1) * float(np.std(residual, ddof=1)) / math.sqrt(n) / abs(spending.diff)
    else:
        variance = sum(
            _residual_variance(m, s, ratio) / m.size
            for m, s in ((missiles_a, spend_a), (missiles_b, spend_b))
        )
        half = 1.959963984540054 * math.sqrt(variance) / abs(spending.diff)
    method = "paired delta method" if paired else "delta method, independent runs"
    return PerBillion(items, missiles, spending, ratio, (ratio - half, ratio + half), method)


def _residual_variance(missiles: np.ndarray, spending: np.ndarray, ratio: float) -> float:
    covariance = np.cov(missiles, spending, ddof=1)
    return float(covariance[0, 0] - 2 * ratio * covariance[0, 1] + ratio**2 * covariance[1, 1])


def _missile_items(run: RunFolder) -> list[str]:
    """End items (with a stock) counted in missiles, whose deliveries the run reports."""
    found = []
    for name in run.values:
        family, fields = catalogue.family_of(name)
        if family is catalogue.ITEM_STOCK_END and fields["item"] not in found:
            deliveries = catalogue.ITEM_DELIVERIES.name(item=fields["item"])
            if deliveries in run.values and run.unit(deliveries) == MISSILES:
                found.append(str(fields["item"]))
    return found


def _missiles(run: RunFolder, items: tuple[str, ...]) -> np.ndarray:
    return sum(run.values[catalogue.ITEM_DELIVERIES.name(item=item)] for item in items)


def per_billion_json(row: PerBillion) -> dict[str, object]:
    """comparison.json's ``per_billion``: the ratio, its interval and what it divides."""
    return {
        "missiles_per_billion_usd": row.ratio,
        "ci95": list(row.ci95),
        "paired": row.missiles.paired,
        "extra_missiles": row.missiles.diff,
        "extra_missiles_ci95": list(row.missiles.ci95),
        "extra_spending_busd": row.spending.diff,
        "extra_spending_ci95": list(row.spending.ci95),
        "items": list(row.items),
        "note": row.note,
    }


def per_billion_rows(row: PerBillion) -> tuple[tuple[str, str, str], ...]:
    """(what, B − A, 95 % CI) rows: extra spending, extra missiles, and their ratio."""

    def number(value: float | None, digits: int) -> str:
        return "—" if value is None else f"{value:+,.{digits}f}"

    def interval(ci: Interval, digits: int) -> str:
        low, high = ci
        if low is None or high is None:
            return "—"
        return f"{low:+,.{digits}f} to {high:+,.{digits}f}"

    return (
        (
            "Extra spending (billion US$)",
            number(row.spending.diff, 2),
            interval(row.spending.ci95, 2),
        ),
        ("Extra missiles delivered", number(row.missiles.diff, 0), interval(row.missiles.ci95, 0)),
        ("Extra missiles per extra billion US$", number(row.ratio, 1), interval(row.ci95, 1)),
    )


def per_billion_note(row: PerBillion) -> str:
    """What the ratio counts and how its interval was made."""
    return (
        f"Missiles are the deliveries to stock over the horizon of {', '.join(row.items)}; "
        "spending is spending.total (units accepted and investments). The ratio is the mean "
        f"extra missiles over the mean extra spending; its interval: {row.note}."
    )
