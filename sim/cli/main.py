"""``sim``: the parser with every command registered, and the exit statuses it maps errors to.

The package's ``__init__`` imports nothing, so a module that needs one piece of the
command line (``sim compare``'s implementation uses :mod:`sim.cli.screens`) does not pull
in every command.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from sim import __version__
from sim.cli import bench, compare, run, schema, sensitivity, sources, sweep, validate
from sim.cli.screens import problems_screen
from sim.errors import RunError, RunFolderError, ScenarioError
from sim.execution.footprint import TooLarge
from sim.exit_status import BAD_INPUT, FAILED, INTERRUPTED

COMMANDS = (run, compare, sweep, sensitivity, validate, schema, bench, sources)
"""Command modules, in the order ``sim --help`` lists them."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = parser().parse_args(argv)
    errors = problems_screen()
    try:
        return arguments.handler(arguments)
    except ScenarioError as error:
        for problem in error.problems:
            errors.print(str(problem), markup=False)
        return BAD_INPUT
    except RunFolderError as error:
        errors.print(f"sim: {error}", markup=False)
        return BAD_INPUT
    except TooLarge as error:  # the scenario asks for more than memory holds: bad input
        errors.print(f"sim: {error}", markup=False)
        return BAD_INPUT
    except RunError as error:
        errors.print(f"sim: {error}", markup=False)
        return FAILED
    except KeyboardInterrupt:
        errors.print("sim: interrupted", markup=False)
        return INTERRUPTED


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``sim`` with every command registered."""
    top = argparse.ArgumentParser(
        prog="sim",
        description="Monte Carlo simulator of US–Japan defence-industrial capacity.",
    )
    top.add_argument("--version", action="version", version=f"sim {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(commands)
    return top
