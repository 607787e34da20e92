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

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.network import LineNode, Network


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


def destination_shares(
    network: Network, node: LineNode, capacity: np.ndarray, yield_: np.ndarray
) -> np.ndarray:
    """Each destination's share of `node`'s output at the moment, shape (reps, destinations).

    `capacity` (reps, lines) is every line's capacity now: the vector engine passes the
    step's capacity, the DES engine the current rates (the shares only compare lines, so
    either unit works). `yield_` (reps,) is the supplier's yield, which turns its capacity
    into the supply the ``priority`` rule hands out.
    """
    if node.allocation == "split":
        return np.asarray(node.split)[None, :]
    needs = np.column_stack(
        [
            capacity[:, network.stores[d.index].line] * network.stores[d.index].per_unit
            for d in node.destinations
        ]
    )
    if node.allocation == "proportional":
        return proportional_shares(needs)
    supply = capacity[:, node.index] * yield_
    return priority_shares(supply, needs)


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


def dispatch_one(shares: list[float], owed: list[float]) -> int:
    """:func:`dispatch` of a single unit, for an engine that sends units one at a time.

    The same largest-deficit rule, operation for operation, on plain floats: a NumPy call
    per unit would make the DES engine several times slower. `owed` is updated in place;
    returns the destination that gets the unit. tests/test_allocation.py holds it equal
    to ``dispatch(np.array([1]), ...)``.
    """
    for j, share in enumerate(shares):
        owed[j] += share
    given = [max(math.floor(value + 1e-9), 0) for value in owed]
    left = 1 - sum(given)
    while left != 0:
        if left > 0:
            target = max(range(len(owed)), key=lambda j: owed[j] - given[j])
            step = 1
        else:
            target = min(
                range(len(owed)),
                key=lambda j: owed[j] - given[j] if given[j] > 0 else math.inf,
            )
            step = -1
        given[target] += step
        left -= step
    for j, units in enumerate(given):
        owed[j] -= units
    return given.index(1)
