"""Reading YAML with a line number for every dotted path (sim.scenario.yamlsource)."""

import datetime as dt

import pytest

from sim.errors import Problem, ScenarioError
from sim.scenario.yamlsource import SourceMap, dotted, read_yaml

DOCUMENT = """\
name: demo
lines:
  pac3-us:
    capacity:
      initial: 450
      growth_cap: {uniform: [0.15, 0.20]}
    routes: {line: {pac3-jp: 0.5,
                    pac3-us2: 0.5}}
demand:
  - item: PAC-3 MSE
    owner: US
  - {item: SM-3 IIA, owner: JP}
years: [2026,
  2027]
"""


def read(text: str):
    return read_yaml("s.yaml", text)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        read(text)
    return caught.value.problems


def test_values_are_plain_python():
    value, _ = read(DOCUMENT)
    assert value == {
        "name": "demo",
        "lines": {
            "pac3-us": {
                "capacity": {"initial": 450, "growth_cap": {"uniform": [0.15, 0.20]}},
                "routes": {"line": {"pac3-jp": 0.5, "pac3-us2": 0.5}},
            }
        },
        "demand": [
            {"item": "PAC-3 MSE", "owner": "US"},
            {"item": "SM-3 IIA", "owner": "JP"},
        ],
        "years": [2026, 2027],
    }


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ((), 1),
        (("name",), 1),
        (("lines",), 2),
        (("lines", "pac3-us"), 3),
        (("lines", "pac3-us", "capacity"), 4),
        (("lines", "pac3-us", "capacity", "initial"), 5),
        (("lines", "pac3-us", "capacity", "growth_cap"), 6),
        (("lines", "pac3-us", "capacity", "growth_cap", "uniform", 1), 6),
        (("lines", "pac3-us", "routes", "line", "pac3-jp"), 7),
        (("lines", "pac3-us", "routes", "line", "pac3-us2"), 8),
        (("demand",), 9),
        (("demand", 0), 10),
        (("demand", 0, "owner"), 11),
        (("demand", 1), 12),
        (("demand", 1, "owner"), 12),
        (("years", 0), 13),
        (("years", 1), 14),
    ],
)
def test_line_of_each_path(path, line):
    _, source = read(DOCUMENT)
    assert source.line_of(path) == line


def test_line_of_a_path_not_in_the_file_is_its_nearest_ancestor():
    _, source = read(DOCUMENT)
    assert source.line_of(("lines", "pac3-us", "capacity", "target")) == 4
    assert source.line_of(("demand", 1, "per_year", "normal")) == 12
    assert source.line_of(("shipping_days", "US-JP")) == 1


def test_leading_comments_shift_lines():
    _, source = read("# a comment\n\n# another\nname: x\nyears: 5\n")
    assert source.line_of(("name",)) == 4
    assert source.line_of(("years",)) == 5


def test_problem_carries_file_line_and_dotted_path():
    _, source = read(DOCUMENT)
    problem = source.problem(("lines", "pac3-us", "capacity", "initial"), "must be >= 0")
    assert problem == Problem("s.yaml", 5, "lines.pac3-us.capacity.initial", "must be >= 0")
    assert str(problem) == "s.yaml:5: lines.pac3-us.capacity.initial: must be >= 0"


def test_problem_without_path_prints_file_and_line_only():
    assert str(Problem("s.yaml", 3, "", "YAML syntax: oops")) == "s.yaml:3: YAML syntax: oops"


def test_dotted_renders_indices():
    assert dotted(("demand", 0, "item")) == "demand.0.item"
    assert dotted(()) == ""


def test_duplicate_key_reports_both_lines():
    text = "name: a\nyears: 5\nname: b\n"
    (problem,) = problems_of(text)
    assert problem.line == 3
    assert problem.path == "name"
    assert problem.message == "duplicate key (first given on line 1)"


def test_nested_duplicate_key_in_a_list_item():
    text = """\
demand:
  - item: SRM
    owner: US
    item: PAC-3 MSE
"""
    (problem,) = problems_of(text)
    assert str(problem) == "s.yaml:4: demand.0.item: duplicate key (first given on line 2)"


def test_duplicate_key_whose_first_value_spans_lines():
    text = """\
lines:
  pac3-us:
    country: US
    makes: PAC-3 MSE
  pac3-us:
    country: JP
"""
    (problem,) = problems_of(text)
    assert (problem.line, problem.path) == (5, "lines.pac3-us")
    assert "first given on line 2" in problem.message


def test_duplicate_keys_in_flow_style():
    (problem,) = problems_of("stock: {US: 0.5, US: 0.5}\n")
    assert (problem.line, problem.path) == (1, "stock.US")
    assert "duplicate key" in problem.message


def test_every_duplicate_is_reported():
    text = "name: a\nname: b\nyears: 5\nyears: 6\nyears: 7\n"
    problems = problems_of(text)
    assert [(p.line, p.path) for p in problems] == [(2, "name"), (4, "years"), (5, "years")]
    assert all("first given on line" in p.message for p in problems)
    assert "line 3" in problems[2].message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: x\nlines:\n  a:\n    country: US\n   makes: SRM\n", 5),
        ("name: x\n\tyears: 5\n", 2),
        ("name: x\nyears: *undefined\nseed: 1\n", 2),
        ("name: x\nitems: {SRM: {}}}\nyears: 5\n", 2),
    ],
)
def test_syntax_error_gives_its_line(text, line):
    (problem,) = problems_of(text)
    assert (problem.line, problem.path) == (line, "")
    assert problem.message.startswith("YAML syntax: ")


@pytest.mark.parametrize(
    "text",
    [
        "name: x\ncapacity: {initial: 450\nyield: 0.9\n",
        "name: x\nsources: [a, b\n",
        "name: 'unterminated\nyears: 5\n",
    ],
)
def test_unclosed_bracket_or_quote_gives_a_line_in_the_file(text):
    (problem,) = problems_of(text)
    assert 2 <= problem.line <= text.count("\n") + 1
    assert problem.message.startswith("YAML syntax: ")


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n", "---\n"])
def test_empty_document_reads_as_none(text):
    value, _ = read(text)
    assert value is None


def test_merge_keys_are_rejected():
    text = """\
base: &base
  initial: 450
lines:
  pac3-us:
    capacity:
      <<: *base
      target: 650
"""
    (problem,) = problems_of(text)
    assert problem.path == "lines.pac3-us.capacity"
    assert problem.line == 5
    assert "merge keys" in problem.message


def test_plain_anchors_and_aliases_are_allowed():
    value, source = read("a: &five 5\nb: *five\n")
    assert value == {"a": 5, "b": 5}
    assert source.line_of(("b",)) == 2


def test_keys_must_be_scalars():
    (problem,) = problems_of("? [a, b]\n: 1\n")
    assert problem.message == "keys must be plain names, not lists or mappings"


def test_scalars_keep_their_yaml_types():
    value, _ = read("a: 2026-03-01\nb: 450\nc: 0.98\nd: true\ne: null\nf: '450'\n")
    assert value == {
        "a": dt.date(2026, 3, 1),
        "b": 450,
        "c": 0.98,
        "d": True,
        "e": None,
        "f": "450",
    }


def test_keys_become_strings():
    value, _ = read("2026: a\n1.5: b\n")
    assert value == {"2026": "a", "1.5": "b"}


def test_country_codes_as_keys_stay_as_written():
    value, _ = read("stock: {US: 0.5, NO: 0.5}\n")
    assert value == {"stock": {"US": 0.5, "NO": 0.5}}


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ScenarioError) as caught:
        read_yaml(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:1: no such file"]


def test_reads_from_disk(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nyears: 5\n", encoding="utf-8")
    value, source = read_yaml(path)
    assert value == {"name": "x", "years": 5}
    assert source.file == str(path)
    assert source.line_of(("years",)) == 2


def test_empty_source_map_points_at_line_one():
    assert SourceMap("x.yaml").line_of(("anything", 3)) == 1
