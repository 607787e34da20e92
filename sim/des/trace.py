"""The event log of one replication, for reading what the model did step by step.

Rows are (day, line, event, quantity): ``line`` names the line for line events and the
stock (``item@owner``) for stock events. Events: ``start``, ``finish`` (passed
acceptance), ``scrap``, ``ship`` (a unit dispatched), ``arrive`` (at a stock, or at the
consuming line's store), ``starve`` (logged at the moment the line's credit filled with
inputs missing; quantity is the days it then waited), ``demand`` (a due unit met from
stock), ``backorder`` and ``shortfall`` (a due unit not met, backordered or not),
``fill`` (a backorder filled by an arrival).

Repair rows name the place in the ``line`` column: ``fleet <name>`` logs ``request``;
``yard <name>`` and ``depot <type>/<name>`` log ``book`` (the job takes its place in the
queue), ``arrive``, ``start`` and ``end`` of work; ``engine <type>`` logs ``removal`` and
``return`` (quantity: engines out after it), ``install`` (a spare put on) and ``bare``
(quantity: bare firewalls after the change).
"""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ("day", "line", "event", "quantity")


class Trace:
    """Rows of the event log, collected in the order they happen."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, str, float]] = []

    def add(self, day: float, where: str, event: str, quantity: float) -> None:
        """Log one event."""
        self.rows.append((day, where, event, quantity))

    def write(self, path: str | Path) -> None:
        """Write the log as CSV, in time order (a starve row sits where the wait began)."""
        rows = sorted(self.rows, key=lambda row: row[0])
        with Path(path).open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(COLUMNS)
            for day, where, event, quantity in rows:
                writer.writerow([f"{day:.6f}", where, event, f"{quantity:g}"])
