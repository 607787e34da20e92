"""``sim compare RUN_A RUN_B [RUN_C …]``: load, compare with the first, write, summarise."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sim.cli.screens import results_screen
from sim.compare.comparison import Comparison, compare_runs, default_folder
from sim.compare.headline import largest_effects
from sim.compare.load import RunFolder, load_run
from sim.compare.measures import label
from sim.compare.value import per_billion_rows
from sim.compare.wording import change, effect, interval, unit_words
from sim.compare.write import write_comparisons
from sim.errors import RunFolderError
from sim.runs import output_folder

SUMMARY_ROWS = 5


def compare_command(arguments: argparse.Namespace) -> int:
    """Carry out ``sim compare`` for parsed `arguments`; return the exit status."""
    runs = [load_run(folder) for folder in (arguments.run_a, *arguments.run_b)]
    comparisons = compare_runs(runs)
    out = Path(arguments.out) if arguments.out else default_folder(comparisons)
    _refuse_to_replace(runs, out)
    output_folder.claim(out)
    with output_folder.locked(out):
        write_comparisons(comparisons, out)
    if not arguments.quiet:
        console = results_screen()
        for comparison in comparisons:
            _print_summary(comparison, console)
        console.print(f"Comparison: {out}/comparison.md", soft_wrap=True)
    return 0


def _refuse_to_replace(runs: list[RunFolder], out: Path) -> None:
    """Writing replaces `out` whole, so it must not be, or hold, a run being compared."""
    target = out.resolve()
    for run in runs:
        folder = run.folder.resolve()
        if target == folder or target in folder.parents:
            raise RunFolderError(
                f"--out {out} would replace the run folder {run.folder}; choose another folder"
            )


def _print_summary(comparison: Comparison, console: Console) -> None:
    """The largest effects, so a user sees the answer before opening the files."""
    method = "paired" if comparison.paired else "unpaired, Welch"
    table = Table(
        title=f"{comparison.label_b} − {comparison.label_a} ({method})", title_justify="left"
    )
    for column in ("metric", "difference", "95 % CI", "effect"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for entry in largest_effects(comparison, SUMMARY_ROWS):
        unit = unit_words(entry)
        table.add_row(
            label(entry.metric, comparison.years),
            f"{change(entry.difference.diff, entry.unit)} {unit}",
            interval(entry.difference.ci95, entry.unit),
            effect(entry),
        )
    console.print(table)
    if comparison.per_billion is not None:
        what, diff, ci = per_billion_rows(comparison.per_billion)[-1]
        console.print(f"{what}: {diff} (95 % CI {ci})", soft_wrap=True)
