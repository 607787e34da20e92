"""NaN and infinity are refused everywhere a scenario gives a number, with FILE:LINE.

NaN passes every range check written as a comparison, and infinity overflows counts: the
hostile-input campaign found runs that exited 0 with a stock of NaN (a shortfall of
−7.56e18), an infinite demand (a shortfall of 0) or a yield of NaN (treated as 1). The
YAML reader refuses them for files and ``--set`` alike, so no model code ever sees one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.loading import load_scenario
from tests.scenario_numbers import numeric_paths

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
NON_FINITE = (".nan", ".NaN", ".inf", "-.inf", "+.Inf", "1e400", "-2e999")


NUMBERS = {scenario: numeric_paths(scenario) for scenario in SHIPPED}


@pytest.mark.parametrize("text", NON_FINITE)
def test_a_non_finite_number_in_a_file_is_refused_at_its_line(tmp_path: Path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(
        "name: x\nstart_year: 2026\nyears: 2\nitems:\n  A: {}\n"
        "lines:\n  a: {country: US, makes: A, capacity: {initial: 100}}\n"
        f"stockpiles:\n  A: {{US: {text}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as refused:
        load_scenario(path)
    assert [str(problem) for problem in refused.value.problems] == [
        f"{path}:9: stockpiles.A.US: '{text}' is not a finite number"
    ]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_no_number_of_a_shipped_scenario_may_be_made_non_finite(data):
    scenario = data.draw(st.sampled_from(SHIPPED), label="scenario")
    path = data.draw(st.sampled_from(NUMBERS[scenario]), label="path")
    text = data.draw(st.sampled_from(NON_FINITE), label="value")
    with pytest.raises(ScenarioError) as refused:
        load_scenario(scenario, [f"{path}={text}"])
    (problem,) = refused.value.problems
    assert problem.path == path
    assert problem.message.endswith("is not a finite number")
