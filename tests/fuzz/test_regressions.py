"""Inputs the fuzzer found that once crashed the loader with a traceback."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from tests.fuzz.test_loading import load

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]\n"
    for previous, name in zip("abcdefg", "bcdefgh", strict=True)
)
"""Aliases of aliases: ten values, ten times over, eight times (10⁸ when expanded); the
cap is passed while expanding e (10⁵), on line 5."""


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("name: x\nlines: &x [*x]\n", 2, "nested more than 50 levels deep"),
        ("name: x\nlines: &x {a: *x}\n", 2, "nested more than 50 levels deep"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", 1, "nested more than 50 levels deep"),
        ("a: " + "[" * 2000 + "]" * 2000 + "\n", 1, "YAML nested too deeply to read"),
        (LAUGHS, 5, "more than 100,000 values"),
    ],
    ids=["alias in a list", "alias in a mapping", "deep", "deeper than Python", "laughs"],
)
def test_self_referring_and_exploding_yaml_is_a_located_scenario_error(text, line, message):
    error = load(text)
    assert isinstance(error, ScenarioError)
    (problem,) = error.problems
    assert problem.line == line and message in problem.message
