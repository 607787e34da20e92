"""Wartime surge of production lines (issue #14 item 3): the one place its rule is written.

A conflict may mobilise lines: ``after_days`` after the conflict starts, the listed lines
may produce up to ``factor`` times the capacity in force (extra shifts, then new
tooling). The factor rises in a straight line from 1 to ``factor`` over ``ramp_days``
(0: at once), holds, and falls back to 1 ``hold_days`` after the conflict ends. A surging
line still needs its inputs: the factor multiplies capacity, not supply, so a missile line
whose motor supplier does not surge hits its motors.

The surge is known from the drawn conflict dates, like a disruption (which lowers
capacity): per line and replication it is a *window* (begin, full, end, factor), drawn
here once, and both engines read its exact integral, :func:`extra_factor_days`: the
vector engine averages the factor over each step, the DES engine over segments of at most
:data:`RAMP_PIECE_DAYS` inside the ramp (where its rate is piecewise constant).

A surge may itself be uncertain: ``approved`` is the chance that it is ordered at all (a
supplemental appropriation; its link to contract awards, ``orders:``, comes later), and
``after_days``, ``ramp_days``, ``hold_days`` and ``factor`` may be distributions or
shared draws. A line may surge in one conflict only: overlapping surges of one line are
not modelled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, overload

import numpy as np
from pydantic import Field

from sim.parameter_id import Draw, Kind, ParameterId
from sim.scenario.distributions import Fraction, NumberSpec, as_written, within
from sim.scenario.limits import MAX_FACTOR, Days, Quantity
from sim.scenario.sections import Name, Section

if TYPE_CHECKING:
    from sim.scenario.model import Scenario

SurgeFactor = Annotated[NumberSpec, within(1, MAX_FACTOR, limit=True)]
"""A surge multiplies capacity by at least 1 (a wartime slowdown is a disruption)."""

RAMP_PIECE_DAYS = 1.0
"""Longest piece of the ramp over which the DES engine holds the factor at its mean: the
capacity accrued by the end of each piece is exact, and within one it is off by less than
a day's worth of the ramp's rise."""


class Surge(Section):
    """A conflict's mobilisation of production lines (docs/model.md, "Wartime surge")."""

    lines: list[Name] = Field(min_length=1, description="Lines that surge (each in one conflict).")
    after_days: Days = Field(
        description="Days from the conflict's start to the first surge output (mobilisation)."
    )
    factor: SurgeFactor = Field(
        description="Capacity multiplier once the surge is at full rate (>= 1), e.g. 2.0."
    )
    ramp_days: Days = Field(
        as_written(0.0), description="Days over which the factor rises linearly from 1 to `factor`."
    )
    hold_days: Days = Field(
        as_written(0.0),
        description="Days after the conflict ends before rates return to peacetime.",
    )
    approved: Fraction = Field(
        as_written(1.0),
        description=(
            "Chance that the surge is ordered at all in a replication where the conflict "
            "happens (a supplemental appropriation, itself uncertain); default 1."
        ),
    )
    orders: dict[Name, Quantity] = Field(
        default_factory=dict,
        description=(
            "The supplemental appropriation's awards: units for each surging line that is "
            "funded by `orders`, awarded and released when the surge begins (conflict "
            "start + after_days) in replications where it is ordered. Without them such a "
            "line's surge runs only on units already awarded."
        ),
    )


@dataclass
class SupplementalAward:
    """The surge's extra award to one line: when it comes and how many units (0 where
    the surge is not ordered), per replication."""

    line: int
    day: np.ndarray
    units: np.ndarray


@dataclass
class SurgeWindows:
    """Per (replication, line): when the surge begins, is at full rate and ends, and its
    factor. Lines (or replications) without a surge have factor 1 and an empty window."""

    begin: np.ndarray
    full: np.ndarray
    end: np.ndarray
    factor: np.ndarray

    def lines(self) -> np.ndarray:
        """Indices of the lines that surge in some replication."""
        return np.flatnonzero(np.any((self.factor > 1.0) & (self.end > self.begin), axis=0))

    def of(self, rep: int, line: int) -> tuple[float, float, float, float] | None:
        """One line's window in one replication, or None when it does not surge."""
        begin, full, end, factor = (
            float(a[rep, line]) for a in (self.begin, self.full, self.end, self.factor)
        )
        return (begin, full, end, factor) if factor > 1.0 and end > begin else None

    def take(self, rows: slice) -> SurgeWindows:
        """The windows of a subset of replications."""
        return SurgeWindows(*(a[rows] for a in (self.begin, self.full, self.end, self.factor)))


def no_surge(reps: int, lines: int) -> SurgeWindows:
    """Windows of a scenario without surge: factor 1 everywhere."""
    shape = (reps, lines)
    return SurgeWindows(np.zeros(shape), np.zeros(shape), np.zeros(shape), np.ones(shape))


def sample_surges(
    scenario: Scenario,
    line_index: dict[str, int],
    draw: Draw,
    uniforms: Callable[[str], np.ndarray],
    happens: np.ndarray,
    conflict_start: np.ndarray,
    conflict_end: np.ndarray,
) -> tuple[SurgeWindows, list[SupplementalAward]]:
    """Draw every conflict's surge window, and its supplemental awards to lines funded by
    orders; named streams ``conflicts.NAME.surge.*``.

    Only conflicts with a ``surge`` draw anything, so a scenario without one keeps every
    stream (and number) it had; the awards (``conflicts.NAME.surge.orders.LINE``) are drawn
    after the window, so a surge without ``orders`` keeps its own. The surge is on in a
    replication where its conflict happens and the uniform ``conflicts.NAME.surge.approval``
    falls below ``approved``; a supplemental award has no units where it is not.
    """
    reps = happens.shape[0]
    windows = no_surge(reps, len(line_index))
    awards: list[SupplementalAward] = []
    for c, conflict in enumerate(scenario.conflicts):
        surge = conflict.surge
        if surge is None:
            continue
        key = ParameterId("conflicts", conflict.name, "")
        chance = draw(key.with_field("surge.approved"), surge.approved)
        approved = (
            uniforms(f"{key.name}.surge.approval") < chance if not np.all(chance >= 1) else True
        )
        on = happens[:, c] & approved
        begin = conflict_start[:, c] + draw(key.with_field("surge.after_days"), surge.after_days)
        full = begin + draw(key.with_field("surge.ramp_days"), surge.ramp_days)
        hold = draw(key.with_field("surge.hold_days"), surge.hold_days)
        end = np.maximum(conflict_end[:, c] + hold, begin)
        factor = np.where(on, draw(key.with_field("surge.factor"), surge.factor), 1.0)
        for name in surge.lines:
            i = line_index[name]
            windows.begin[:, i], windows.full[:, i], windows.end[:, i] = begin, full, end
            windows.factor[:, i] = factor
        for name, units in surge.orders.items():
            award = key.with_field(f"surge.orders.{name}", Kind.COUNT)
            drawn = np.rint(draw(award, units)).astype(np.int64)
            awards.append(SupplementalAward(line_index[name], begin, np.where(on, drawn, 0)))
    return windows, awards


def extra_factor_days(
    day: np.ndarray,
    begin: float | np.ndarray,
    full: float | np.ndarray,
    end: float | np.ndarray,
    factor: float | np.ndarray,
) -> np.ndarray:
    """∫ (m(t) − 1) dt from the start of time to `day`: the surge's extra factor-days.

    m(t) is 1 before ``begin`` and from ``end`` on; between, 1 + (factor − 1)·r(t) with r
    rising linearly from 0 at ``begin`` to 1 at ``full`` and 1 after. So the integral is a
    quadratic over the ramp and linear after it, cut at ``end``. Arguments broadcast.
    """
    inside = np.clip(day, begin, end) - begin
    ramp = full - begin
    on_ramp = np.minimum(inside, ramp)
    with np.errstate(invalid="ignore", divide="ignore"):
        ramp_part = np.where(ramp > 0, on_ramp * on_ramp / (2.0 * ramp), 0.0)
    result: np.ndarray = (factor - 1.0) * (ramp_part + np.maximum(inside - ramp, 0.0))
    return result


def mean_factor(
    low: np.ndarray,
    high: np.ndarray,
    begin: float | np.ndarray,
    full: float | np.ndarray,
    end: float | np.ndarray,
    factor: float | np.ndarray,
) -> np.ndarray:
    """The average surge factor over [low, high] (1 where the interval is empty)."""
    window = (begin, full, end, factor)
    extra = extra_factor_days(high, *window) - extra_factor_days(low, *window)
    length = np.asarray(high) - np.asarray(low)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(length > 0, 1.0 + extra / length, 1.0)


def surge_breaks(window: tuple[float, float, float, float], horizon: float) -> list[float]:
    """Where a piecewise-constant rate must be cut to carry the surge of one replication:
    its begin, full and end, and every :data:`RAMP_PIECE_DAYS` along the ramp."""
    begin, full, end, _ = window
    ramp_end = min(full, end)
    pieces = np.arange(begin, ramp_end, RAMP_PIECE_DAYS)[1:].tolist()
    return [p for p in (begin, ramp_end, end, *pieces) if 0.0 <= p <= horizon]


@overload
def split_start(started: float, peacetime_credit: float) -> tuple[float, float]: ...
@overload
def split_start(
    started: np.ndarray, peacetime_credit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]: ...
def split_start(
    started: float | np.ndarray, peacetime_credit: float | np.ndarray
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """How much of `started` units the surge made, and the peacetime credit carried on.

    Peacetime capacity (what the line would have had without its surge) is used first:
    the units it covers would have been started anyway, and only the rest counts as surge
    output. `peacetime_credit` is that capacity accrued and not yet used; like the line's
    own credit it is not banked beyond one unit, so a line starved of inputs, which starts
    no faster than it could have in peacetime, makes no surge output. Works on floats and
    on arrays alike (the DES calls it per unit, the vector engine per step).
    """
    used = np.minimum(started, peacetime_credit)
    return started - used, np.minimum(peacetime_credit - used, 1.0)


def surging_lines(scenario: Scenario) -> dict[str, str]:
    """Line name → the conflict that surges it."""
    return {
        line: conflict.name
        for conflict in scenario.conflicts
        if conflict.surge is not None
        for line in conflict.surge.lines
    }
