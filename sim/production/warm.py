"""The warm start (DESIGN §8): what a line open at the start has in its pipelines.

A line running before the start is not empty on 1 January: units it started in the last
flow time are in flow, and accepted units it sent out in the last shipping time are at
sea. The rule, written once here for both engines: before the start, the line is taken
to have run for ever at its **rate at the start** ``q`` (units per day: the ramp rate on
day 0, capped by the funded rate, :func:`rate_at_start`), starting its m-th unit before
the start (m = 0, 1, …) at day −(m + ε)/q — the same whole-unit rule as after the start,
where the n-th unit starts at (n − ε)/q, run backwards. So the units started within
``days`` before the start number ⌊q·days − ε⌋ + 1 (:func:`units_within`), and a pipeline
of delay ``days`` hands them on at days − (m + ε)/q: deliveries carry on at the rate from
day 0, with no gap and no double unit where the pipeline meets the first units started
in the horizon.

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
import numpy.typing as npt

from sim.calendar import Calendar
from sim.network import Network
from sim.production.allocation import destination_shares
from sim.production.units import EPSILON


def rate_at_start(
    calendar: Calendar,
    ramp_edges: np.ndarray,
    ramp_rates_of_line: np.ndarray,
    opens: np.ndarray,
    funded_per_year: np.ndarray,
) -> np.ndarray:
    """Units a day one line may start on day 0, per replication (0 if not open yet).

    The ramp rate of the ramp year that holds day 0 (`ramp_edges`, `ramp_rates_of_line`
    are ``Parameters.ramp_edges[line]`` and ``Parameters.rates[line]``), capped by the
    funded rate of the first calendar year. Disruptions are events of the horizon and do
    not lower it. A warm line ran at this rate before the start; it is also every line's
    need on day 0, from which a shared supplier's warm shares follow.
    """
    rows = np.arange(ramp_edges.shape[0])
    period = np.clip((ramp_edges <= 0).sum(axis=1) - 1, 0, ramp_rates_of_line.shape[1] - 1)
    length = ramp_edges[rows, period + 1] - ramp_edges[rows, period]
    ramp = ramp_rates_of_line[rows, period] / length
    funded = funded_per_year / (calendar.year_edges[1] - calendar.year_edges[0])
    return np.where(opens <= 0, np.minimum(ramp, funded), 0.0)


def route_rates(
    network: Network, start_rate: np.ndarray, warm_rate: np.ndarray, yield_: np.ndarray
) -> np.ndarray:
    """Accepted units a day along each route before the start, (reps, routes).

    Routes in :meth:`Network.destinations` order. A warm line's accepted output
    (`warm_rate` × `yield_`, both (reps, lines)) is shared as on day 0: the fixed split,
    or a shared supplier's shares from every line's `start_rate`
    (:func:`sim.production.allocation.destination_shares`). Cold lines carry nothing.
    """
    rates = np.zeros((start_rate.shape[0], len(network.destinations())))
    route = 0
    for node in network.lines:
        shares = destination_shares(network, node, start_rate, yield_)
        accepted = warm_rate[:, node.index] * yield_[:, node.index]
        width = len(node.destinations)
        rates[:, route : route + width] = accepted[:, None] * shares
        route += width
    return rates


def units_within(rate: npt.ArrayLike, days: npt.ArrayLike) -> np.ndarray:
    """Units started in the `days` before the start by a line running at `rate` a day.

    ⌊rate·days − ε⌋ + 1, and 0 when there is no time or no rate (whole units, int64).
    """
    product = np.asarray(rate, dtype=float) * np.asarray(days, dtype=float)
    result: np.ndarray = np.maximum(np.floor(product - EPSILON) + 1, 0).astype(np.int64)
    return result


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


def stated_exit_days(units: int, days: float) -> np.ndarray:
    """When `units` stated in flow at the start (``initial.in_flow``) finish (DES).

    They finish evenly over the flow time, the j-th of N at j·days/N (less ε): the warm
    pipeline of a line that ran at N/days, so the rule is :func:`exit_days`' and the last
    stated unit finishes before the first unit started in the horizon. With no flow time
    they all finish at once, on day 0.
    """
    if units <= 0:
        return np.empty(0)
    if days <= 0:
        return np.zeros(units)
    finishing = exit_days(units / days, days)
    if finishing.size != units:  # rounding in units / days · days; never seen
        raise AssertionError(f"{units} stated units became {finishing.size}")
    return finishing


def stated_entered(
    units: np.ndarray, delay_steps: np.ndarray, step_days: float, ring: int
) -> tuple[np.ndarray, np.ndarray]:
    """The vector engine's ring for `units` stated in flow, (lanes, reps), and the units
    that finish in step 0 because the flow rounds to no step at all.

    As :func:`stated_exit_days`, over the pipeline the engine has, d·Δ: the warm ring of a
    line that ran at N/(d·Δ), which holds exactly N units (:func:`entered_by_step`).
    """
    units = np.asarray(units, dtype=np.int64)
    delay_steps = np.asarray(delay_steps, dtype=np.int64)
    span = delay_steps * step_days
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(span > 0, units / np.where(span > 0, span, 1.0), 0.0)
    entered = entered_by_step(rate, delay_steps, step_days, ring)
    at_once = np.where(delay_steps > 0, 0, units)
    if not np.array_equal(entered.sum(axis=0) + at_once, units):
        raise AssertionError("stated units lost in the ring")
    return entered, at_once
