"""What the type checker is told about scenario values holds at run time.

A number spec is typed as the distribution it validates into (a bare number becomes
`Fixed`, sim.scenario.distributions), and a spec field's default is written as in YAML through
`as_written`. Both are true only because scenario sections validate their defaults: a
model that did not would hold the bare number, and mypy would not know.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

import sim
from sim.scenario.distributions import Fixed, Lognormal
from sim.scenario.model import Conflict, Line


def _models() -> Iterator[type[BaseModel]]:
    """Every pydantic model defined in sim."""
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
            ):
                yield value


def _is_spec(field: FieldInfo) -> bool:
    """Whether the field is a number or date spec (its discriminator's error type)."""
    return any(
        getattr(item, "custom_error_type", None) == "distribution" for item in field.metadata
    )


def test_every_spec_default_is_validated():
    unvalidated = [
        f"{model.__name__}.{name}"
        for model in _models()
        for name, field in model.model_fields.items()
        if _is_spec(field)
        and field.default not in (None, PydanticUndefined)
        and not model.model_config.get("validate_default")
    ]
    assert unvalidated == []


def test_a_defaulted_spec_holds_the_distribution_it_is_typed_as():
    line = Line.model_validate({"country": "US", "makes": "X", "capacity": {"initial": 10}})
    assert line.flow_days == Fixed(value=0.0)
    assert line.yield_ == Fixed(value=1.0)
    assert line.capacity.initial == Fixed(value=10.0)
    conflict = Conflict.model_validate({"name": "c", "start": "2030-01-01", "days": 30})
    assert conflict.probability == Fixed(value=1.0)
    assert isinstance(conflict.ship_damage_days, Lognormal)
