"""Bad scenario files: every problem is reported as FILE:LINE: dotted.path: message, exit 2.

Each file in tests/bad_scenarios/ holds one realistic mistake (its first line says which).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli.main import main

BAD = Path(__file__).parent / "bad_scenarios"

GOOD = """\
name: good
start_year: 2026
years: 5
items:
  SRM: {}
  PAC-3 MSE: {unit: missiles}
lines:
  srm-us:
    country: US
    makes: SRM
    capacity: {initial: 600}
    routes: {line: {pac3-us: 1.0}}
  pac3-us:
    country: US
    makes: PAC-3 MSE
    capacity: {initial: 450, target: 650, growth_cap: {uniform: [0.15, 0.20]}}
    inputs: {SRM: 1}
    yield: 0.98
    flow_days: {triangular: [270, 365, 450]}
demand:
  - {item: PAC-3 MSE, owner: US, per_year: 250}
"""


# (file, line, dotted path or None when the problem has no path, message fragment)
CASES = [
    ("unknown_key_typo.yaml", 12, "lines.pac3-us.yeild", "unknown key (did you mean 'yield'?)"),
    ("unknown_key_top_level.yaml", 7, "stockpile", "unknown key (did you mean 'stockpiles'?)"),
    ("duplicate_key.yaml", 12, "lines.pac3-us", "duplicate key (first given on line 8)"),
    ("dangling_item.yaml", 10, "lines.pac3-us.makes", "unknown item 'PAC-3MSE'"),
    ("dangling_demand_item.yaml", 10, "demand.1.item", "unknown item 'SM-3 Block IIA'"),
    (
        "dangling_route_line.yaml",
        14,
        "lines.srm-us.routes.line.pac3-jp",
        "unknown line 'pac3-jp' (known: srm-us, pac3-us)",
    ),
    ("dangling_source.yaml", 14, "lines.pac3-us.source.1", "unknown source 'iiss-2024'"),
    ("negative_rate.yaml", 12, "lines.pac3-us.capacity.initial", "must be >= 0"),
    ("yield_above_one.yaml", 12, "lines.pac3-us.yield", "must be <= 1"),
    (
        "reversed_uniform.yaml",
        14,
        "lines.pac3-us.capacity.growth_cap.uniform",
        "uniform range is reversed",
    ),
    (
        "bad_triangular.yaml",
        13,
        "lines.pac3-us.flow_days.triangular",
        "triangular needs low <= mode <= high",
    ),
    (
        "split_not_one.yaml",
        12,
        "lines.pac3-jp.routes",
        "stock split fractions must sum to 1, they sum to 0.9",
    ),
    ("unknown_distribution.yaml", 12, "lines.pac3-us.flow_days", "unknown distribution 'gamma'"),
    (
        "missing_shipping_lane.yaml",
        14,
        "lines.srm-us.routes.line.pac3-jp",
        "goods from US to JP need shipping_days.US-JP",
    ),
    (
        "route_cycle.yaml",
        9,
        "lines.srm-us",
        "a cycle (a line would consume its own output) among: srm-us, pac3-us",
    ),
    ("input_not_supplied.yaml", 24, "lines.pac3-jp.inputs.SRM", "no line routes SRM to 'pac3-jp'"),
    ("bad_date.yaml", 12, "lines.pac3-jp.opens", "expected a date written YYYY-MM-DD"),
    ("impossible_date.yaml", 12, "lines.pac3-jp.opens", "date"),
    ("yaml_syntax.yaml", 10, None, "YAML syntax"),
    ("wrong_type.yaml", 11, "lines.pac3-us.capacity.initial", "expected a number"),
    ("wrong_type_years.yaml", 4, "years", "valid integer"),
    ("missing_name.yaml", 2, "name", "required key is missing"),
    ("missing_makes.yaml", 8, "lines.pac3-us.makes", "required key is missing"),
    ("missing_capacity.yaml", 8, "lines.pac3-us.capacity", "required key is missing"),
    ("lower_case_country.yaml", 9, "lines.pac3-us.country", "'us' is not allowed here"),
    (
        "normal_for_nonnegative.yaml",
        12,
        "lines.pac3-us.flow_days",
        "must be >= 0, but this normal distribution is unbounded",
    ),
    (
        "negative_sd.yaml",
        13,
        "demand.0.per_year.normal.sd",
        "greater than or equal to 0",
    ),
    (
        "unknown_shared_draw.yaml",
        13,
        "lines.pac3-us.capacity.growth_cap.shared",
        "unknown shared draw 'ramp-grwoth'; 'shared:' defines ramp-growth",
    ),
    (
        "shared_draw_out_of_range.yaml",
        14,
        "lines.pac3-us.yield",
        "must be <= 1, but shared draw 'acceptance' (uniform) can draw 1.1",
    ),
    (
        "correlation_unknown_input.yaml",
        14,
        "correlations.0.between.1",
        "'lines.pac3-us.capacity.initial' is not an uncertain input of this scenario",
    ),
    (
        "correlations_inconsistent.yaml",
        13,
        "correlations",
        "cannot hold together (their correlation matrix is not positive definite)",
    ),
    (
        "fleet_schedule_starts_late.yaml",
        7,
        "engine_repair.F110.installed",
        "the schedule must give the positions at the start: its first date is after 2026-01-01",
    ),
    (
        "initial_store_not_an_input.yaml",
        14,
        "lines.seeker-us.initial.stores.SRM",
        "'SRM' is not an input of this line (inputs: none)",
    ),
    (
        "ships_in_availability_unknown_fleet.yaml",
        13,
        "ship_repair.yards.srf-jrmc.in_availability.1.fleet",
        "unknown fleet 'fdnf-yokosuka' (known: fdnf-japan)",
    ),
    (
        "exponential_extra_key.yaml",
        15,
        "lines.pac3-us.flow_days.exponential.sd",
        "unknown key",
    ),
]
PARAMS = [pytest.param(*case[:4], marks=case[4:], id=case[0]) for case in CASES]


def expected_prefix(path: Path, line: int, dotted: str | None) -> str:
    return f"{path}:{line}: {dotted}: " if dotted else f"{path}:{line}: "


def test_every_bad_file_has_a_case():
    files = {path.name for path in BAD.glob("*.yaml")}
    named = {case[0] for case in CASES}
    assert files - {"several_problems.yaml", "several_references.yaml"} == named


@pytest.mark.parametrize(("name", "line", "dotted", "fragment"), PARAMS)
def test_bad_file_reports_line_and_path(name, line, dotted, fragment, capsys):
    path = BAD / name
    status = main(["validate", str(path)])
    captured = capsys.readouterr()
    assert status == 2
    assert "Traceback" not in captured.err
    assert captured.out == ""
    problems = captured.err.splitlines()
    assert len(problems) == 1, problems
    (problem,) = problems
    assert problem.startswith(expected_prefix(path, line, dotted)), problem
    assert fragment in problem


@pytest.mark.parametrize(
    ("name", "line", "dotted", "fragment"),
    [
        ("duplicate_key.yaml", 12, "lines.pac3-us", "duplicate key (first given on line 8)"),
        ("yaml_syntax.yaml", 10, None, "YAML syntax"),
        ("missing_shipping_lane.yaml", 14, "lines.srm-us.routes.line.pac3-jp", "US-JP"),
    ],
)
def test_bad_file_end_to_end(name, line, dotted, fragment):
    path = BAD / name
    result = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (problem,) = result.stderr.splitlines()
    assert problem.startswith(expected_prefix(path, line, dotted)), problem
    assert fragment in problem


def test_several_shape_problems_are_all_reported(capsys):
    path = BAD / "several_problems.yaml"
    assert main(["validate", str(path)]) == 2
    problems = capsys.readouterr().err.splitlines()
    assert problems == [
        f"{path}:13: lines.srm-us.flow_day: unknown key (did you mean 'flow_days'?)",
        f"{path}:18: lines.pac3-us.capacity.growth_cap.uniform: "
        "uniform range is reversed: low 0.2 > high 0.15",
        f"{path}:20: lines.pac3-us.yield: must be <= 1",
        f"{path}:22: demand.0.per_year: must be >= 0",
    ]


def test_several_reference_problems_are_all_reported(capsys):
    path = BAD / "several_references.yaml"
    assert main(["validate", str(path)]) == 2
    problems = capsys.readouterr().err.splitlines()
    prefixes = [problem.split(": ", 2)[:2] for problem in problems]
    assert prefixes == [
        [f"{path}:12", "lines.pac3-jp.routes.stock"],
        [f"{path}:13", "lines.pac3-jp.source.0"],
        [f"{path}:19", "demand.0.item"],
    ]
    assert "need shipping_days.JP-US" in problems[0]
    assert "unknown source 'iiss-2023'" in problems[1]
    assert "unknown item 'PAC3'" in problems[2]


def test_problems_in_several_files_are_all_reported(capsys):
    first, second = BAD / "yield_above_one.yaml", BAD / "dangling_item.yaml"
    assert main(["validate", str(first), str(second)]) == 2
    problems = capsys.readouterr().err.splitlines()
    assert [problem.split(": ")[0] for problem in problems] == [f"{second}:10", f"{first}:12"]


def test_good_file_validates(tmp_path, capsys):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith(f"{path}: ok")


def test_good_and_bad_files_together(tmp_path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = BAD / "negative_rate.yaml"
    assert main(["validate", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{good}: ok")
    assert captured.err.startswith(f"{bad}:12: lines.pac3-us.capacity.initial: ")


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "nowhere.yaml"
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"{path}:1: no such file"]


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n", "- a\n- b\n", "just text\n"])
def test_not_a_mapping(text, tmp_path, capsys):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    (problem,) = capsys.readouterr().err.splitlines()
    assert problem == f"{path}:1: a scenario must be a YAML mapping of keys"


def test_ok_line_is_not_wrapped(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # what rich assumes when no terminal is attached
    folder = tmp_path / ("a-folder-with-a-long-name-" * 3)
    folder.mkdir()
    path = folder / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{path}: ok")
