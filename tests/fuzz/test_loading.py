"""Loading any document either succeeds or fails as a scenario error with file and line.

Never another exception: a traceback is a bug in the loader, whatever the input.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from sim.errors import ScenarioError
from sim.loading import load_scenario
from sim.scenario.model import Scenario
from tests.fuzz.strategies import broken, dump, random_yaml, valid_documents

LINE_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""What YAML counts as the end of a line (NEL and the Unicode separators too)."""

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""A fixed example budget, the same examples every run: seeded, and fast enough for make test."""


def load(text: str) -> Scenario | ScenarioError:
    """Load `text` from a scenario file; the scenario, or the ScenarioError raised."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_scenario(path)
        except ScenarioError as error:
            assert error.problems, "a scenario error must say what is wrong"
            lines = len(LINE_BREAKS.findall(text)) + 1
            for problem in error.problems:
                assert problem.file == str(path), problem
                assert 1 <= problem.line <= lines, problem
                assert problem.message.strip(), problem
            return error


@EXAMPLES
@given(valid_documents())
def test_every_valid_document_loads(document):
    loaded = load(dump(document))
    assert isinstance(loaded, Scenario), loaded


@EXAMPLES
@given(broken())
def test_a_document_with_one_thing_broken_fails_with_a_located_error_or_loads(document):
    load(dump(document))


@EXAMPLES
@given(valid_documents(repair=True))
def test_every_valid_repair_document_loads(document):
    loaded = load(dump(document))
    assert isinstance(loaded, Scenario), loaded


@EXAMPLES
@given(broken(valid_documents(repair=True)))
def test_a_repair_document_with_one_thing_broken_fails_with_a_located_error_or_loads(document):
    load(dump(document))


@EXAMPLES
@given(random_yaml())
def test_random_yaml_fails_with_a_located_error_or_loads(text):
    load(text)
