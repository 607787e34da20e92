"""The ``sim`` command (DESIGN §5).

I/O lives here and in :mod:`sim.report`; everything below is pure. Exit status: 0 done,
2 bad input (every problem printed as ``FILE:LINE: path: message``, no traceback),
1 anything else, with a one-line message.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from rich.console import Console

from sim import __version__
from sim.errors import RunError, RunFolderError, ScenarioError

BAD_INPUT = 2
FAILED = 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    errors = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    try:
        return arguments.handler(arguments)
    except ScenarioError as error:
        for problem in error.problems:
            errors.print(str(problem), markup=False)
        return BAD_INPUT
    except RunFolderError as error:
        errors.print(f"sim: {error}", markup=False)
        return BAD_INPUT
    except RunError as error:
        errors.print(f"sim: {error}", markup=False)
        return FAILED
    except KeyboardInterrupt:
        errors.print("sim: interrupted", markup=False)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sim",
        description="Monte Carlo simulator of US–Japan defence-industrial capacity.",
    )
    parser.add_argument("--version", action="version", version=f"sim {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run a scenario and write its report")
    run.add_argument("scenario", metavar="SCENARIO.yaml")
    run.add_argument("--reps", type=_positive, help="replications (default: the scenario's)")
    run.add_argument("--seed", type=_non_negative, help="random seed (default: the scenario's)")
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
        help="override one scenario value, e.g. lines.pac3-jp.opens=2028-01-01 (repeatable)",
    )
    run.add_argument("--out", metavar="DIR", help="output folder (default: results/<name>/)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    run.set_defaults(handler=_run)

    compare = commands.add_parser("compare", help="compare finished runs, each with the first")
    compare.add_argument("run_a", metavar="RUN_A", help="output folder of `sim run`")
    compare.add_argument("run_b", nargs="+", metavar="RUN_B", help="folders to compare with it")
    compare.add_argument(
        "--out", metavar="DIR", help="output folder (default: results/compare-<A>-vs-<B>/)"
    )
    compare.add_argument("--quiet", action="store_true", help="no summary")
    compare.set_defaults(handler=_compare)

    sweep = commands.add_parser("sweep", help="run one parameter over several values")
    sweep.add_argument("scenario", metavar="SCENARIO.yaml")
    sweep.add_argument("--param", required=True, metavar="PATH", help="e.g. lines.amraam-jp.opens")
    sweep.add_argument(
        "--values", required=True, metavar="V1,V2,...", help="comma-separated values"
    )
    sweep.add_argument(
        "--metric", action="append", default=[], metavar="NAME", help="metric to show (repeatable)"
    )
    sweep.add_argument("--reps", type=_positive, help="replications per value")
    sweep.add_argument("--seed", type=_non_negative, help="random seed (default: the scenario's)")
    sweep.add_argument("--set", action="append", default=[], metavar="PATH=VALUE")
    sweep.add_argument("--out", metavar="DIR", help="default: results/sweep-<name>-<param>/")
    sweep.add_argument("--quiet", action="store_true", help="no summary")
    sweep.set_defaults(handler=_sweep)

    validate = commands.add_parser("validate", help="check scenario files, report every problem")
    validate.add_argument("scenarios", nargs="+", metavar="SCENARIO.yaml")
    validate.set_defaults(handler=_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    schema.set_defaults(handler=_schema)

    sources = commands.add_parser("sources", help="show which source backs which number")
    sources.add_argument("scenario", metavar="SCENARIO.yaml")
    sources.set_defaults(handler=_sources)
    return parser


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _validate(arguments: argparse.Namespace) -> int:
    from sim.scenario import load_scenario

    problems = []
    console = Console(highlight=False, soft_wrap=True, emoji=False)
    for path in arguments.scenarios:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            problems.extend(error.problems)
            continue
        console.print(f"{path}: ok ({_census(scenario)})", markup=False)
    if problems:
        raise ScenarioError(problems)
    return 0


def _census(scenario) -> str:
    counts = {
        "line": len(scenario.lines),
        "item": len(scenario.items),
        "demand stream": len(scenario.demand),
        "conflict": len(scenario.conflicts),
    }
    return ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for noun, n in counts.items() if n)


def _schema(arguments: argparse.Namespace) -> int:
    from sim.scenario import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0


def _sources(arguments: argparse.Namespace) -> int:
    from rich.table import Table

    from sim.scenario import load_scenario
    from sim.sources import backing, uncited

    scenario = load_scenario(arguments.scenario)
    console = Console(highlight=False)
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


def _run(arguments: argparse.Namespace) -> int:
    from sim.runner import run_command

    if arguments.trace and arguments.engine != "des":
        Console(stderr=True, highlight=False).print(
            "sim: --trace needs --engine des (the vector engine keeps no event log)",
            markup=False,
        )
        return BAD_INPUT

    return run_command(arguments)


def _sweep(arguments: argparse.Namespace) -> int:
    from pathlib import Path

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


def _compare(arguments: argparse.Namespace) -> int:
    from sim.compare.command import compare_command

    return compare_command(arguments)
