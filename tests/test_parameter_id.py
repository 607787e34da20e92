"""Typed parameter identities (sim/parameter_id.py): the name stays the stream key, the
kind is declared where the parameter is drawn and read by whoever shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from sim.loading import load_scenario
from sim.network import compile_network
from sim.parameter_id import Kind, ParameterId, drawn_as, shared_draw
from sim.scenario.distributions import Pert, Triangular, Uniform
from sim.sensitivity.inputs import scenario_inputs
from sim.sensitivity.wording import format_input_value
from tests.conftest import build_scenario
from tests.repair.cases import ships

SCENARIOS = sorted(Path(__file__).parents[1].glob("scenarios/*.yaml"))


@pytest.mark.parametrize(
    ("parameter", "name"),
    [
        (ParameterId("lines", "pac3-us", "capacity.initial"), "lines.pac3-us.capacity.initial"),
        (ParameterId("ship_repair.yards", "maizuru", "opens"), "ship_repair.yards.maizuru.opens"),
        (ParameterId("shipping_days", "JP-US", ""), "shipping_days.JP-US"),
        (ParameterId("stockpiles", "PAC-3 MSE", "US"), "stockpiles.PAC-3 MSE.US"),
        (ParameterId("demand", "AIM-120.US.0", "per_year"), "demand.AIM-120.US.0.per_year"),
        (shared_draw("hub-days"), "shared.hub-days"),
    ],
)
def test_the_name_is_the_dotted_path_the_stream_was_keyed_by(parameter, name):
    assert parameter.name == name


def test_the_kind_is_no_part_of_the_identity():
    # one shared draw, whatever kind of place refers to it
    assert shared_draw("x", Kind.COUNT) == shared_draw("x", Kind.NUMBER)
    assert len({shared_draw("x", Kind.COUNT), shared_draw("x")}) == 1


def test_a_reference_to_a_shared_draw_is_drawn_as_the_shared_draw():
    berths = ParameterId("ship_repair.yards", "y", "berths", Kind.COUNT)
    spec = (
        build_scenario(
            shared={"b": {"uniform": [1, 3]}},
            **ships({"y": {"country": "US", "berths": {"shared": "b"}}}, {}),
        )
        .ship_repair.yards["y"]
        .berths
    )
    drawn = drawn_as(berths, spec)
    assert drawn.name == "shared.b" and drawn.kind is Kind.COUNT
    assert drawn_as(berths, Uniform(uniform=(1.0, 3.0))) is berths


def every_date_field() -> object:
    """A scenario in which every date a parameter can draw is uncertain."""
    between = {"uniform": ["2026-03-01", "2027-03-01"]}
    return build_scenario(
        items={"X": {"unit": "missiles"}},
        lines={
            "a": {
                "country": "US",
                "makes": "X",
                "capacity": {"initial": 100},
                "opens": between,
                "orders": {2026: {"units": 10, "awarded": between}},
            }
        },
        stockpiles={"X": {"US": {"uniform": [0, 10]}}},
        conflicts=[{"name": "war", "start": between, "days": 30}],
        investments=[{"name": "plant", "cost_musd": 5, "date": between, "country": "US"}],
        **ships(
            {
                "home": {"country": "US", "berths": 1},
                "y": {"country": "US", "berths": {"uniform": [1, 3]}, "opens": between},
            },
            {"f": {"homeport": "US", "emergent_per_year": 1, "emergent_days": 10}},
        ),
    )


def uncertain_dates(value: object, path: tuple[str, ...] = ()) -> Iterator[str]:
    """Dotted paths of the uncertain dates in a scenario, entries of lists by name."""
    if isinstance(value, Uniform | Triangular | Pert):
        first = next(iter(value.model_dump().values()))[0]
        if isinstance(first, dt.date):
            yield ".".join(path)
        return
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            yield from uncertain_dates(getattr(value, key), (*path, key))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from uncertain_dates(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from uncertain_dates(item, (*path, str(getattr(item, "name", ""))))


@pytest.mark.parametrize("source", ["every date field", *SCENARIOS], ids=str)
def test_exactly_the_drawn_dates_are_declared_dates(source):
    """Catches a date drawn as a number (an investment's `date` and an award's `awarded`
    were, when a name ending in .opens or .start meant a date)."""
    scenario = every_date_field() if source == "every date field" else load_scenario(source)
    inputs = scenario_inputs(compile_network(scenario), 1)
    declared = {parameter.name for parameter in inputs if parameter.kind is Kind.DATE}
    assert declared == set(uncertain_dates(scenario))


def test_counts_are_declared_where_the_model_rounds_the_draw():
    inputs = scenario_inputs(compile_network(every_date_field()), 1)
    counts = {parameter.name for parameter in inputs if parameter.kind is Kind.COUNT}
    assert counts == {"stockpiles.X.US", "ship_repair.yards.y.berths"}


def test_a_value_reads_as_its_kind():
    start = dt.date(2026, 1, 1)
    assert format_input_value(ParameterId("investments", "p", "date", Kind.DATE), 31, start) == (
        "2026-02-01"
    )
    assert format_input_value(ParameterId("stockpiles", "X", "US", Kind.COUNT), 2.6, start) == "3"
    assert format_input_value(ParameterId("lines", "a", "yield"), 0.25, start) == "0.25"
