"""Scenario variants: `extends:` merges files, `--set` overrides values; errors stay located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.loading import load_scenario

BASE = """\
name: base
start_year: 2026
years: 3
items:
  missile: {unit: missiles}
lines:
  us:
    country: US
    makes: missile
    capacity: {initial: 100, growth_cap: 0.1, target: 200}
  jp:
    country: JP
    makes: missile
    capacity: {initial: 30}
    opens: 2028-01-01
stockpiles:
  missile: {US: 10}
demand:
  - {item: missile, owner: US, per_year: 50}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def problems_of(path: Path, overrides=()) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides)
    return [str(problem) for problem in caught.value.problems]


def test_child_keys_win_and_the_rest_is_inherited(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: base.yaml\nname: child\nlines:\n  jp:\n    opens: 2027-01-01\n",
    )
    scenario = load_scenario(child)
    assert scenario.name == "child"
    assert scenario.lines["jp"].opens == dt.date(2027, 1, 1)
    assert scenario.lines["jp"].capacity.initial.value == 30
    assert scenario.lines["us"].capacity.growth_cap.value == 0.1
    assert scenario.files == [str(child), str(tmp_path / "base.yaml")]


def test_null_removes_an_inherited_entry_and_lists_are_replaced(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(
        tmp_path,
        "child.yaml",
        "extends: base.yaml\nlines:\n  jp: null\n"
        "demand:\n  - {item: missile, owner: US, per_year: 7}\n",
    )
    scenario = load_scenario(child)
    assert set(scenario.lines) == {"us"}
    assert [d.per_year.value for d in scenario.demand] == [7]


def test_a_base_can_extend_another(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "middle.yaml", "extends: base.yaml\nyears: 5\n")
    top = write(tmp_path, "top.yaml", "extends: middle.yaml\nname: top\n")
    scenario = load_scenario(top)
    assert (scenario.name, scenario.years) == ("top", 5)


def test_an_error_inherited_from_the_base_points_into_the_base(tmp_path):
    base = write(tmp_path, "base.yaml", BASE.replace("initial: 30", "initial: -30"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nname: child\n")
    assert problems_of(child) == [f"{base}:14: lines.jp.capacity.initial: must be >= 0"]


def test_an_error_in_the_child_points_into_the_child(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nlines:\n  jp:\n    yield: 2\n")
    assert problems_of(child) == [f"{child}:4: lines.jp.yield: must be <= 1"]


def test_extends_cycles_and_missing_bases_are_errors(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    (problem,) = problems_of(a)
    assert "extends itself" in problem
    lonely = write(tmp_path, "lonely.yaml", "extends: nowhere.yaml\nname: x\n")
    assert problems_of(lonely) == [f"{lonely}:1: extends: no such file: nowhere.yaml"]


def test_set_overrides_values_and_is_recorded(tmp_path):
    base = write(tmp_path, "base.yaml", BASE)
    plain = load_scenario(base)
    scenario = load_scenario(
        base, ["lines.jp.opens=2029-06-01", "lines.us.flow_days={uniform: [10, 20]}"]
    )
    assert scenario.lines["jp"].opens == dt.date(2029, 6, 1)
    assert scenario.lines["us"].flow_days.uniform == (10, 20)
    assert scenario.overrides == [
        "lines.jp.opens=2029-06-01",
        "lines.us.flow_days={uniform: [10, 20]}",
    ]
    assert scenario.effective_sha256 != plain.effective_sha256
    assert scenario.sha256 == plain.sha256


def test_set_errors_name_the_override(tmp_path):
    base = write(tmp_path, "base.yaml", BASE)
    assert problems_of(base, ["lines.jp.opnes=2029-06-01"]) == [
        "--set:1: lines.jp.opnes: unknown key (did you mean 'opens'?)"
    ]
    assert problems_of(base, ["years=3", "lines.us.capacity.initial=-1"]) == [
        "--set:2: lines.us.capacity.initial: must be >= 0"
    ]
    assert problems_of(base, ["no-equals-sign"]) == ["--set:1: 'no-equals-sign' is not PATH=VALUE"]


def test_shipped_contingency_extends_co_production():
    root = Path(__file__).resolve().parents[1] / "scenarios"
    contingency = load_scenario(root / "contingency.yaml")
    co_production = load_scenario(root / "co-production.yaml")
    chain = [str(root / "co-production.yaml"), str(root / "baseline.yaml")]
    assert contingency.files[1:] == chain and co_production.files[1:] == chain[1:]
    assert contingency.lines == co_production.lines
    assert contingency.conflicts and not co_production.conflicts
