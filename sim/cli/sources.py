"""``sim sources``: which source backs which number."""

from __future__ import annotations

import argparse

from sim.cli.arguments import add_extends_argument
from sim.cli.screens import results_screen


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``sim sources``."""
    sources = commands.add_parser(
        "sources",
        help="show which source backs which number",
        description=(
            "List a scenario's sources (title, date, link, note) and the entries that cite "
            "each: lines, demand, conflicts, repair sections, history. Entries that cite "
            "no source are listed last: their numbers are assumptions."
        ),
    )
    sources.add_argument("scenario", metavar="SCENARIO.yaml")
    add_extends_argument(sources)
    sources.set_defaults(handler=handle)


def handle(arguments: argparse.Namespace) -> int:
    """Print a table of the scenario's sources and the numbers each backs."""
    from rich.table import Table

    # imported when the command runs, not when `sim --help` builds the parsers (start-up)
    from sim.loading import load_scenario
    from sim.scenario.sources import backing, uncited

    scenario = load_scenario(arguments.scenario, (), arguments.allow_extends_outside)
    console = results_screen()
    table = Table(title=f"Sources of {scenario.name}", title_justify="left", show_lines=True)
    for column in ("source", "title and link", "backs"):
        table.add_column(column, overflow="fold")
    for key, entries in backing(scenario).items():
        source = scenario.sources.get(key)
        described = "(not defined)" if source is None else source.title
        if source is not None and source.date:
            described += f" ({source.date})"
        if source is not None and source.url:
            described += f"\n{source.url}"
        if source is not None and source.note:
            described += f"\n{source.note}"
        table.add_row(key, described, "\n".join(entries) or "(cited nowhere)")
    console.print(table)
    missing = uncited(scenario)
    if missing:
        console.print("Cite no source (their numbers are assumptions): " + ", ".join(missing))
    return 0
