"""Argument types and exit statuses shared by the commands."""

from __future__ import annotations

import argparse

BAD_INPUT = 2
FAILED = 1


def positive(text: str) -> int:
    """A whole number of at least 1 (``--reps``)."""
    value = non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def non_negative(text: str) -> int:
    """A whole number of at least 0 (``--seed``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value
