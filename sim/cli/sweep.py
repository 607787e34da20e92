"""``sim sweep``: run one parameter over several values with common random numbers."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.arguments import (
    add_execution_arguments,
    add_extends_argument,
    execution_problem,
    non_negative,
    replications,
)
from sim.cli.screens import problems_screen, results_screen
from sim.exit_status import BAD_INPUT


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim sweep``."""
    sweep = commands.add_parser(
        "sweep",
        help="run one parameter over several values",
        description="Run the scenario once per value of one parameter, all with the same "
        "seed. Tables and figures name each variant by its value; each value's run files "
        "are in OUT/variants/<nn>-<value>/, for sim compare. Finished chunks are saved "
        "under OUT/.chunks: after a crash or Ctrl-C, rerun the same command to resume.",
    )
    sweep.add_argument("scenario", metavar="SCENARIO.yaml")
    sweep.add_argument("--param", required=True, metavar="PATH", help="e.g. lines.amraam-jp.opens")
    sweep.add_argument(
        "--values", required=True, metavar="V1,V2,...", help="comma-separated values"
    )
    sweep.add_argument(
        "--metric", action="append", default=[], metavar="NAME", help="metric to show (repeatable)"
    )
    sweep.add_argument("--reps", type=replications, help="replications per value")
    sweep.add_argument("--seed", type=non_negative, help="random seed (default: the scenario's)")
    sweep.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    sweep.add_argument("--out", metavar="DIR", help="default: results/sweep-<name>-<param>/")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    add_execution_arguments(sweep)
    add_extends_argument(sweep)
    sweep.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Carry out ``sim sweep``."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.cli.runner import progress_bar, resumable
    from sim.report.sweep import write_sweep
    from sim.runs import output_folder
    from sim.runs.checkpoint import FOLDER
    from sim.runs.sweep import check_metrics, default_metrics, load_variants, sweep, sweep_summary

    errors = problems_screen()
    problem = execution_problem(arguments)
    if problem:
        errors.print(f"sim: {problem}", markup=False)
        return BAD_INPUT
    values = [value.strip() for value in arguments.values.split(",") if value.strip()]
    # load every variant first: a bad value is bad input before anything is written
    name = load_variants(
        arguments.scenario, arguments.param, values, arguments.set, arguments.allow_extends_outside
    )[0].name
    out = Path(arguments.out or Path("results") / f"sweep-{name}-{arguments.param}")
    output_folder.claim(out)
    show = not arguments.quiet and errors.is_terminal

    with output_folder.locked(out):

        def work() -> None:
            with progress_bar(show, errors, f"sweep of {arguments.param}") as update:
                variants = sweep(
                    arguments.scenario,
                    arguments.param,
                    values,
                    arguments.reps,
                    arguments.seed,
                    arguments.set,
                    update,
                    checkpoints=out / FOLDER,
                    fresh=arguments.fresh,
                    metrics=arguments.metric,
                    allow_extends_outside=arguments.allow_extends_outside,
                    workers=arguments.workers,
                    scheduler=arguments.scheduler,
                    chunk_size=arguments.chunk_size,
                    precision=arguments.precision,
                    max_replications=arguments.max_reps,
                )
            metrics = arguments.metric or default_metrics(variants[0])
            check_metrics(variants, metrics)
            write_sweep(sweep_summary(arguments.param, variants, metrics), variants, out)

        status = resumable(work, out, errors)
    if status == 0 and not arguments.quiet:
        results_screen().print(f"Sweep of {arguments.param}: {out}/sweep.md", markup=False)
    return status
