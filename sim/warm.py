"""The warm start (DESIGN §8): what a line open at the start has in its pipelines.

A line running before the start is not empty on 1 January: units it started in the last
flow time are in flow, and accepted units it sent out in the last shipping time are at
sea. The rule, written once here for both engines: before the start, the line is taken
to have run for ever at its **rate at the start** ``q`` (units per day: the ramp rate on
day 0, capped by the funded rate), starting its m-th unit before the start (m = 0, 1, …)
at day −(m + ε)/q — the same whole-unit rule as after the start, where the n-th unit
starts at (n − ε)/q, run backwards. So the units started within ``days`` before the
start number ⌊q·days − ε⌋ + 1 (:func:`units_within`), and a pipeline of delay ``days``
hands them on at days − (m + ε)/q: deliveries carry on at the rate from day 0, with no
gap and no double unit where the pipeline meets the first units started in the horizon.

What the pipelines carry:

* the **flow pipeline** of a warm line, at the line's rate q;
* each **shipping pipeline** out of a warm line, at q × yield × the route's share (the
  accepted units that route would carry at the start's shares).

Input stores begin empty: under the model's rules a unit starts the moment its inputs
and credit are there, so steady running keeps nothing in a store but the timing slack
of at most a unit; what is on its way is in the suppliers' pipelines above. Units in the
initial pipelines were started (or shipped) before the horizon: they are not counted as
started in it, and the conservation checks count them as an opening balance.
"""

from __future__ import annotations

import numpy as np

from sim.demand import EPSILON


def units_within(rate: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Units started in the `days` before the start by a line running at `rate` a day.

    ⌊rate·days − ε⌋ + 1, and 0 when there is no time or no rate (whole units, int64).
    """
    product = np.asarray(rate, dtype=float) * np.asarray(days, dtype=float)
    return np.maximum(np.floor(product - EPSILON) + 1, 0).astype(np.int64)


def exit_days(rate: float, days: float) -> np.ndarray:
    """When the units in a warm pipeline of delay `days` leave it, ascending (DES).

    The m-th unit started before the start left day −(m + ε)/rate, so it leaves the
    pipeline at ``days − (m + ε)/rate``, for the :func:`units_within` units still inside.
    """
    count = int(units_within(rate, days))
    if count == 0:
        return np.empty(0)
    m = np.arange(count - 1, -1, -1, dtype=float)
    return np.maximum(days - (m + EPSILON) / rate, 0.0)


def entered_by_step(
    rate: np.ndarray, delay_steps: np.ndarray, step_days: float, ring: int
) -> np.ndarray:
    """A warm ring of delay lines (vector engine): units entered in each step before the start.

    `rate` (units a day) and `delay_steps` are (lanes, reps). Returns (ring, lanes, reps):
    slot j mod `ring` holds what entered at step j = −1, −2, …, −delay, i.e. the units
    started in [j·Δ, (j+1)·Δ) before the start, so that what leaves at steps 0 … delay − 1
    is exactly the warm pipeline of :func:`units_within` the delay in steps.
    """
    rate = np.asarray(rate, dtype=float)
    delay_steps = np.asarray(delay_steps, dtype=np.int64)
    entered = np.zeros((ring, *rate.shape), dtype=np.int64)
    for back in range(1, ring):
        inside = delay_steps >= back
        if not inside.any():
            break
        units = units_within(rate, back * step_days) - units_within(rate, (back - 1) * step_days)
        entered[ring - back] = np.where(inside, units, 0)
    return entered
