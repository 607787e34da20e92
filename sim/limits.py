"""Bounds on what a run may ask for, stated once so errors and docs quote the same numbers.

Past these, memory, disk or integer ranges would give out before a useful answer: a run
of 10¹² replications would spend its memory planning chunks before simulating one. Each
bound is far above what an analysis needs (docs/model.md, "Limits").
"""

from __future__ import annotations

MAX_REPLICATIONS = 10_000_000
"""Most replications in one run: ~12 KB of checkpoint per replication for the shipped
scenarios, so the largest run needs about 100 GB of disk for its checkpoints."""


def replications_problem(count: object) -> str | None:
    """Why `count` cannot be a replication count, or None if it can."""
    if isinstance(count, bool) or not isinstance(count, int):
        return "must be a whole number"
    if count < 1:
        return "must be at least 1"
    if count > MAX_REPLICATIONS:
        return f"must be at most {MAX_REPLICATIONS:,} (the limit of one run)"
    return None
