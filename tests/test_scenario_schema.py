"""The JSON Schema as an editor reads it: shipped files pass, with and without extends."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from sim.scenario.schema import SCHEMA_ID, json_schema

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(validator: Draft202012Validator, document: dict) -> list[str]:
    """What the schema finds wrong in `document` (as parsed from YAML)."""
    return [error.message for error in validator.iter_errors(_as_json(document))]


def _as_json(value):
    """YAML's dates as the strings an editor's YAML server hands to the schema."""
    if isinstance(value, dict):
        return {str(key): _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_matches_the_schema(validator, path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert problems(validator, document) == []


def test_a_file_that_extends_another_may_leave_any_key_to_it(validator):
    partial = {"extends": "baseline.yaml", "lines": {"pac3-us": {"opens": "2027-01-01"}}}
    assert problems(validator, partial) == []
    # without extends, the same file lacks the required keys, at the top and in the line
    alone = {key: value for key, value in partial.items() if key != "extends"}
    found = problems(validator, alone)
    assert any("'name' is a required property" in message for message in found)
    assert any("'country' is a required property" in message for message in found)


def test_unknown_keys_are_refused_with_or_without_extends(validator):
    assert problems(validator, {"extends": "baseline.yaml", "line": {}})
    assert problems(validator, {"extends": "baseline.yaml", "lines": {"x": {"opnes": "2027"}}})


def test_the_schema_names_itself():
    schema = json_schema()
    assert schema["$id"] == SCHEMA_ID
    assert schema["$schema"].endswith("2020-12/schema")
