"""The whole-unit rule: when an accruing amount counts a whole unit.

Capacity credit, demand falling due, a warm pipeline's units and a supplier's owed
shares all accrue continuously, while missiles, motors and ships come whole. Every one
of them counts the n-th unit when the amount reaches n − EPSILON, so a sum that should
be exactly n but comes out as 0.9999999… of it after floating-point arithmetic still
counts n. The rule is written here once, for both engines and every accrual, so that
they count the same units at the same moments.
"""

from __future__ import annotations

import math

import numpy as np

EPSILON = 1e-9
"""Guard against 0.9999999 units from floating-point sums."""


def whole_units(amount: np.ndarray) -> np.ndarray:
    """Whole units an accrued `amount` counts (element by element)."""
    return np.floor(amount + EPSILON).astype(np.int64)


def whole_unit(amount: float) -> int:
    """Whole units an accrued `amount` counts (one number; never below zero)."""
    return max(math.floor(amount + EPSILON), 0)
