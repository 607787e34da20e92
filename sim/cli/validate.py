"""``sim validate``: check scenario files and report every problem."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sim.cli.arguments import add_extends_argument
from sim.cli.screens import results_screen
from sim.errors import ScenarioError

if TYPE_CHECKING:
    from sim.scenario.model import Scenario


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim validate``."""
    validate = commands.add_parser(
        "validate",
        help="check scenario files, report every problem",
        description=(
            "Check scenario files without running them: every problem is reported, one "
            "per line as FILE:LINE: path: message. Prints 'ok' and what each valid file "
            "holds. Exit status 0 if every file is valid, 2 otherwise."
        ),
    )
    validate.add_argument("scenarios", nargs="+", metavar="SCENARIO.yaml")
    add_extends_argument(validate)
    validate.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Validate every file; print ``ok`` lines, then raise with all the problems."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.loading import load_scenario

    problems = []
    console = results_screen()
    for path in arguments.scenarios:
        try:
            scenario = load_scenario(path, (), arguments.allow_extends_outside)
        except ScenarioError as error:
            problems.extend(error.problems)
            continue
        console.print(f"{path}: ok ({census(scenario)})", markup=False)
    if problems:
        raise ScenarioError(problems)
    return 0


def census(scenario: Scenario) -> str:
    """What a scenario holds, e.g. ``14 lines, 6 items, 3 demand streams, 4 yards``."""
    counts = {
        "line": len(scenario.lines),
        "item": len(scenario.items),
        "demand stream": len(scenario.demand),
        "conflict": len(scenario.conflicts),
        "yard": len(scenario.ship_repair.yards) if scenario.ship_repair else 0,
        "fleet": len(scenario.ship_repair.fleets) if scenario.ship_repair else 0,
        "engine type": len(scenario.engine_repair),
    }
    return ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for noun, n in counts.items() if n)
