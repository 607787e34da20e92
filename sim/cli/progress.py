"""The progress bar of the long commands (``sim run``, ``sim sweep``, ``sim sensitivity``).

One bar for all of them, so they look alike: bold name, bar, done of total in their
unit, time remaining. It is transient (gone when the work is), and a command shows it
only on a terminal, so logs and pipes get no control characters.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)


@contextlib.contextmanager
def progress_task(
    console: Console, name: str, unit: str, total: int | None = None, redraw: bool = True
) -> Iterator[tuple[Progress, TaskID]]:
    """A bar named `name` counting `unit` on `console`: its Progress and task.

    `total` None leaves the bar open-ended until an update gives it. `redraw` False draws
    only when told (``update(..., refresh=True)``), from no thread of rich's own: the bar
    of report writing, during which figures are drawn in forked processes, which a
    running thread would forbid (:mod:`sim.report.forked`).
    """
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True, auto_refresh=redraw) as progress:
        # Rich redraws from a thread that it stops but does not wait for; waiting here
        # means no thread is left when the bar is gone, so the report that follows may
        # fork to draw its figures (sim.report.forked)
        redrawing = getattr(progress.live, "_refresh_thread", None)
        yield progress, progress.add_task(name, total=total)
    if redrawing is not None:
        redrawing.join()
