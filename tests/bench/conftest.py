"""A small scenario file for the benchmark's child-process measurements."""

from __future__ import annotations

import pytest
import yaml

from sim.bench.synthetic import family_document


@pytest.fixture(scope="package")
def small_scenario_file(tmp_path_factory):
    """One line family over one year, as a YAML file: `sim run` on it takes seconds."""
    path = tmp_path_factory.mktemp("scenario") / "family.yaml"
    path.write_text(yaml.safe_dump(family_document(3, years=1), allow_unicode=True))
    return path
