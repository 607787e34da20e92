"""``sim bench``: benchmark the simulation core on this machine and print a table."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from sim.cli.screens import problems_screen, results_screen
from sim.exit_status import BAD_INPUT

DEFAULT_OUT = Path("benchmarks") / "results"
QUICK_OUT = Path("benchmarks") / "results-quick"
"""Beside, not inside, the full results: each folder is replaced whole when written."""
"""Where ``sim bench`` writes; ``--quick`` writes to its ``quick/`` sub-folder, so a
smoke run never replaces the full results the README quotes."""
DEFAULT_SCENARIOS = "scenarios/*.yaml"


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim bench``."""
    bench = commands.add_parser(
        "bench",
        help="benchmark the core, print a table",
        description=(
            "Measure both engines on each scenario in one process: replications per "
            "second, the NumPy/SimPy ratio, ns per replication-line-step, the share of "
            "time drawing random numbers and peak memory; the full suite adds scaling "
            "series and `sim run --reps 10000` end to end. Writes bench.json, bench.md "
            "and scaling-*.png."
        ),
    )
    bench.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO.yaml",
        help=f"scenarios to measure (default: {DEFAULT_SCENARIOS})",
    )
    bench.add_argument(
        "--quick",
        action="store_true",
        help="small counts, no scaling series: a check in well under a minute",
    )
    bench.add_argument(
        "--out",
        metavar="DIR",
        help=f"output folder (default: {DEFAULT_OUT}/, or {QUICK_OUT}/ with --quick)",
    )
    bench.add_argument("--quiet", action="store_true", help="no progress notes or table")
    bench.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Carry out ``sim bench``."""
    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.bench.document import (
        HEADERS,
        end_to_end_line,
        every_core_line,
        machine_line,
        table_rows,
        target_rows,
    )
    from sim.bench.suite import FULL, QUICK, run_suite
    from sim.bench.write import write_results
    from sim.runs import output_folder

    errors = problems_screen()
    files = arguments.scenarios or sorted(Path().glob(DEFAULT_SCENARIOS))
    if not files:
        errors.print(f"sim: no scenarios given and none match {DEFAULT_SCENARIOS}", markup=False)
        return BAD_INPUT
    settings = QUICK if arguments.quick else FULL
    out = Path(arguments.out) if arguments.out else QUICK_OUT if arguments.quick else DEFAULT_OUT
    output_folder.claim(out)

    def note(text: str) -> None:
        if not arguments.quiet:
            errors.print(f"[dim]bench:[/dim] {text}", markup=True)

    results = run_suite(files, settings, note)
    with output_folder.locked(out):
        write_results(results, out)
    if arguments.quiet:
        return 0
    console = results_screen()
    table = Table(title=f"sim bench ({results['mode']})", title_justify="left")
    for number, header in enumerate(HEADERS):
        table.add_column(header, justify="left" if number < 2 else "right")
    for row in table_rows(results):
        table.add_row(*row)
    console.print(table)
    console.print(machine_line(results), markup=False)
    for extra in (every_core_line(results), end_to_end_line(results)):
        if extra:
            console.print(extra.replace("`", ""), markup=False)
    targets = Table(title=f"Targets ({results['reference_scenario']})", title_justify="left")
    for header in ("target", "wanted", "measured", "", "how"):
        targets.add_column(header)
    for row in target_rows(results):
        targets.add_row(*row)
    console.print(targets)
    console.print(f"Results: {out}/bench.md", markup=False)
    return 0
