"""The rules of fleets that change and of the removals they fly: one home for the maths
both engines and the draws apply (docs/model.md, "Engine repair" and "Ship repair").

* :func:`removal_factor`: the removal factor of the conflicts under way;
* :func:`removal_kept`: exact thinning of the candidate removals;
* :func:`fleet_change`: what a fleet schedule's change does to an engine pool;
* :func:`fleet_size`: the ships of a fleet schedule on given days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np

Amount = float | np.ndarray
"""A number, or an array of them (one per replication or candidate): the rules here
serve the DES one event at a time and the vector engine all replications at once."""


def removal_factor(
    start: np.ndarray, end: np.ndarray, surge: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """The largest surge active on `day`, or 1 when none is; the surges (last axis:
    conflicts) are given for each entry of `day`, or broadcast to it.

    A factor below 1 (less flying: a stand-down, aircraft sent away) lowers removals
    while it lasts; overlapping conflicts take the largest factor, not the product,
    because the fleet flies one schedule at a time (docs/model.md, "Engine repair").
    """
    day = np.asarray(day, dtype=float)
    if surge.shape[-1] == 0:
        return np.ones(np.broadcast_shapes(day.shape, surge.shape[:-1]))
    day = day[..., None]
    active = (start <= day) & (day < end)
    largest = np.where(active, surge, -np.inf).max(axis=-1)
    return np.where(active.any(axis=-1), largest, 1.0)


def removal_kept(
    keep: Amount, peak: Amount, positions: Amount, factor: Amount, on_wing: Amount
) -> bool | np.ndarray:
    """Whether a candidate removal is kept (exact thinning, Lewis and Shedler).

    Candidates come at the dominating rate λ·`peak`·`positions`; a candidate at day t is
    a removal with probability factor(t)·on_wing(t) / (`peak`·`positions`), decided by
    its uniform `keep`. The one rule both engines and the pre-filter in
    :func:`sim.repair.draws.sample_engines` apply (numbers or arrays alike), so they
    cannot drift apart.
    """
    return keep * peak * positions < factor * on_wing


def fleet_change(positions: Amount, on_wing: Amount, bare: Amount) -> tuple[Amount, Amount]:
    """What a fleet schedule's change to `positions` does, given the engines `on_wing`
    and the `bare` firewalls: ``(change of engines on wing, bare firewalls retired)``.

    Arriving aircraft bring their engines (a positive first value: more on wing, the
    same spares). Retiring aircraft take their engines with them (a negative first
    value: fewer on wing), except that the aircraft without an engine retire first —
    grounded aircraft are the ones not flown again — so a retirement first clears bare
    firewalls (second value), and the engines out for repair for them come back as
    spares. Works on numbers or arrays alike; both engines apply this one rule.
    """
    change = positions - (on_wing + bare)
    retiring_bare = np.minimum(np.maximum(-change, 0), bare)
    return change + retiring_bare, retiring_bare


def fleet_size(
    schedule: Sequence[tuple[dt.date, int]], origin: dt.date, horizon: float
) -> Callable[[np.ndarray], np.ndarray] | None:
    """The ships of a fleet schedule on given days, as a function of an array of days; None
    for a fleet whose size does not change within the horizon."""
    at_start = [ships for day, ships in schedule if day <= origin] or [schedule[0][1]]
    changes = [
        (float((day - origin).days), ships)
        for day, ships in schedule
        if origin < day and (day - origin).days < horizon
    ]
    if not changes:
        return None
    days = np.array([day for day, _ in changes])
    sizes = np.array([at_start[-1], *(ships for _, ships in changes)])
    return lambda t: sizes[np.searchsorted(days, t, side="right")]
