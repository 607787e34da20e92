"""``sim run``: load, simulate with a progress bar, write the report, print a summary."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sim.montecarlo import Run, run
from sim.report import write_report
from sim.scenario import load_scenario
from sim.stats import summarise


def run_command(arguments: argparse.Namespace) -> int:
    """Carry out ``sim run`` for parsed `arguments`; return the exit status."""
    scenario = load_scenario(arguments.scenario, getattr(arguments, "set", None) or [])
    replications = arguments.reps or scenario.replications
    out = Path(arguments.out) if arguments.out else Path("results") / scenario.name
    console = Console(stderr=True)
    show = not arguments.quiet and console.is_terminal
    with _progress(show, console, replications, scenario.name) as advance:
        result = run(
            scenario,
            replications,
            arguments.seed,
            arguments.engine,
            progress=advance,
            trace=getattr(arguments, "trace", None),
        )
    write_report(result, out)
    if not arguments.quiet:
        _print_summary(result, out, Console(highlight=False))
    return 0


@contextlib.contextmanager
def _progress(show: bool, console: Console, total: int, name: str):
    if not show:
        yield None
        return
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("replications"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(name, total=total)
        yield lambda done: progress.advance(task, done)


def _print_summary(result: Run, out: Path, console: Console) -> None:
    """A few headline numbers, so a user sees the answer before opening the report."""
    metrics = result.outcomes.metrics
    last = result.scenario.year_list()[-1]
    table = Table(
        title=f"{result.scenario.name}: {result.replications:,} replications", title_justify="left"
    )
    for column in ("item", f"deliveries {last}", f"stock end {last}", "shortfall (all years)"):
        table.add_column(column, justify="right" if column != "item" else "left")

    def cell(name: str) -> str:
        if name not in metrics:
            return "–"
        summary = summarise(metrics[name])
        return f"{summary['mean']:,.0f} ({summary['p5']:,.0f}–{summary['p95']:,.0f})"

    for item in result.network.items:
        if f"item.{item}.stock_end.{last}" not in metrics:
            continue
        table.add_row(
            item,
            cell(f"item.{item}.deliveries.{last}"),
            cell(f"item.{item}.stock_end.{last}"),
            cell(f"item.{item}.shortfall"),
        )
    console.print(table if table.row_count else table.title)  # repair only: no items
    if "ships.ship_days_unavailable" in metrics:
        console.print(
            f"Ship repair: {cell('ships.ship_days_unavailable')} ship-days in maintenance."
        )
    for engine in result.scenario.engine_repair:
        console.print(f"{engine}: {cell(f'engines.{engine}.bare_firewalls')} bare firewalls.")
    starved = {
        line.name: float(metrics[f"line.{line.name}.starved_days"].mean())
        for line in result.network.lines
    }
    worst = max(starved, key=starved.get, default=None)
    if worst is not None and starved[worst] > 0:
        console.print(
            f"Bottleneck: {worst} waited for inputs {starved[worst]:,.0f} days on average."
        )
    console.print(
        f"Mean (P5–P95) across replications. Report: {out}/report.md  ({result.wall_seconds:.1f} s)"
    )
