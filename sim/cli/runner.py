"""``sim run``: load, simulate with a progress bar, write the report, print a summary.

Chunks are checkpointed under ``OUT/.chunks`` as they finish, so rerunning the same
command after a crash, Ctrl-C or a killed worker resumes where it stopped; ``--fresh``
discards them. The report replaces ``OUT`` only when every chunk is in. Each part's wall
time is kept beside the chunks (:mod:`sim.runs.parts`), so a resumed run's report and
summary give the time of all its parts.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from sim import catalogue
from sim.cli.progress import progress_task
from sim.cli.screens import problems_screen, results_screen
from sim.execution import ChunkFailed
from sim.execution.precision import precision_note
from sim.exit_status import FAILED, INTERRUPTED, PRECISION_NOT_MET
from sim.loading import load_scenario
from sim.network import Network
from sim.report.against import terminal_lines
from sim.report.history import history_records, kept_values, verdict
from sim.report.tidy import require_parquet
from sim.report.writer import report_steps, write_report
from sim.runs import output_folder
from sim.runs.against import FOLDER as AGAINST_FOLDER
from sim.runs.against import load_counterfactual, run_with_counterfactual
from sim.runs.checkpoint import FOLDER, checkpoint_for
from sim.runs.marginal import DEFAULT_REPLICATIONS, STEP, Marginal, marginal_capacity
from sim.runs.montecarlo import Run, RunInterrupted, run
from sim.runs.parts import PARTS, RunParts


def run_command(arguments: argparse.Namespace) -> int:
    """Carry out ``sim run`` for parsed `arguments`; return the exit status."""
    scenario = load_scenario(
        arguments.scenario, arguments.set or [], arguments.allow_extends_outside
    )
    counterfactual = load_counterfactual(
        scenario,
        getattr(arguments, "against", None),
        getattr(arguments, "no_against", False),
        arguments.allow_extends_outside,
        getattr(arguments, "against_set", None) or (),
    )
    replications = arguments.reps or scenario.replications
    seed = scenario.seed if arguments.seed is None else arguments.seed
    out = Path(arguments.out) if arguments.out else Path("results") / scenario.name
    if arguments.parquet:
        require_parquet()  # before hours of work, not after
    errors = problems_screen()
    output_folder.claim(out)
    with output_folder.locked(out):
        # the plan's checkpoints first: --fresh clears OUT/.chunks, the counterfactual's too
        checkpoint = checkpoint_for(
            out / FOLDER,
            scenario,
            seed,
            arguments.engine,
            arguments.fresh,
            companions=(AGAINST_FOLDER, PARTS),
        )
        parts = RunParts(out / FOLDER, asdict(checkpoint.identity))
        stores = None
        if counterfactual is not None:
            stores = (
                checkpoint,
                checkpoint_for(
                    out / FOLDER / AGAINST_FOLDER,
                    counterfactual,
                    seed,
                    arguments.engine,
                    arguments.fresh,
                ),
            )
        show = not arguments.quiet and errors.is_terminal
        finished: list[Run] = []
        trace = getattr(arguments, "trace", None)
        execution = {
            "chunk_size": arguments.chunk_size,
            "workers": arguments.workers,
            "scheduler": arguments.scheduler,
            "precision": arguments.precision,
            "max_replications": arguments.max_reps,
        }
        title = scenario.name
        if counterfactual is not None:
            title = f"{scenario.name} and {counterfactual.name}"

        def work() -> None:
            try:
                simulate()
            except BaseException:  # interrupted, failed or crashed: this part counts
                parts.note(force=True)
                raise

        def simulate() -> None:
            with progress_bar(show, errors, title) as bar:

                def update(done: int, total: int) -> None:
                    parts.note()
                    if bar is not None:
                        bar(done, total)

                if stores is None or counterfactual is None:
                    result = run(
                        scenario,
                        replications,
                        seed,
                        arguments.engine,
                        progress=update,
                        trace=trace,
                        store=checkpoint,
                        **execution,
                    )
                else:
                    result = run_with_counterfactual(
                        scenario,
                        counterfactual,
                        replications,
                        seed,
                        arguments.engine,
                        stores=stores,
                        trace=None if trace is None else str(Path(trace).resolve()),
                        progress=update,
                        **execution,
                    )
            if arguments.marginal or arguments.marginal_reps is not None:
                reps = arguments.marginal_reps or DEFAULT_REPLICATIONS
                result.marginal = marginal_run(result, seed, reps, show, errors)
            result.earlier_parts = parts.earlier
            if show:  # the bar is gone, and the report takes a few seconds more
                errors.print(writing_note(result, out))
            with writing_bar(show, errors, report_steps(arguments.parquet)) as step:
                write_report(result, out, parquet=arguments.parquet, step=step)
            finished.append(result)

        status = resumable(work, out, errors)
    if status == 0 and not arguments.quiet:
        print_summary(finished[0], out, results_screen())
    precision = finished[0].precision if status == 0 else None
    if precision is not None and not precision["met"]:
        return PRECISION_NOT_MET  # the report is written; a script must still notice
    return status


def resumable(work: Callable[[], None], out: Path, errors: Console) -> int:
    """Do `work` (run chunks into ``out/.chunks``, then write `out`); the exit status.

    Ctrl-C and a chunk that failed twice end with a one-line note of what was saved and
    how to resume, instead of a traceback.
    """
    try:
        work()
    except RunInterrupted as interrupted:
        errors.print(resume_note("interrupted", interrupted.saved, interrupted.planned, out))
        return INTERRUPTED
    except KeyboardInterrupt:  # before the chunks started, or while writing the report
        errors.print(
            f"interrupted; finished chunks are kept in {out / FOLDER} — rerun the same "
            "command to resume"
        )
        return INTERRUPTED
    except ChunkFailed as failed:
        errors.print(f"sim: {failed}; " + resume_note("", failed.saved, failed.planned, out))
        return FAILED
    return 0


def marginal_run(result: Run, seed: int, reps: int, show: bool, errors: Console) -> Marginal:
    """``--marginal``: each line again with more capacity (:mod:`sim.runs.marginal`), `reps`
    replications each."""
    if show:
        lines = len(result.network.lines)
        errors.print(f"Running each of {lines} lines with {STEP:.0%} more capacity ({reps} reps)…")
    return marginal_capacity(result.network, seed, reps)


def writing_note(result: Run, out: Path) -> str:
    """'10,000 replications in 8.4 s; writing the report to OUT …' (each of the plan and
    its counterfactual, when it has one)."""
    each = (
        ""
        if result.against is None
        else f" each of {result.scenario.name} and {result.against.name}"
    )
    return (
        f"{result.replications:,} replications{each} in {took(result)}; "
        f"writing the report to {out} …"
    )


def took(result: Run) -> str:
    """'8.4 s', or for a run resumed after an interrupt '41.0 s in all, 3 parts'."""
    parts = len(result.part_seconds)
    if parts == 1:
        return f"{result.wall_seconds:.1f} s"
    return f"{result.total_wall_seconds:.1f} s in all, {parts} parts"


def resume_note(what: str, saved: int, planned: int, out: Path) -> str:
    """'interrupted; 3 of 8 chunks saved in OUT/.chunks — rerun the same command to resume'."""
    prefix = f"{what}; " if what else ""
    return (
        f"{prefix}{saved} of {planned} chunks saved in {out / FOLDER} — "
        "rerun the same command to resume"
    )


@contextlib.contextmanager
def progress_bar(show: bool, console: Console, name: str) -> Iterator:
    """A progress callback (done, total) drawing a bar on a terminal; None when hidden."""
    if not show:
        yield None
        return
    with progress_task(console, name, "replications") as (progress, task):
        yield lambda done, total: progress.update(task, completed=done, total=total)


@contextlib.contextmanager
def writing_bar(show: bool, console: Console, steps: int) -> Iterator:
    """A callback advancing a 'Writing report' bar by a step (a file, a figure); None when
    hidden. It redraws only when advanced, so no thread stops figures being forked."""
    if not show:
        yield None
        return
    with progress_task(console, "Writing report", "files and figures", steps, False) as (
        progress,
        task,
    ):
        yield lambda: progress.update(task, advance=1, refresh=True)


def print_summary(result: Run, out: Path, console: Console) -> None:
    """A few headline numbers, so a user sees the answer before opening the report."""
    metrics = result.summaries.metrics
    for line in terminal_lines(result):
        console.print(line, markup=False, highlight=False)
    last = result.scenario.lead_year
    table = Table(
        title=f"{result.scenario.name}: {result.replications:,} replications", title_justify="left"
    )
    for column in ("item", f"deliveries {last}", f"stock end {last}", "shortfall (all years)"):
        table.add_column(column, justify="right" if column != "item" else "left")

    def cell(name: str) -> str:
        summary = metrics.get(name)
        if summary is None or summary["mean"] is None:
            return "–"
        return f"{summary['mean']:,.0f} ({summary['p5']:,.0f}–{summary['p95']:,.0f})"

    for item in result.network.items:
        if catalogue.ITEM_STOCK_END.name(item=item, year=last) not in metrics:
            continue
        table.add_row(
            item,
            cell(catalogue.ITEM_DELIVERIES_IN_YEAR.name(item=item, year=last)),
            cell(catalogue.ITEM_STOCK_END.name(item=item, year=last)),
            cell(catalogue.ITEM_SHORTFALL.name(item=item)),
        )
    console.print(table if table.row_count else table.title)  # repair only: no items
    spending = catalogue.SPENDING_TOTAL.name()
    if spending in metrics:
        console.print(f"Spending: {cell(spending)} million US$ on units and investments.")
    ship_days = catalogue.SHIPS.ship_days_unavailable.name()
    if ship_days in metrics:
        console.print(f"Ship repair: {cell(ship_days)} ship-days in maintenance.")
    for engine in result.scenario.engine_repair:
        bare = cell(catalogue.ENGINE_BARE_FIREWALLS.name(engine=engine))
        console.print(f"{engine}: {bare} bare firewalls.")
    starved = {
        line.name: metrics[catalogue.LINE_STARVED_DAYS.name(line=line.name)]["mean"] or 0.0
        for line in result.network.lines
    }
    worst = max(starved, key=starved.__getitem__, default=None)
    if worst is not None and starved[worst] > 0:
        console.print(
            f"Bottleneck: {worst} waited for inputs {starved[worst]:,.0f} days on average"
            f"{_most_short_of(result.network, metrics, worst)}."
        )
    if result.scenario.history:
        records = history_records(result.scenario, metrics, kept_values(result))
        console.print("History: " + verdict(records))
    if result.precision is not None:
        console.print(precision_note(result.precision))
    console.print(f"Mean (P5–P95) across replications. Report: {out}/report.md  ({took(result)})")


def _most_short_of(network: Network, metrics: dict[str, Any], line: str) -> str:
    """', most often for SRM': the input `line` was short of on most days (if any)."""
    node = next(node for node in network.lines if node.name == line)
    family = catalogue.LINE_INPUT_STARVED_DAYS
    days: dict[str, float] = {}
    for store in node.stores:
        item = network.items[network.stores[store].item]
        summary = metrics.get(family.name(line=line, item=item)) or {}
        days[item] = summary.get("mean") or 0.0
    most = max(days, key=days.__getitem__, default=None)
    return "" if most is None or days[most] <= 0 else f", most often for {most}"
