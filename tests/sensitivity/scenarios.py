"""Small scenarios with a known answer, shared by the sensitivity tests."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from sim.scenario.model import Scenario
from tests.conftest import build_scenario

DRIVER = "lines.a.capacity.initial"
"""Line a's capacity: the only input that can move item X."""
UNRELATED = "lines.b.capacity.initial"
"""Line b's capacity: moves item Y, cannot reach item X."""


def two_lines(disrupted: bool = False, **extra: Any) -> Scenario:
    """Lines a (makes X) and b (makes Y), each with an uncertain capacity and no inputs.

    X's deliveries are a monotone function of line a's capacity alone (plus per-event
    noise when `disrupted`); line b's capacity cannot reach them.
    """
    line_a: dict[str, Any] = {
        "country": "US",
        "makes": "X",
        "capacity": {"initial": {"uniform": [100, 200]}},
    }
    if disrupted:
        line_a["disruptions"] = {"per_year": 2, "days": 40, "capacity_lost": 1.0}
    return build_scenario(
        years=2,
        items={"X": {"unit": "missiles"}, "Y": {"unit": "missiles"}},
        lines={
            "a": line_a,
            "b": {"country": "US", "makes": "Y", "capacity": {"initial": {"uniform": [50, 80]}}},
        },
        stockpiles={"X": {"US": 0}, "Y": {"US": 0}},
        **extra,
    )


needs_salib = pytest.mark.skipif(
    importlib.util.find_spec("SALib") is None,
    reason="SALib is not installed: pip install 'dicas-sim[sensitivity]'",
)
"""For tests of the Sobol' method, which needs the optional SALib."""


def by_name(draws):
    """Input draws keyed by their dotted names, as the tests above call them."""
    return {parameter.name: values for parameter, values in draws.items()}
