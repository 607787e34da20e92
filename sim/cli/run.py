"""``sim run``: run a scenario and write its report."""

from __future__ import annotations

import argparse

from sim.cli.arguments import (
    add_execution_arguments,
    add_extends_argument,
    execution_problem,
    non_negative,
    replications,
)
from sim.cli.screens import problems_screen
from sim.exit_status import BAD_INPUT


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim run``."""
    run = commands.add_parser(
        "run",
        help="run a scenario and write its report",
        description="Run a scenario's replications and write its report folder. A scenario "
        "that extends another is a plan against that counterfactual: both run with the same "
        "seed and replications (common random numbers), and the report leads with what the "
        "plan changes, with 95 % CIs (--against FILE names another counterfactual, "
        "--no-against runs the scenario alone). Finished chunks are saved under OUT/.chunks: "
        "after a crash or Ctrl-C, rerun the same command to resume; the report then gives "
        "the wall time of all the parts. On a terminal a bar shows the replications done "
        "(moving within chunks) and then the report's files and figures. Exit status: 0 done, "
        "1 failed, 2 bad input (nothing written), 3 a --precision target not met within "
        "--max-reps (the report is written and says by how much), 130 interrupted.",
    )
    run.add_argument("scenario", metavar="SCENARIO.yaml")
    run.add_argument("--reps", type=replications, help="replications (default: the scenario's)")
    run.add_argument("--seed", type=non_negative, help="random seed (default: the scenario's)")
    run.add_argument(
        "--engine", choices=["vector", "des"], default="vector", help="simulation engine"
    )
    run.add_argument(
        "--trace", metavar="FILE.csv", help="DES only: write replication 0's event log here"
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override one scenario value, e.g. lines.pac3-jp.opens=2028-01-01 (repeatable); "
        "applies to the scenario given only, never to its counterfactual",
    )
    counterfactual = run.add_mutually_exclusive_group()
    counterfactual.add_argument(
        "--against",
        metavar="FILE",
        help="run FILE as the counterfactual instead of the file the scenario extends: the "
        "report then leads with what the scenario changes against FILE (same seed and "
        "replications, paired differences with 95 %% CIs); FILE's own extends: must stay "
        "in its folder unless --allow-extends-outside",
    )
    counterfactual.add_argument(
        "--no-against",
        action="store_true",
        help="do not run a counterfactual (by default, a scenario with extends: is run "
        "together with the file it extends, and its report leads with the differences)",
    )
    run.add_argument(
        "--against-set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override one value of the counterfactual only (repeatable); with --against "
        "naming the scenario itself it measures one change, e.g. what a wartime surge "
        "does: --against scenarios/contingency.yaml --against-set "
        "conflicts.0.surge.approved=0",
    )
    run.add_argument(
        "--marginal",
        action="store_true",
        help="also run every line again with 10 %% more capacity (vector engine, production "
        "only, same seed: paired differences) and report which line's extra capacity adds "
        "most to each end item's stock and deliveries in the headline year",
    )
    run.add_argument(
        "--marginal-reps",
        type=replications,
        metavar="REPS",
        help="replications per line for --marginal (default 200; implies --marginal)",
    )
    run.add_argument("--out", metavar="DIR", help="output folder (default: results/<name>/)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    run.add_argument(
        "--parquet",
        action="store_true",
        help="also write replications.parquet: every value in long form (replication, "
        "metric, year, value), for large runs and analysis tools (needs pyarrow)",
    )
    add_execution_arguments(run)
    add_extends_argument(run)
    run.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Carry out ``sim run``."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.cli.runner import run_command

    problem = execution_problem(arguments)
    if arguments.trace and arguments.engine != "des":
        problem = "--trace needs --engine des (the vector engine keeps no event log)"
    if arguments.against_set and arguments.no_against:
        problem = "--against-set changes the counterfactual, which --no-against turns off"
    if problem:
        problems_screen().print(f"sim: {problem}", markup=False)
        return BAD_INPUT
    return run_command(arguments)
