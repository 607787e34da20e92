"""The machine description of sim.bench.machine."""

from __future__ import annotations

from pathlib import Path

from sim.bench.machine import cpu_model, describe_machine, physical_cores

# two packages of two cores with two hyper-threads each: 8 logical, 4 physical
CPUINFO = "\n".join(
    f"processor\t: {n}\nmodel name\t: Example CPU @ 3.00GHz\n"
    f"physical id\t: {n // 4}\ncore id\t\t: {(n // 2) % 2}\n"
    for n in range(8)
)


def test_cpu_model_is_the_first_model_name():
    assert cpu_model(CPUINFO) == "Example CPU @ 3.00GHz"
    assert cpu_model("processor\t: 0\n") is None


def test_physical_cores_count_distinct_package_and_core_pairs():
    assert physical_cores(CPUINFO) == 4
    assert physical_cores("processor\t: 0\nmodel name\t: x\n") is None


def test_a_core_id_without_a_package_counts_as_one_package():
    assert physical_cores("core id : 0\n\ncore id : 1\n\ncore id : 1\n") == 2


def test_description_has_what_a_reader_needs_to_compare_machines():
    machine = describe_machine(Path(__file__).parent)
    for key in ("cpu", "logical_cores", "physical_cores", "python", "numpy", "simpy", "date"):
        assert key in machine
    assert machine["logical_cores"] >= 1
    assert isinstance(machine["changed_files"], list)


def test_outside_a_repository_the_commit_is_unknown(tmp_path):
    assert describe_machine(tmp_path)["commit"] is None
