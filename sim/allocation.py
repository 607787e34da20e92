"""How a line's finished units are shared among its destinations.

One rule for every case, used by both engines: each destination has a *share* of the
output (fixed fractions for splits and exports; for a shared supplier, shares that follow
the consumers' needs), and whole units go out by the *largest deficit*: every destination
accrues its share of each batch, and units go to those furthest behind what they are owed.
Cumulative deliveries therefore never stray more than one unit from the shares, whether
units leave one at a time (the DES engine) or a step's batch at once (the vector engine).

Shared-supplier shares are set from capacities, not from what happens to be on hand: the
supplier plans its deliveries from the consumers' current capacity times their bill of
materials (their *need*) and from its own capacity (its *supply*):

* ``proportional``: shares proportional to need;
* ``priority``: consumers in list order each get up to their need from the supply; any
  supply beyond all needs is shared in proportion to need.

If no consumer needs anything (all closed), output is shared equally.
"""

from __future__ import annotations

import numpy as np


def proportional_shares(needs: np.ndarray) -> np.ndarray:
    """Shares proportional to need; `needs` has shape (reps, consumers)."""
    total = needs.sum(axis=1, keepdims=True)
    equal = np.full_like(needs, 1.0 / needs.shape[1])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, needs / total, equal)


def priority_shares(supply: np.ndarray, needs: np.ndarray) -> np.ndarray:
    """Shares that serve consumers in order; `supply` (reps,), `needs` (reps, consumers)."""
    before = np.cumsum(needs, axis=1) - needs
    served = np.clip(supply[:, None] - before, 0.0, needs)
    spare = np.clip(supply - needs.sum(axis=1), 0.0, None)
    served = served + spare[:, None] * proportional_shares(needs)
    total = served.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            total > 0, served / np.where(total > 0, total, 1), proportional_shares(needs)
        )


def dispatch(units: np.ndarray, shares: np.ndarray, owed: np.ndarray) -> np.ndarray:
    """Split whole `units` (reps,) among destinations by largest deficit.

    `owed` (reps, destinations) carries each destination's fractional entitlement from
    earlier batches and is updated in place. Returns whole units per destination.
    """
    owed += units[:, None] * shares
    given = np.clip(np.floor(owed + 1e-9), 0, None).astype(np.int64)
    left = units - given.sum(axis=1)
    rows = np.flatnonzero(left)
    while rows.size:
        # one unit to the largest remainder, or back from the smallest, per pass
        remainder = owed[rows] - given[rows]
        short = left[rows] > 0
        target = np.where(
            short,
            np.argmax(remainder, axis=1),
            np.argmin(np.where(given[rows] > 0, remainder, np.inf), axis=1),
        )
        step = np.where(short, 1, -1)
        given[rows, target] += step
        left[rows] -= step
        rows = rows[left[rows] != 0]
    owed -= given
    return given
