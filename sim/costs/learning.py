"""Wright's law: what the n-th unit of a line costs, and what a run of units costs.

A line's n-th accepted unit costs c₁·n^b with b = log₂(slope): every doubling of the
line's cumulative output multiplies the unit cost by `slope` (0.9: ten per cent cheaper
per doubling). Analysts know today's unit cost, not the first unit's, so a scenario gives
the cost of the **next** unit at the start, c_next, and the count N₀ the line made before
the start; the first unit's cost follows, c₁ = c_next / (N₀ + 1)^b, and a mature line does
not restart at unit one.

What the units n = N₀ + a + 1 … N₀ + z cost is c₁·(F(N₀ + z) − F(N₀ + a)), with
F(n) = Σ_{k=1}^{n} k^b. A run makes up to millions of units per line, for 10⁴
replications × years × lines, so F is evaluated in closed form: the first
:data:`EXACT_TERMS` terms are summed exactly, the rest by Euler–Maclaurin,

    Σ_{k=K+1}^{n} k^b = (n^{b+1} − K^{b+1})/(b+1) + (n^b − K^b)/2 + b·(n^{b−1} − K^{b−1})/12 + R,

whose remainder is at most 2ζ(3)/(2π)³ · ∫_K^∞ |f⁽³⁾| = 0.0097 · |b(b−1)| · K^{b−2}
(f⁽³⁾ keeps one sign), below 3·10⁻⁷ of c₁ for K = 64 and any b ∈ (−1, 0]: far below a
dollar on a million-dollar missile, whatever the count.
Slope 1 (b = 0) is exact: F(n) = n.
"""

from __future__ import annotations

import numpy as np

EXACT_TERMS = 64
"""K: F(n) for n ≤ K is the exact sum; past K the Euler–Maclaurin tail (error < 3e-7·c₁)."""

LOWEST_SLOPE = 0.6
"""Steepest learning slope accepted: 60 % per doubling is beyond recorded production
(aircraft and missiles run 75–95 %), and it keeps b = log₂(slope) above −1."""


def exponent(slope: np.ndarray | float) -> np.ndarray:
    """b = log₂(slope): the power of the unit number in Wright's law."""
    return np.log2(np.asarray(slope, dtype=float))


def cumulative_sum(n: np.ndarray, b: np.ndarray) -> np.ndarray:
    """F(n) = Σ_{k=1}^{n} k^b elementwise, for whole n ≥ 0 and −1 < b ≤ 0 (broadcast).

    Exact for n ≤ :data:`EXACT_TERMS` and for b = 0; otherwise within 3·10⁻⁷ (module
    docstring).
    """
    n = np.asarray(n, dtype=float)
    b = np.asarray(b, dtype=float)
    # the exact partial sums depend on b only: K powers per value of b, not per count
    k = np.arange(1, EXACT_TERMS + 1, dtype=float)
    head = np.cumsum(k ** b[..., None], axis=-1)  # (*b.shape, K)
    n, b_wide = np.broadcast_arrays(n, b)
    small = n <= EXACT_TERMS
    if np.any(small):  # a new line's first units
        index = np.clip(n, 1, EXACT_TERMS).astype(np.int64) - 1
        wide = np.broadcast_to(head, (*n.shape, EXACT_TERMS))
        exact = np.take_along_axis(wide, index[..., None], -1)[..., 0]
        exact = np.where(n > 0, exact, 0.0)
    else:
        exact = np.broadcast_to(head[..., -1], n.shape)
    if np.all(small):
        return np.where(b_wide == 0, n, exact)
    top = np.where(small, EXACT_TERMS + 1.0, n)
    K = float(EXACT_TERMS)
    tail = (
        (top ** (b_wide + 1) - K ** (b_wide + 1)) / (b_wide + 1)
        + (top**b_wide - K**b_wide) / 2
        + b_wide * (top ** (b_wide - 1) - K ** (b_wide - 1)) / 12
    )
    return np.where(b_wide == 0, n, np.where(small, exact, exact + tail))


def first_unit_cost(next_unit_cost: np.ndarray, units_before: np.ndarray, b: np.ndarray):
    """c₁ from the cost of the next unit at the start, unit N₀ + 1: c_next / (N₀ + 1)^b."""
    return np.asarray(next_unit_cost) / (np.asarray(units_before, dtype=float) + 1.0) ** b


def yearly_costs(
    next_unit_cost: np.ndarray, units_before: np.ndarray, b: np.ndarray, made: np.ndarray
) -> np.ndarray:
    """What each period's units cost, given `made` (…, periods), units made per period.

    The same as :func:`cost_of_units` per period, with F evaluated once per period edge.
    """
    made = np.asarray(made, dtype=float)
    if np.all(np.asarray(b) == 0):
        return np.asarray(next_unit_cost) * made
    edges = np.concatenate([np.zeros((*made.shape[:-1], 1)), np.cumsum(made, axis=-1)], axis=-1)
    before = np.asarray(units_before, dtype=float)
    first = first_unit_cost(next_unit_cost, before, b)
    spent = first * np.diff(cumulative_sum(before + edges, b), axis=-1)
    return np.where(np.asarray(b) == 0, np.asarray(next_unit_cost) * made, spent)


def cost_of_units(
    next_unit_cost: np.ndarray,
    units_before: np.ndarray,
    b: np.ndarray,
    made_before: np.ndarray,
    made_by: np.ndarray,
) -> np.ndarray:
    """What the line's units made_before + 1 … made_by (counted from the start) cost.

    `made_before` and `made_by` are cumulative counts of units made since the start;
    the line made `units_before` before it, and its next unit at the start costs
    `next_unit_cost`. With b = 0 this is next_unit_cost × (made_by − made_before), exactly.
    """
    before = np.asarray(units_before, dtype=float)
    if np.all(np.asarray(b) == 0):
        return np.asarray(next_unit_cost) * (np.asarray(made_by) - np.asarray(made_before))
    first = first_unit_cost(next_unit_cost, before, b)
    upper = cumulative_sum(before + made_by, b)
    lower = cumulative_sum(before + made_before, b)
    flat = np.asarray(next_unit_cost) * (np.asarray(made_by) - np.asarray(made_before))
    return np.where(np.asarray(b) == 0, flat, first * (upper - lower))
