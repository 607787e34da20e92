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
    n, b = np.broadcast_arrays(n, b)
    k = np.arange(1, EXACT_TERMS + 1, dtype=float)
    powers = k ** b[..., None]  # (…, K)
    head = np.cumsum(powers, axis=-1)
    small = np.minimum(n, EXACT_TERMS).astype(np.int64)
    exact = np.where(
        small > 0, np.take_along_axis(head, np.maximum(small - 1, 0)[..., None], -1)[..., 0], 0.0
    )
    big = n > EXACT_TERMS
    if not np.any(big):
        return np.where(b == 0, n, exact)
    top = np.where(big, n, EXACT_TERMS + 1.0)
    K = float(EXACT_TERMS)
    tail = (
        (top ** (b + 1) - K ** (b + 1)) / (b + 1)
        + (top**b - K**b) / 2
        + b * (top ** (b - 1) - K ** (b - 1)) / 12
    )
    return np.where(b == 0, n, np.where(big, exact + tail, exact))


def first_unit_cost(next_unit_cost: np.ndarray, units_before: np.ndarray, b: np.ndarray):
    """c₁ from the cost of the next unit at the start, unit N₀ + 1: c_next / (N₀ + 1)^b."""
    return np.asarray(next_unit_cost) / (np.asarray(units_before, dtype=float) + 1.0) ** b


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
