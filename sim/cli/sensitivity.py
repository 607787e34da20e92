"""``sim sensitivity``: which uncertain inputs drive a metric (rank or Sobol' method)."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from sim.cli.arguments import (
    add_extends_argument,
    non_negative,
    positive,
    replications,
)
from sim.cli.progress import progress_task
from sim.cli.screens import problems_screen, results_screen
from sim.exit_status import BAD_INPUT

if TYPE_CHECKING:
    from sim.sensitivity.study import Study

SHOWN = 5
"""Drivers per metric in the printed table; the files have them all."""
WIDE = 100
"""Terminal columns from which the table also shows each input's P5–P95."""


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim sensitivity``."""
    command = commands.add_parser(
        "sensitivity",
        help="which uncertain inputs drive a metric",
        description=(
            "Rank the uncertain inputs of a scenario by how much they drive each metric. "
            "rank (default): Spearman correlations and standardised rank regression from "
            "one run. sobol: first- and total-order Sobol' indices from a Saltelli design "
            "(needs SALib; costs N·(D+3) runs for D inputs)."
        ),
    )
    command.add_argument("scenario", metavar="SCENARIO.yaml")
    command.add_argument(
        "--metric",
        action="append",
        default=[],
        metavar="NAME",
        help="metric to explain, e.g. item.AIM-120.stock_end.2030 (repeatable; default: "
        "the scenario's headline metrics, else each end item's stock at the end)",
    )
    command.add_argument(
        "--method",
        choices=("rank", "sobol"),
        default="rank",
        help="rank: from one run, no extra cost (default); sobol: variance shares, N·(D+3) runs",
    )
    command.add_argument(
        "--reps", type=replications, help="rank: replications (default: scenario's)"
    )
    command.add_argument(
        "--samples",
        type=positive,
        metavar="N",
        help="sobol: base sample size, a power of two (default 256)",
    )
    command.add_argument(
        "--input",
        action="append",
        default=[],
        metavar="PATTERN",
        help="study only inputs matching this glob, e.g. 'lines.amraam-*' (repeatable)",
    )
    command.add_argument("--seed", type=non_negative, help="random seed (default: the scenario's)")
    command.add_argument(
        "--set", action="append", default=[], metavar="PATH=VALUE", help="override a value"
    )
    command.add_argument("--out", metavar="DIR", help="default: results/sensitivity-<name>/")
    command.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    add_extends_argument(command)
    command.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Carry out ``sim sensitivity``; return the exit status."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.loading import load_scenario
    from sim.runs import output_folder
    from sim.sensitivity.study import carry_out, plan
    from sim.sensitivity.write import write_study

    errors = problems_screen()
    misplaced = {"rank": "--samples", "sobol": "--reps"}[arguments.method]
    if getattr(arguments, misplaced.lstrip("-")) is not None:
        message = f"sim: {misplaced} does not apply to --method {arguments.method}"
        errors.print(message, markup=False)
        return BAD_INPUT
    scenario = load_scenario(arguments.scenario, arguments.set, arguments.allow_extends_outside)
    size = arguments.samples if arguments.method == "sobol" else arguments.reps
    request = plan(
        scenario, arguments.metric, arguments.method, size, arguments.seed, arguments.input
    )
    out = Path(arguments.out or Path("results") / f"sensitivity-{scenario.name}")
    output_folder.claim(out)
    show = not arguments.quiet and errors.is_terminal
    if request.method == "sobol" and not arguments.quiet:
        errors.print(
            f"Sobol': {request.size:,} base samples × ({len(request.inputs)} inputs + 3) = "
            f"{request.model_runs:,} model runs",
            markup=False,
        )
    with _progress(show, errors, request.model_runs, scenario.name) as advance:
        study = carry_out(request, advance)
    with output_folder.locked(out):
        write_study(study, out)
    if not arguments.quiet:
        _print_summary(study, out, results_screen())
    return 0


@contextlib.contextmanager
def _progress(show: bool, console: Console, total: int, name: str) -> Iterator:
    if not show:
        yield None
        return
    with progress_task(console, name, "runs", total) as (progress, task):
        yield lambda done: progress.advance(task, done)


def _print_summary(study: Study, out: Path, console: Console) -> None:
    """The strongest drivers of each metric, so the answer shows before any file is opened."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.sensitivity.wording import fit_note, format_index, format_range

    request = study.request
    sobol = request.method == "sobol"
    key = "total_order" if sobol else "spearman"
    wide = console.width >= WIDE
    for result in study.results:
        table = Table(title=result.metric, title_justify="left", title_style="bold")
        table.add_column("rank", justify="right")
        table.add_column("input", no_wrap=True)
        if wide:
            table.add_column("input P5 – P95", no_wrap=True)
        index = "total order (95 % CI)" if sobol else "ρ (95 % CI)"
        table.add_column(index, justify="right", no_wrap=True)
        for entry in result.top(SHOWN):
            bounds = study.ranges.get(entry.input)
            spread = [format_range(entry.input, bounds, request.scenario.start)] if wide else []
            table.add_row(
                str(entry.rank),
                entry.name,
                *spread,
                format_index(entry.estimates[key], signed=not sobol),
            )
        console.print(table)
        if not result.top(SHOWN):
            console.print("  It does not vary: nothing drives it." if not result.varies else "")
        elif note := fit_note(result):
            console.print(f"  {note}", markup=False)
    console.print(
        f"{request.method}: {request.model_runs:,} model runs in {study.wall_seconds:,.1f} s; "
        f"per-event randomness counts as noise. Details: {out}/sensitivity.md",
        markup=False,
    )
