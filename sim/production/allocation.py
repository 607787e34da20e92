"""How a line's finished units are shared among its destinations.

One rule for every case, used by both engines: each destination has a *share* of the
output (fixed fractions for splits and exports; for a shared supplier, shares that follow
the consumers' needs), and whole units go out by the *largest deficit*: every destination
accrues its share of each batch, and units go to those furthest behind what they are owed.
Cumulative deliveries therefore never stray more than one unit from the shares, whether
units leave one at a time (the DES engine) or a step's batch at once (the vector engine).

Shared-supplier shares are set from planned rates, not from what happens to be on hand:
the supplier plans its deliveries from what each consumer can *use* (its *usable need*)
and from its own capacity times yield (its *supply*). A consumer can use, per unit of
time, its capacity capped by the planned supply of each of its *other* inputs — the
capacity × yield of the lines that feed that input, times the share they send it (for a
shared supplier of that input, its share by capacity) — times its bill of materials.
So a line capped at 10/yr by a second input claims 10 motors a year, not its 100, and
what it cannot use goes to the others instead of idling in its store:

* ``proportional``: shares proportional to usable need;
* ``priority``: consumers in list order each get up to their usable need from the
  supply; any supply beyond all usable needs is shared in proportion to them.

If no consumer can use anything (all closed or cut off), output is shared equally. The
look-ahead is one level deep: the other inputs' suppliers count at their own capacity,
not capped by *their* inputs (that would make a shared supplier's shares depend on each
other in a loop). No buffer is claimed: what a consumer holds beyond a unit is what
arrives while its other inputs are still on their way (their flow and shipping time).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from sim.production.units import whole_unit, whole_units

if TYPE_CHECKING:
    from sim.network import LineNode, Network, Store


def _total(values: np.ndarray, axis: int) -> np.ndarray:
    """Sum over `axis`, one destination after another: the same rounding in any layout."""
    return functools.reduce(np.add, np.moveaxis(values, axis, 0))


def _running_total(values: np.ndarray, axis: int) -> np.ndarray:
    """``np.cumsum`` over `axis` as whole-slice additions (the same sums, in order), which
    NumPy runs far faster than an accumulation along a middle axis."""
    totals = np.array(values, copy=True)
    running = np.moveaxis(totals, axis, 0)
    for j in range(1, running.shape[0]):
        running[j] += running[j - 1]
    return totals


def proportional_shares(needs: np.ndarray, axis: int = -1) -> np.ndarray:
    """Shares proportional to need; `needs` has the consumers on `axis`, e.g. (reps,
    consumers)."""
    return _proportional(needs, _total(needs, axis), axis)


def _proportional(needs: np.ndarray, total: np.ndarray, axis: int) -> np.ndarray:
    total = np.expand_dims(total, axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: np.ndarray = np.where(total > 0, needs / total, 1.0 / needs.shape[axis])
        return result


def priority_shares(supply: np.ndarray, needs: np.ndarray, axis: int = -1) -> np.ndarray:
    """Shares that serve consumers in order; `supply` (reps,), `needs` with the consumers
    on `axis`, e.g. (reps, consumers)."""
    served = _running_total(needs, axis)
    served -= needs  # what the consumers before each one need
    np.subtract(np.expand_dims(supply, axis), served, out=served)
    np.clip(served, 0.0, needs, out=served)
    total_needs = _total(needs, axis)
    spare = np.clip(supply - total_needs, 0.0, None)
    proportional = _proportional(needs, total_needs, axis)
    served += np.expand_dims(spare, axis) * proportional
    total = np.expand_dims(_total(served, axis), axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(served, np.where(total > 0, total, 1), out=served)
    return np.where(total > 0, served, proportional)


@dataclass
class PlannedSupply:
    """What shares computed for one set of capacities read more than once: the planned
    inflow of each input store and each shared supplier's shares by capacity."""

    inflow: dict[int, np.ndarray] = field(default_factory=dict)
    shares: dict[int, np.ndarray] = field(default_factory=dict)


def destination_shares(
    network: Network, node: LineNode, capacity: np.ndarray, yields: np.ndarray
) -> np.ndarray:
    """Each destination's share of `node`'s output at the moment, shape (reps, destinations).

    `capacity` (reps, lines) is every line's capacity now: the DES engine passes the
    current rates (the shares only compare lines, so any unit works). `yields` (reps,
    lines) is every line's yield, which turns a line's capacity into the supply it plans
    to hand out (the supplier's own and that of its consumers' other inputs).
    """
    return line_shares(network, node, lambda line: capacity[:, line], lambda line: yields[:, line])


def line_shares(
    network: Network,
    node: LineNode,
    capacity_of: Callable[[int], np.ndarray],
    yield_of: Callable[[int], np.ndarray],
    axis: int = -1,
    plan: PlannedSupply | None = None,
) -> np.ndarray:
    """:func:`destination_shares` for capacities of any shape and any layout.

    `capacity_of(line)` gives a line's capacity, the same shape for every line, and
    `yield_of(line)` its yield, broadcasting against it; the destinations go on `axis` of
    the result. The vector engine asks for a block of steps at once, ``(steps, reps)``
    with the destinations between (``axis=-2``), the layout its loop works in, so the
    rule is written once for both engines. A fixed split comes back with length-one axes
    and broadcasts. `plan`, when given, keeps what several calls with the same
    capacities read (the vector engine asks for every shared supplier of a block in
    turn, and several read the same inputs).
    """
    if node.allocation == "split":
        return np.moveaxis(np.asarray(node.split)[None, :], -1, axis)
    needs = np.stack(
        [
            _usable_need(network, capacity_of, yield_of, d.index, plan or PlannedSupply())
            for d in node.destinations
        ],
        axis=axis,
    )
    return _shares(node, needs, capacity_of(node.index) * yield_of(node.index), axis)


def _shares(node: LineNode, needs: np.ndarray, supply: np.ndarray, axis: int) -> np.ndarray:
    """The shared supplier's rule (``proportional`` or ``priority``) applied to `needs`."""
    if node.allocation == "proportional":
        return proportional_shares(needs, axis)
    return priority_shares(supply, needs, axis)


def _need(capacity_of: Callable[[int], np.ndarray], store: Store) -> np.ndarray:
    """A consumer's need of one input by capacity: its capacity times the input per unit."""
    capacity = capacity_of(store.line)
    return capacity if store.per_unit == 1 else capacity * store.per_unit


def _usable_need(
    network: Network,
    capacity_of: Callable[[int], np.ndarray],
    yield_of: Callable[[int], np.ndarray],
    store: int,
    plan: PlannedSupply,
) -> np.ndarray:
    """What the consumer of input `store` can use of it: its capacity, capped by the
    planned supply of each of its other inputs, times the input per unit."""
    target = network.stores[store]
    usable = capacity_of(target.line)
    for other in network.lines[target.line].stores:
        if other != store:
            if other not in plan.inflow:
                plan.inflow[other] = _planned_inflow(network, capacity_of, yield_of, other, plan)
            usable = np.minimum(usable, plan.inflow[other] / network.stores[other].per_unit)
    return usable if target.per_unit == 1 else usable * target.per_unit


def _planned_inflow(
    network: Network,
    capacity_of: Callable[[int], np.ndarray],
    yield_of: Callable[[int], np.ndarray],
    store: int,
    plan: PlannedSupply,
) -> np.ndarray:
    """Units of input `store` its suppliers plan to send: each supplier's capacity ×
    yield × its share to the store (a fixed split, or a shared supplier's share by its
    consumers' capacities)."""
    inflow = np.zeros_like(capacity_of(network.stores[store].line))
    for supplier, k in suppliers_of(network, store):
        node = network.lines[supplier]
        supply = capacity_of(supplier) * yield_of(supplier)
        if node.allocation == "split":
            share = node.split[k]
        else:
            if supplier not in plan.shares:
                needs = [_need(capacity_of, network.stores[d.index]) for d in node.destinations]
                # destinations first: whole-array operations run fastest that way
                plan.shares[supplier] = _shares(node, np.stack(needs), supply, 0)
            share = plan.shares[supplier][k]
        inflow = inflow + supply * share
    return inflow


def suppliers_of(network: Network, store: int) -> list[tuple[int, int]]:
    """(supplier line, its destination index) of every route into input `store`."""
    return [
        (node.index, k)
        for node in network.lines
        for k, d in enumerate(node.destinations)
        if d.kind == "store" and d.index == store
    ]


def lines_shares_read(network: Network, node: LineNode) -> list[int]:
    """Lines whose capacity `node`'s shares depend on: itself, its consumers, and the
    lines supplying its consumers' other inputs (and, for a shared one, its consumers).
    The DES recomputes the shares only when one of these changes its rate."""
    read = {node.index}
    for d in node.destinations:
        if d.kind != "store":
            continue
        consumer = network.stores[d.index].line
        read.add(consumer)
        for other in network.lines[consumer].stores:
            for supplier, _ in suppliers_of(network, other):
                read.add(supplier)
                read.update(
                    network.stores[e.index].line
                    for e in network.lines[supplier].destinations
                    if e.kind == "store"
                )
    return sorted(read)


def dispatch(units: np.ndarray, shares: np.ndarray, owed: np.ndarray, axis: int = 1) -> np.ndarray:
    """Split whole `units` (reps,) among destinations by largest deficit.

    `owed` (reps, destinations) carries each destination's fractional entitlement from
    earlier batches and is updated in place; `shares` is like it (or broadcasts to it).
    Returns whole units per destination, the same shape. With ``axis=0`` the three are
    laid out (destinations, reps) instead: the vector engine's layout, in which every
    operation runs along whole rows of replications.
    """
    if axis == 1:
        return dispatch(units, shares.T, owed.T, axis=0).T
    owed += units * shares
    given: np.ndarray = np.maximum(whole_units(owed), 0)
    left = units - given.sum(axis=0)
    while True:
        # one unit to the largest remainder, or back from the smallest, per pass; most
        # replications need a pass, so each runs over whole rows rather than gathering
        short, over = left > 0, left < 0
        any_short, any_over = short.any(), over.any()
        if not (any_short or any_over):
            break
        remainder = owed - given
        if any_short:
            target = _first_extreme(remainder, largest=True)
            for destination in range(given.shape[0]):
                given[destination] += short & (target == destination)
            left -= short
        if any_over:
            remainder[given <= 0] = np.inf  # columns that gain a unit above are not over
            target = _first_extreme(remainder, largest=False)
            for destination in range(given.shape[0]):
                given[destination] -= over & (target == destination)
            left += over
    owed -= given
    return given


def _first_extreme(values: np.ndarray, largest: bool) -> np.ndarray:
    """Row of the largest (smallest) value in each column, the first on ties: ``argmax``
    (``argmin``) over axis 0, as a few whole-row operations for the few rows here."""
    if values.shape[0] == 2:
        result: np.ndarray = (values[1] > values[0] if largest else values[1] < values[0]).astype(
            np.int64
        )
        return result
    best, where = values[0].copy(), np.zeros(values.shape[1], dtype=np.int64)
    for row in range(1, values.shape[0]):
        better = values[row] > best if largest else values[row] < best
        np.copyto(where, row, where=better)
        (np.maximum if largest else np.minimum)(best, values[row], out=best)
    return where


def dispatch_one(shares: list[float], owed: list[float]) -> int:
    """:func:`dispatch` of a single unit, for an engine that sends units one at a time.

    The same largest-deficit rule, operation for operation, on plain floats: a NumPy call
    per unit would make the DES engine several times slower. `owed` is updated in place;
    returns the destination that gets the unit. tests/test_allocation.py holds it equal
    to ``dispatch(np.array([1]), ...)``.
    """
    for j, share in enumerate(shares):
        owed[j] += share
    given = [whole_unit(value) for value in owed]
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
