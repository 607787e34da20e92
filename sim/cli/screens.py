"""Where the commands write: standard output for results, standard error for problems.

On a terminal, rich fits tables to the window. Piped to a file or another program it
would assume 80 columns and wrap table cells and numbers ("10,532" above "(7,876–12,626)"),
which breaks ``grep`` and log files; so without a terminal the output is as wide as its
content needs, up to ``PIPED_WIDTH`` (whatever ``COLUMNS`` says: a pipe has no columns).
"""

from __future__ import annotations

from rich.console import Console

PIPED_WIDTH = 240
"""Columns of output that is not a terminal: wide enough for every table sim prints."""


def results_screen() -> Console:
    """Standard output, for summaries and tables: lines of text are never wrapped (a
    path in them stays whole), tables fit the width."""
    console = Console(highlight=False, emoji=False, soft_wrap=True)
    if console.is_terminal:
        return console
    return Console(highlight=False, emoji=False, soft_wrap=True, width=PIPED_WIDTH)


def problems_screen() -> Console:
    """Standard error, for one-line problems and progress: long lines are not wrapped."""
    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
