"""Which input starved a line: the rule both engines use to share out starved days.

A line is **starved** while it holds a whole unit of capacity credit but not the inputs to
start it (docs/model.md, "Starting units, inputs and flow"). This module answers the next
question an analyst asks — *starved of what?* — with one rule:

    a starved day counts against every input whose store at the line holds less than one
    unit's worth (``on hand < per unit``) on that day.

So simultaneous shortages all count (a day short of both seekers and motors is a day
against each), and the line's own total is unchanged. Nothing is taken from a line's
stores while it is starved (inputs are consumed only when a unit starts), so within one
starved spell every input that is short at the start stays short until its own units
arrive: the spells of the inputs all begin with the line's and end no later. Hence, in
every replication,

    max over inputs of input days  ≤  line days  ≤  sum over inputs of input days,

with equality on the left when the line has one starved spell (or one input).

The DES applies the rule at the moments a spell begins and an input arrives; the vector
engine applies it once per step to the stores left after the step's starts (arrivals are
taken to come at the start of the step, so an input short after the starts stays short
for the rest of the step, the part the line was starved).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def short_inputs(on_hand: np.ndarray, per_unit: np.ndarray | None) -> np.ndarray:
    """Which stores hold less than one unit's worth of their input, elementwise.

    `on_hand` is any array of store levels; `per_unit` broadcasts against it (None when
    every input is needed one to a unit)."""
    return on_hand < (1 if per_unit is None else per_unit)


def short_slots(on_hand: Sequence[float], per_unit: Sequence[float]) -> list[int]:
    """The positions of the inputs a line is short of (the DES's lists of one line)."""
    short = short_inputs(np.asarray(on_hand), np.asarray(per_unit))
    return [int(k) for k in np.flatnonzero(short)]


def share_out(line_days: np.ndarray, short: np.ndarray, store_line: np.ndarray) -> np.ndarray:
    """Starved days of each store: its line's starved days where the store is short.

    `line_days` is (lines, reps), `short` (stores, reps) from :func:`short_inputs`, and
    `store_line` the line (row of `line_days`) of each store."""
    return np.where(short, line_days[store_line], 0.0)
