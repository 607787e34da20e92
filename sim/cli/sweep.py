"""``sim sweep``: run one parameter over several values with common random numbers."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from sim.cli.arguments import non_negative, positive


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim sweep``."""
    sweep = commands.add_parser("sweep", help="run one parameter over several values")
    sweep.add_argument("scenario", metavar="SCENARIO.yaml")
    sweep.add_argument("--param", required=True, metavar="PATH", help="e.g. lines.amraam-jp.opens")
    sweep.add_argument(
        "--values", required=True, metavar="V1,V2,...", help="comma-separated values"
    )
    sweep.add_argument(
        "--metric", action="append", default=[], metavar="NAME", help="metric to show (repeatable)"
    )
    sweep.add_argument("--reps", type=positive, help="replications per value")
    sweep.add_argument("--seed", type=non_negative, help="random seed (default: the scenario's)")
    sweep.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    sweep.add_argument("--out", metavar="DIR", help="default: results/sweep-<name>-<param>/")
    sweep.add_argument("--quiet", action="store_true", help="no summary")
    sweep.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Carry out ``sim sweep``."""
    from sim.report.sweep import write_sweep
    from sim.sweep import check_metrics, default_metrics, sweep, sweep_summary

    values = [value.strip() for value in arguments.values.split(",") if value.strip()]
    variants = sweep(
        arguments.scenario, arguments.param, values, arguments.reps, arguments.seed, arguments.set
    )
    metrics = arguments.metric or default_metrics(variants[0])
    check_metrics(variants, metrics)
    name = variants[0].run.scenario.name
    out = Path(arguments.out or Path("results") / f"sweep-{name}-{arguments.param}")
    write_sweep(sweep_summary(arguments.param, variants, metrics), variants, out)
    if not arguments.quiet:
        Console(highlight=False).print(f"Sweep of {arguments.param}: {out}/sweep.md", markup=False)
    return 0
