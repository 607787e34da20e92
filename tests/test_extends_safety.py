"""Scenarios read only scenarios: ``extends:`` stays in the scenario's folder tree.

A scenario received from someone else must not read the recipient's other files and
print them back through error messages (issue: ``extends: /etc/shadow`` printed every
line of the file as an "unknown key"). Errors repeat a user's key or value only cut short.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ECHO_LIMIT, ScenarioError
from sim.loading import load_scenario

BASE = """\
name: base
start_year: 2026
years: 2
items:
  Alpha: {unit: missiles}
lines:
  alpha-us: {country: US, makes: Alpha, capacity: {initial: 100}}
"""

SECRET = "root:$6$very-secret-hash:19000:0:99999:7:::"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A scenario folder with a sub-folder, beside a folder of private files."""
    scenarios = tmp_path / "scenarios"
    (scenarios / "bases").mkdir(parents=True)
    (scenarios / "bases" / "base.yaml").write_text(BASE, encoding="utf-8")
    private = tmp_path / "private"
    private.mkdir()
    (private / "shadow").write_text(f"{SECRET}\nbin:*:19000::::::\n", encoding="utf-8")
    (private / "outside.yaml").write_text(BASE, encoding="utf-8")
    return scenarios


def _child(tree: Path, target: str, name: str = "child.yaml") -> Path:
    path = tree / name
    path.write_text(f"extends: {target}\nname: child\n", encoding="utf-8")
    return path


def _problems(path: Path, **options: bool) -> str:
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path, **options)
    return str(refused.value)


def test_a_base_in_the_scenarios_tree_is_followed(tree: Path):
    assert load_scenario(_child(tree, "bases/base.yaml")).name == "child"


@pytest.mark.parametrize("target", ["../private/shadow", "/etc/passwd", "bases"])
def test_a_target_that_is_not_a_yaml_file_is_refused_unread(tree: Path, target: str):
    message = _problems(_child(tree, target))
    assert "is not a scenario file (it must end in .yaml or .yml)" in message
    assert "very-secret" not in message and "19000" not in message


def test_a_yaml_file_outside_the_tree_needs_the_flag(tree: Path):
    child = _child(tree, "../private/outside.yaml")
    message = _problems(child)
    assert "lies outside the scenario's folder" in message
    assert "--allow-extends-outside" in message
    assert load_scenario(child, allow_extends_outside=True).name == "child"


def test_an_absolute_path_outside_the_tree_is_refused(tree: Path):
    outside = tree.parent / "private" / "outside.yaml"
    assert "lies outside" in _problems(_child(tree, str(outside)))


def test_a_symbolic_link_out_of_the_tree_is_refused(tree: Path):
    (tree / "link.yaml").symlink_to(tree.parent / "private" / "outside.yaml")
    assert "lies outside" in _problems(_child(tree, "link.yaml"))


def test_the_tree_is_that_of_the_scenario_given_not_of_each_base(tree: Path):
    """A base in a sub-folder may extend a sibling of the scenario given (still inside)."""
    (tree / "bases" / "middle.yaml").write_text("extends: ../top.yaml\n", encoding="utf-8")
    (tree / "top.yaml").write_text(BASE, encoding="utf-8")
    assert load_scenario(_child(tree, "bases/middle.yaml")).name == "child"


def test_hostile_keys_and_values_are_echoed_cut_short(tree: Path):
    key = "k" * 5000
    path = tree / "hostile.yaml"
    path.write_text(BASE + f"{key}: 1\nstart_year: 2026-13-45{'x' * 5000}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path)
    for line in str(refused.value).splitlines():
        assert len(line) < len(str(path)) + 3 * ECHO_LIMIT + 80, line[:200]


def test_the_command_line_refuses_with_one_line_and_exit_2(tree: Path):
    _child(tree, "../private/shadow")
    result = subprocess.run(
        [sys.executable, "-m", "sim", "validate", "child.yaml"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "Traceback" not in result.stderr and "very-secret" not in result.stderr


def test_the_command_line_flag_allows_outside(tree: Path):
    _child(tree, "../private/outside.yaml")
    command = [sys.executable, "-m", "sim", "validate", "child.yaml"]
    refused = subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=120)
    allowed = subprocess.run(
        [*command, "--allow-extends-outside"], cwd=tree, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 2
    assert allowed.returncode == 0, allowed.stderr


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.one_of(
        st.text(min_size=1, max_size=80),
        st.builds(
            lambda ups, name, suffix: "../" * ups + name + suffix,
            st.integers(0, 4),
            st.sampled_from(["private/shadow", "private/outside", "etc/passwd", "bases/base"]),
            st.sampled_from(["", ".yaml", ".yml", ".YAML", ".txt"]),
        ),
    )
)
def test_no_extends_target_reads_outside_or_echoes_a_file(tree: Path, target: str):
    child = tree / "fuzzed.yaml"
    child.write_text(yaml.safe_dump({"name": "fuzzed", "extends": target}), encoding="utf-8")
    try:
        scenario = load_scenario(child)
    except ScenarioError as error:
        assert "very-secret" not in str(error)
        return
    for file in scenario.files:
        assert Path(file).resolve().is_relative_to(tree.resolve())
