"""bench.md and the rows of the printed table: the measurements in words and numbers.

One row per engine and run size of each scenario, so the SimPy and NumPy rows of a
scenario sit together and the ratio reads across. Times are medians with the fastest
and slowest run in brackets, so a noisy measurement looks noisy.
"""

from __future__ import annotations

from typing import Any

HEADERS = (
    "scenario",
    "engine",
    "reps",
    "engine s (range)",
    "reps/s",
    "× SimPy",
    "ns/rep·line·step",
    "RNG share",
    "× floor",
    "peak MB",
    "run MB",
)
"""Columns of the main table."""

ENGINE_NAMES = {"des": "SimPy", "vector": "NumPy"}


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    """The main table: for each scenario its SimPy row, then a NumPy row per run size."""
    rows = []
    for scenario in results["scenarios"]:
        des_rate = scenario["des"]["replications_per_second"]
        memory = scenario["memory"]
        for point in [scenario["des"], *scenario["vector"]]:
            measured = (
                memory is not None
                and point["engine"] == "vector"
                and point["replications"] == memory["replications"]
            )
            rows.append(
                [
                    scenario["name"],
                    ENGINE_NAMES[point["engine"]],
                    f"{point['replications']:,}",
                    seconds_with_range(point["seconds"]),
                    rate(point["replications_per_second"]),
                    f"{point['replications_per_second'] / des_rate:,.0f}×",
                    "–"
                    if point["ns_per_replication_line_step"] is None
                    else f"{point['ns_per_replication_line_step']:,.0f}",
                    f"{point['random_number_share']:.0%}",
                    f"{point['floor_ratio']:,.1f}×",
                    megabytes(memory["peak_bytes"]) if measured else "",
                    megabytes(memory["run_bytes"]) if measured else "",
                ]
            )
    return rows


def target_rows(results: dict[str, Any]) -> list[list[str]]:
    """The targets table: target, measured, met, and how it was measured."""
    rows = []
    for target in results["targets"]:
        measured = target["measured"]
        if measured is None:
            shown = "–"
        elif target["unit"] == "bytes":
            shown = f"{megabytes(measured)} MB"
        elif target["unit"] == "s":
            shown = f"{measured:,.1f} s"
        else:
            shown = f"{measured:,.2f}{target['unit']}"
        verdict = {True: "met", False: "not met", None: "not measured"}[target["met"]]
        rows.append([target["name"], target["target"], shown, verdict, target["note"] or ""])
    return rows


def machine_line(results: dict[str, Any]) -> str:
    """The machine, versions, date and commit, in one sentence."""
    machine = results["machine"]
    commit = (machine["commit"] or "unknown")[:10]
    changed = len(machine["changed_files"])
    tree = f" with {changed} uncommitted file(s) in the work tree" if changed else ""
    during = sorted(set(machine.get("changed_files_at_end", [])) - set(machine["changed_files"]))
    if during:
        tree += f" ({', '.join(during)} changed during the run)"
    load = machine.get("load_average")
    end = machine.get("load_average_at_end")
    load_text = f"; load average {load[0]:.1f} at the start" if load else ""
    load_text += f", {end[0]:.1f} at the end" if load and end else ""
    return (
        f"{machine['cpu']}, {machine['physical_cores'] or '?'} physical / "
        f"{machine['logical_cores']} logical cores{load_text}; Python {machine['python']}, "
        f"NumPy {machine['numpy']}, SimPy {machine['simpy']}; {machine['date'][:10]}; "
        f"commit {commit}{tree}."
    )


def every_core_line(results: dict[str, Any]) -> str | None:
    """The reference scenario on every core, or None when not run."""
    run = results.get("every_core")
    if not run:
        return None
    return (
        f"{results['reference_scenario']} on {run['workers']} worker processes "
        f"(`sim.runs.montecarlo.run`, no report): {run['replications']:,} replications in "
        f"{seconds_with_range(run['seconds'])} s, {rate(run['replications_per_second'])} "
        "replications/s."
    )


def end_to_end_line(results: dict[str, Any]) -> str | None:
    """``sim run`` end to end: seconds and peak memory, or None when not run."""
    run = results.get("end_to_end")
    if not run:
        return None
    return (
        f"`sim run {run['scenario']} --reps {run['replications']:,} --quiet` end to end "
        f"(start-up, run, report and figures): {seconds_with_range(run['seconds'])} s, "
        f"peak memory {megabytes(run['peak_bytes'])} MB (proportional set sizes of sim run, "
        "its workers and figure children, summed; largest single process "
        f"{megabytes(run['largest_process_bytes'])} MB resident)."
    )


def render_markdown(results: dict[str, Any], figures: list[str]) -> str:
    """bench.md: machine, main table, end to end, targets, scaling series, figures."""
    lines = [
        f"# Benchmark ({results['mode']})",
        "",
        machine_line(results),
        "",
        markdown_table(HEADERS, table_rows(results)),
        "",
        "Engine s = parameters drawn and simulated, chunk by chunk: median of at most "
        f"{results['settings']['repeats']} run(s), (fastest–slowest). RNG share = share of "
        "engine time spent drawing random numbers; × floor = engine time ÷ time to draw "
        "only the random numbers (the random-number floor). Peak MB = resident peak of a "
        "process that loads the scenario and runs it in-process (no report); run MB = what "
        "the run added to it (engine, chunks, kept outcomes).",
    ]
    for extra in (every_core_line(results), end_to_end_line(results)):
        if extra:
            lines += ["", extra]
    lines += [
        "",
        f"## Targets ({results['reference_scenario']})",
        "",
        markdown_table(("target", "wanted", "measured", "", "how"), target_rows(results), left=5),
    ]
    for variable, series in results["scaling"].items():
        lines += ["", f"## Scaling with {variable} ({series['scenario']})", ""]
        rows = [
            [
                f"{point[variable]:,}",
                seconds_with_range(point["seconds"]),
                seconds_with_range(point["random_number_seconds"]),
                "–"
                if point["ns_per_replication_line_step"] is None
                else f"{point['ns_per_replication_line_step']:,.0f}",
            ]
            for point in series["points"]
        ]
        headers = (variable, "engine s", "random numbers s", "ns / rep·line·step")
        lines.append(markdown_table(headers, rows, left=0))
        if series["log_log_slope"] is not None:
            lines += ["", f"Log-log slope of engine seconds: {series['log_log_slope']:.2f}."]
    if figures:
        lines += ["", "## Figures", ""] + [f"![{name}]({name})" for name in figures]
    return "\n".join(lines) + "\n"


def markdown_table(headers: tuple[str, ...], rows: list[list[str]], left: int = 2) -> str:
    """A GitHub table; columns after the first `left` are right-aligned numbers."""
    align = ["---" if i < left else "---:" for i in range(len(headers))]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in [list(headers), align, *rows])


def seconds_with_range(timing: dict[str, Any]) -> str:
    """'4.82 (4.71–5.10)': median, then fastest and slowest when there were repeats."""
    median = _seconds(timing["median"])
    if len(timing["samples"]) < 2:
        return median
    return f"{median} ({_seconds(timing['fastest'])}–{_seconds(timing['slowest'])})"


def _seconds(value: float) -> str:
    return f"{value:,.3f}" if value < 1 else f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def rate(value: float) -> str:
    """Replications per second with sensible precision (SimPy's are below one)."""
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"


def megabytes(value: int | None) -> str:
    """Bytes as whole megabytes (10⁶ bytes)."""
    return "–" if value is None else f"{value / 1e6:,.0f}"
