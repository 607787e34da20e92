"""Orders on the vector engine: a line starts only funded units (:mod:`sim.production.orders`).

Funding is one more limit on the units a line may start in a step, next to its credit
and its inputs, for the lines that have orders; a scenario without orders builds no
:class:`Funding` gates and pays one test per level and step.

Per step ``[s, e)`` and gated line (:meth:`sim.production.orders.OrderBook.step` holds the maths,
:class:`sim.production.orders.StepCursor` walks it step by step):

* a line that has started every unit released before ``s`` is **idle** at the step's
  start: its credit begins empty and counts the step's capacity only after the first
  release inside the step (the continuous-time rule: capacity does not accrue while
  nothing is funded, and the credit starts empty at the release);
* it may start at most the units released before ``e`` less those it has started;
* a line held back by funding ends the step with no credit (idle capacity is lost), and
  counts **unfunded days**: the part of an idle step before its release, and the part of
  the step after its credit would have had the first unit that was not funded (capacity
  taken to accrue evenly over the step, as for starved days).
"""

from __future__ import annotations

import numpy as np

from sim.calendar import Calendar
from sim.production.orders import OrderBook, StepCursor
from sim.vector.layout import Layout


class Funding:
    """The order gates of a chunk's lines, by supply level."""

    def __init__(self, layout: Layout, books: list[OrderBook | None], calendar: Calendar):
        self.calendar = calendar
        self.levels: list[list[tuple[int, int, StepCursor]]] = [[] for _ in layout.levels]
        """Per level: (row within the level, position, awards) of each gated line."""
        self.books: dict[int, OrderBook] = {}
        """Each gated line's awards, by position."""
        for v, level in enumerate(layout.levels):
            for p in range(level.lines.start, level.lines.stop):
                book = books[layout.lines[p].index] if books else None
                if book is not None:
                    self.levels[v].append((p - level.lines.start, p, StepCursor(book)))
                    self.books[p] = book
        self.gated = [p for level in self.levels for _, p, _ in level]
        reps = next((len(book.units) for book in books if book is not None), 0)
        self.unfunded = {p: np.zeros(reps) for p in self.gated}
        self.backlog = {p: np.zeros((calendar.years, reps), dtype=np.int64) for p in self.gated}
        self._step: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def open_step(
        self, k: int, v: int, credit: np.ndarray, capacity: np.ndarray, started: np.ndarray
    ) -> None:
        """Empty the credit of idle lines (counting capacity after the release only)."""
        start, end = self.calendar.step_edges[k], self.calendar.step_edges[k + 1]
        for j, p, cursor in self.levels[v]:
            funded_start, funded_end, after = cursor.advance(start, end)
            idle = started[p] >= funded_start
            credit[p] = np.where(idle, capacity[j] * after, credit[p])
            self._step[p] = (idle, after, funded_end - started[p])

    def cap(
        self,
        v: int,
        possible: np.ndarray,
        carried: np.ndarray,
        capacity: np.ndarray,
        length: float,
    ) -> None:
        """Cap the level's `possible` starts at the funded units; count unfunded days."""
        for j, p, _ in self.levels[v]:
            idle, after, left = self._step[p]
            allowed = np.minimum(possible[j], left)
            short = allowed < possible[j]
            if not (short.any() or idle.any()):  # the usual step: funded, nothing idle
                self._step[p] = (short, after, left)
                continue
            working = capacity[j] > 0
            # an idle line's capacity counts from its release, so the step before it is idle
            before = np.where(idle, 1.0 - after, 0.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                ready = before + (allowed + 1 - np.where(idle, 0.0, carried[j])) / capacity[j]
            ran_out = np.where(short, 1.0 - np.clip(ready, 0.0, 1.0), 0.0)
            self.unfunded[p] += np.where(working, (before + ran_out) * length, 0.0)
            possible[j] = allowed
            self._step[p] = (short, after, left)

    def close_step(self, v: int, credit: np.ndarray) -> None:
        """A line held back by funding keeps no credit: idle capacity is lost."""
        for _, p, _ in self.levels[v]:
            short = self._step[p][0]
            if short.any():
                credit[p] = np.where(short, 0.0, credit[p])

    def close_year(self, year: int, started: np.ndarray) -> None:
        """Units awarded and not started at the end of `year` (index), per gated line."""
        end = float(self.calendar.year_edges[year + 1])
        for p, book in self.books.items():
            self.backlog[p][year] = book.awarded_by(end) - started[p]
