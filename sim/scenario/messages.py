"""Turn pydantic's validation errors into problems a scenario author can act on.

Pydantic reports locations in terms of its own machinery (union tags, validator names);
a user thinks in terms of the keys they wrote. We keep only the parts of each location
that exist in the document, look up their line, and rephrase the messages that would
otherwise puzzle someone who has never heard of pydantic.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sim.errors import Problem, shown
from sim.scenario.distributions import NUMBER_FORMS
from sim.scenario.yamlsource import Path_, SourceMap


def problems_from_validation(
    error: ValidationError, data: Any, source: SourceMap, model: type[BaseModel]
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, located in the YAML file.

    `model` is the document's root model (the scenario): its keys, at any depth, are
    what an unknown key is compared with for a "did you mean" suggestion. It is passed
    in, not imported, so that the messages sit below the models that use them.
    """
    problems = []
    for detail in error.errors(include_url=False):
        path = _document_path(data, detail["loc"], missing=detail["type"] == "missing")
        problems.append(source.problem(path, _message(detail, path, model)))
    return problems


def _document_path(data: Any, loc: tuple[Any, ...], missing: bool = False) -> Path_:
    """The part of a pydantic location that names keys and indices in `data`.

    Pydantic puts union tags and validator names into locations; we skip any part that
    is not in the document, except the final key of a `missing` error, named so the
    user sees which key to add.
    """
    path: list[str | int] = []
    node = data
    for position, part in enumerate(loc):
        if isinstance(node, dict) and (str(part) in node or part in node):
            key = str(part) if str(part) in node else part  # YAML keys are text; data may not be
            path.append(str(part))
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif missing and position == len(loc) - 1:
            path.append(part)
    return tuple(path)


def _message(detail: ErrorDetails, path: Path_, model: type[BaseModel]) -> str:
    kind = detail["type"]
    message = detail["msg"]
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else ""
        close = difflib.get_close_matches(key, sorted(_known_keys(model) - {key}), n=1, cutoff=0.75)
        return f"unknown key (did you mean '{close[0]}'?)" if close else "unknown key"
    if kind == "missing":
        if path and isinstance(path[-1], int):
            return "this list is too short"
        return "required key is missing"
    if kind in ("too_long", "too_short") or kind.startswith("tuple"):
        return "expected a list of " + _expected_length(path) if _expected_length(path) else message
    if kind.startswith("date"):
        return f"expected a date written YYYY-MM-DD, got {shown(repr(detail.get('input')))}"
    if kind == "distribution":
        given = detail.get("input")
        if isinstance(given, dict) and len(given) == 1:
            key = next(iter(given))
            close = difflib.get_close_matches(key, [*NUMBER_FORMS], n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"unknown distribution '{shown(key)}'{hint}; {message}"
        return f"{message}, got {shown(repr(given))}"
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_pattern_mismatch":
        return f"'{shown(detail.get('input'))}' is not allowed here ({_pattern_hint(path)})"
    return message[0].lower() + message[1:] if message else kind


def _expected_length(path: Path_) -> str:
    form = next((str(part) for part in reversed(path) if str(part) in _LENGTHS), None)
    return "" if form is None else _LENGTHS[form]


_LENGTHS = {
    "uniform": "2 numbers [low, high]",
    "triangular": "3 numbers [low, mode, high]",
    "pert": "3 numbers [low, mode, high]",
    "beta": "2 numbers [a, b]",
}


def _pattern_hint(path: Path_) -> str:
    if path and path[-1] == "country":
        return "a country is a 2-3 letter upper-case code such as US or JP"
    if path and path[0] == "shipping_days":
        return "a lane is written FROM-TO, e.g. JP-US"
    if path and path[0] == "name":
        return "letters, digits, '.', '_' and '-' only"
    return "names may not contain dots or start with a space"


@functools.cache
def _known_keys(root: type[BaseModel]) -> frozenset[str]:
    """Every key any section under `root` accepts (for 'did you mean' suggestions)."""
    keys = {
        field.alias or name for model in _models(root) for name, field in model.model_fields.items()
    }
    return frozenset(keys | set(NUMBER_FORMS))


def _models(
    model: type[BaseModel], seen: set[type[BaseModel]] | None = None
) -> Iterator[type[BaseModel]]:
    seen = seen if seen is not None else set()
    if model in seen:
        return
    seen.add(model)
    yield model
    for field in model.model_fields.values():
        for candidate in _types_in(field.annotation):
            yield from _models(candidate, seen)


def _types_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        yield from _types_in(argument)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        yield from _types_in(origin)
