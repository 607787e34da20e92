"""The exit statuses of ``sim``, in one place for the entry point and every command.

Scripts and CI jobs branch on them, so they are part of the command line's contract
(documented in ``sim --help``): 0 success, 1 a run that failed, 2 bad input (nothing
written), 3 a ``--precision`` target not met (the report is written), 130 interrupted.
"""

from __future__ import annotations

FAILED = 1
"""A run failed (a worker died, a chunk could not be computed)."""
BAD_INPUT = 2
"""The input was refused before any work: a scenario, an option or an output folder."""
PRECISION_NOT_MET = 3
"""``sim run --precision``: the target was not reached within ``--max-reps``; the report
is written and says by how much, but a script must not take it for a precise answer."""
INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT), as shells expect."""
