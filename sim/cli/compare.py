"""``sim compare``: compare finished runs, each with the first."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim compare``."""
    compare = commands.add_parser(
        "compare",
        help="compare finished runs, each with the first",
        description="Compare finished runs, each with the first: every metric both report, "
        "B − A with a 95 % CI (paired when the runs share seed and replications). "
        "comparison.md/html and comparison.json also say what differs between the runs' "
        "inputs: scenario keys changed, added or removed (dotted paths, as --set takes "
        "them), each run's --set overrides, and seed, replications or engine.",
    )
    compare.add_argument("run_a", metavar="RUN_A", help="output folder of `sim run`")
    compare.add_argument("run_b", nargs="+", metavar="RUN_B", help="folders to compare with it")
    compare.add_argument(
        "--out", metavar="DIR", help="output folder (default: results/compare-<A>-vs-<B>/)"
    )
    compare.add_argument("--quiet", action="store_true", help="no summary")
    compare.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Carry out ``sim compare``."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.compare.command import compare_command

    return compare_command(arguments)
