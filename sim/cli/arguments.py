"""Argument types shared by the commands."""

from __future__ import annotations

import argparse

from sim.execution.processes import available_cores
from sim.scenario.limits import replications_problem
from sim.streams import BLOCK


def positive(text: str) -> int:
    """A whole number of at least 1 (``--reps``)."""
    value = non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def replications(text: str) -> int:
    """A replication count (``--reps``, ``--max-reps``): 1 to :data:`MAX_REPLICATIONS`."""
    value = non_negative(text)
    problem = replications_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
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


def fraction(text: str) -> float:
    """A number strictly between 0 and 1 (``--precision``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1, e.g. 0.01 for 1 %")
    return value


def add_extends_argument(parser: argparse.ArgumentParser) -> None:
    """``--allow-extends-outside``: for every command that reads a scenario file."""
    parser.add_argument(
        "--allow-extends-outside",
        action="store_true",
        help="let extends: follow files outside the scenario's folder (refused by default, "
        "so a scenario from someone else cannot read your other files)",
    )


def add_execution_arguments(parser: argparse.ArgumentParser) -> None:
    """Where and how many replications run: shared by ``sim run`` and ``sim sweep``."""

    def chunk_size(text: str) -> int:
        value = positive(text)
        if value % BLOCK:
            raise argparse.ArgumentTypeError(f"must be a multiple of {BLOCK}")
        return value

    group = parser.add_argument_group(
        "execution (where chunks run never changes the numbers; --precision decides how "
        "many replications)"
    )
    group.add_argument(
        "--workers",
        type=positive,
        metavar="N",
        help=f"local worker processes (default: every core, {available_cores()} here); "
        "1 runs everything in this process",
    )
    group.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="send chunks to the Dask cluster whose scheduler is at ADDRESS, e.g. "
        "tcp://10.0.0.5:8786 (needs the dask extra; see docs/scale-out.md)",
    )
    group.add_argument(
        "--chunk-size",
        type=chunk_size,
        metavar="N",
        help=f"replications per chunk, a multiple of {BLOCK} (default: chosen for the workers)",
    )
    group.add_argument(
        "--fresh",
        action="store_true",
        help="discard the checkpoints of an earlier, unfinished run in OUT/.chunks and start over",
    )
    group.add_argument(
        "--precision",
        type=fraction,
        metavar="FRACTION",
        help="add replications until the 95 %% CI half-width of every headline metric is "
        "within FRACTION of its mean, e.g. 0.01 (the scenario's headline: list, or a default)",
    )
    group.add_argument(
        "--max-reps",
        type=replications,
        metavar="N",
        help="with --precision: stop at N replications even if not precise enough "
        "(default: 100,000)",
    )


def execution_problem(arguments: argparse.Namespace) -> str | None:
    """Why the execution arguments cannot go together, or None."""
    if arguments.max_reps is not None and arguments.precision is None:
        return "--max-reps applies only with --precision (use --reps for a fixed count)"
    if arguments.scheduler and arguments.workers is not None:
        return "--workers and --scheduler exclude each other (a cluster has its own workers)"
    if arguments.scheduler and getattr(arguments, "trace", None):
        return "--trace is written on this machine; run it without --scheduler"
    return None
