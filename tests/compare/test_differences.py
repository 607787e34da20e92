"""``sim compare`` says what differs between the two runs' inputs ("What differs")."""

from __future__ import annotations

import json

import pytest

from sim.compare.differences import Change, run_differences, scenario_changes
from sim.compare.load import load_run
from tests.compare.runs import write_folder


def test_a_changed_value_is_named_by_its_dotted_path_with_both_values():
    a = {"name": "a", "lines": {"amraam-jp": {"opens": "2028-01-01", "country": "JP"}}}
    b = {"name": "b", "lines": {"amraam-jp": {"opens": "2029-01-01", "country": "JP"}}}
    changes = scenario_changes(a, b)
    assert changes == [Change("lines.amraam-jp.opens", "changed", "2028-01-01", "2029-01-01")]
    assert changes[0].words() == "lines.amraam-jp.opens: 2028-01-01 → 2029-01-01"


def test_a_line_added_or_removed_is_listed_once_not_key_by_key():
    a = {"lines": {"us": {"makes": "X"}, "old": {"makes": "X", "opens": "2027-01-01"}}}
    b = {"lines": {"us": {"makes": "X"}, "jp": {"makes": "X", "capacity": {"initial": 5}}}}
    changes = scenario_changes(a, b)
    assert [(c.path, c.kind) for c in changes] == [("lines.old", "removed"), ("lines.jp", "added")]
    assert changes[1].words() == "lines.jp: added in B ({makes: X, capacity: {…}})"
    assert changes[0].json() == {"path": "lines.old", "kind": "removed", "a": a["lines"]["old"]}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"conflicts": [{"days": 30}]}, {"conflicts": [{"days": 60}]}, ["conflicts.0.days"]),
        ({"demand": [1]}, {"demand": [1, 2]}, ["demand.1"]),
        ({"seed": 1}, {"seed": 1.0}, []),  # the same number, written two ways
        ({"warm_start": True}, {"warm_start": 1}, ["warm_start"]),
        ({"name": "x", "years": 3}, {"name": "y", "years": 3}, []),  # names are settings
    ],
)
def test_lists_go_by_index_and_equal_numbers_are_equal(a, b, expected):
    assert [change.path for change in scenario_changes(a, b)] == expected


def _folder(tmp_path, name, resolved, seed=1, overrides=()):
    folder = write_folder(tmp_path / name, {"m": [1.0, 2.0]}, name=name, seed=seed)
    report = json.loads((folder / "report.json").read_text())
    report["scenario"]["overrides"] = list(overrides)
    if resolved is not None:
        report["scenario"]["resolved"] = resolved
    (folder / "report.json").write_text(json.dumps(report))
    return load_run(folder)


def test_overrides_and_settings_that_differ_are_said(tmp_path):
    a = _folder(tmp_path, "plan", {"years": 3})
    b = _folder(tmp_path, "plan-late", {"years": 4}, seed=2, overrides=["years=4"])
    differences = run_differences(a, b)
    assert differences.json() == {
        "scenario_recorded": True,
        "changes": [{"path": "years", "kind": "changed", "a": 3, "b": 4}],
        "overrides": {"a": [], "b": ["years=4"]},
        "run": {"scenario": {"a": "plan", "b": "plan-late"}, "seed": {"a": 1, "b": 2}},
    }
    assert differences.lines("plan", "plan-late") == [
        "Scenario: plan → plan-late",
        "Seed: 1 → 2",
        "Overrides (--set) of plan: none",
        "Overrides (--set) of plan-late: years=4",
        "years: 3 → 4",
    ]


def test_the_same_inputs_twice_say_nothing_differs(tmp_path):
    a = _folder(tmp_path / "1", "plan", {"years": 3}, overrides=["years=3"])
    b = _folder(tmp_path / "2", "plan", {"years": 3}, overrides=["years=3"])
    differences = run_differences(a, b)
    assert differences.none
    assert differences.lines("a", "b")[-1].startswith("Nothing:")


@pytest.mark.parametrize("unknown", [None, {}], ids=["older sim", "built in Python"])
def test_a_run_whose_scenario_was_not_recorded_says_its_keys_are_not_known(tmp_path, unknown):
    """An older sim's report has no resolved scenario; a scenario built in Python (not
    read from a file) has an empty one: neither may list every key as changed."""
    a = _folder(tmp_path, "plan", unknown)
    b = _folder(tmp_path, "other", {"years": 3})
    differences = run_differences(a, b)
    assert not differences.recorded and not differences.none
    assert any("not known" in line for line in differences.lines("a", "b"))


def test_comparison_files_say_what_differs(real_runs, tmp_path):
    """Two real runs that differ in one line's starting capacity (tests/compare/runs.py)."""
    from sim.cli.main import main

    out = tmp_path / "out"
    assert main(["compare", *(str(folder) for folder in real_runs[:2]), "--out", str(out)]) == 0
    document = json.loads((out / "comparison.json").read_text())
    assert document["differences"]["changes"] == [
        {"path": "lines.beta-us.capacity.initial", "kind": "changed", "a": 100, "b": 130}
    ]
    markdown = (out / "comparison.md").read_text()
    section = markdown.split("## What differs", 1)[1].split("##", 1)[0]
    assert "Scenario: crn-a → crn-b" in section
    assert "lines.beta-us.capacity.initial: 100 → 130" in section.replace("\\", "")
    assert "What differs" in (out / "comparison.html").read_text()
