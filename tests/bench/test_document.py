"""The words and tables of bench.md (sim.bench.document)."""

from __future__ import annotations

from sim.bench.document import machine_line, markdown_table, megabytes, seconds_with_range

MACHINE = {
    "cpu": "Example CPU",
    "physical_cores": 2,
    "logical_cores": 4,
    "python": "3.11.7",
    "numpy": "2.4.6",
    "simpy": "4.1.2",
    "date": "2026-11-22T08:00:00+00:00",
    "commit": "5f96a39dda4873de014f5a94fd094ea0fafe08b6",
    "changed_files": [],
    "load_average": [1.5, 1.0, 1.0],
}


def test_the_machine_line_names_cpu_cores_versions_date_and_commit():
    line = machine_line({"machine": MACHINE})
    assert line == (
        "Example CPU, 2 physical / 4 logical cores; load average 1.5 at the start; "
        "Python 3.11.7, NumPy 2.4.6, SimPy 4.1.2; 2026-11-22; commit 5f96a39dda."
    )


def test_the_machine_line_says_when_code_changed_under_the_run():
    machine = MACHINE | {
        "changed_files": ["sim/a.py"],
        "changed_files_at_end": ["sim/a.py", "sim/vector/b.py"],
        "load_average_at_end": [3.0, 2.0, 1.0],
    }
    line = machine_line({"machine": machine})
    assert (
        "with 1 uncommitted file(s) in the work tree (sim/vector/b.py changed during the run)"
        in line
    )
    assert "1.5 at the start, 3.0 at the end" in line


def test_seconds_show_the_range_only_when_there_were_repeats():
    assert seconds_with_range(
        {"median": 4.8, "fastest": 4.7, "slowest": 5.1, "samples": [1, 2]}
    ) == ("4.80 (4.70–5.10)")
    assert seconds_with_range({"median": 0.25, "samples": [0.25]}) == "0.250"
    assert seconds_with_range({"median": 373.4, "samples": [373.4]}) == "373"


def test_markdown_tables_right_align_numbers():
    table = markdown_table(("name", "engine", "seconds"), [["a", "NumPy", "1.0"]])
    assert table.splitlines()[1] == "| --- | --- | ---: |"
    assert megabytes(1_246_000_000) == "1,246" and megabytes(None) == "–"
