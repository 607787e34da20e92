"""Hypothesis strategies for scenario documents: valid, near-valid, and random YAML.

A valid document is drawn section by section. Each section is a function of the names
drawn so far (:class:`Names`), registered in :data:`SECTIONS` in the order documents
list them; a new section (``ship_repair``, ``engine_repair``) is one more function and
one more entry there. Documents are kept small (few lines, one to three years) so that
every valid one can also be simulated quickly in both engines.

A near-valid document is a valid one with exactly one thing broken (:func:`broken`):
a value of the wrong type or out of range, a misspelt or unknown key, a required key
removed, or a name that refers to nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st

COUNTRIES = ("US", "JP")
START_YEAR = 2026


@dataclass
class Names:
    """What the sections drawn so far have named, for later sections to refer to."""

    years: int
    items: list[str] = field(default_factory=list)
    end_items: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    lines: dict[str, dict] = field(default_factory=dict)


def dates(years: int) -> st.SearchStrategy[str]:
    """A date inside the horizon, as a scenario writes it."""
    return st.builds(
        lambda year, month, day: f"{START_YEAR + year}-{month:02d}-{day:02d}",
        st.integers(0, years - 1),
        st.integers(1, 12),
        st.integers(1, 28),
    )


def non_negative(low: float, high: float) -> st.SearchStrategy[Any]:
    """A fixed value or a distribution whose support stays within [low, high]."""
    number = st.floats(low, high, allow_nan=False).map(lambda value: round(value, 3))

    def ordered(count: int) -> st.SearchStrategy[list[float]]:
        return st.lists(number, min_size=count, max_size=count, unique=True).map(sorted)

    return st.one_of(
        number,
        st.integers(int(low), int(high)),
        ordered(2).map(lambda pair: {"uniform": pair}),
        ordered(3).map(lambda triple: {"triangular": triple}),
        ordered(3).map(lambda triple: {"pert": triple}),
    )


def positive_mean(high: float) -> st.SearchStrategy[Any]:
    """Distributions on (0, ∞) given by their mean or median."""
    mean = st.floats(1, high).map(lambda value: round(value, 2))
    return st.one_of(
        mean.map(lambda m: {"exponential": {"mean": m}}),
        st.builds(
            lambda m, s: {"lognormal": {"median": m, "sigma": s}}, mean, st.sampled_from([0.1, 0.5])
        ),
        st.builds(lambda m, k: {"erlang": {"mean": m, "k": k}}, mean, st.integers(1, 4)),
    )


def fractions() -> st.SearchStrategy[Any]:
    """A share in [0, 1]: fixed, uniform or beta."""
    return st.one_of(
        st.sampled_from([0, 0.5, 0.9, 1]),
        st.builds(lambda a, b: {"beta": [a, b]}, st.integers(1, 9), st.integers(1, 9)),
        st.just({"uniform": [0.8, 1.0]}),
    )


@st.composite
def items(draw, names: Names) -> dict:
    """One to three end items (held in stock) and up to two components."""
    ends = [f"missile-{i}" for i in range(draw(st.integers(1, 3)))]
    parts = [f"part-{i}" for i in range(draw(st.integers(0, 2)))]
    names.end_items, names.components, names.items = ends, parts, ends + parts
    section = {}
    for item in names.items:
        entry = {}
        if draw(st.booleans()):
            entry["unit"] = "units"
        if item in ends and draw(st.booleans()):
            entry["unit_cost_musd"] = draw(st.floats(0.1, 10).map(lambda v: round(v, 2)))
        section[item] = entry
    return section


@st.composite
def lines(draw, names: Names) -> dict:
    """A line per end item (sometimes two), a line per component feeding some of them."""
    section: dict[str, dict] = {}
    for item in names.end_items:
        for copy_number in range(draw(st.integers(1, 2))):
            section[f"{item}-line-{copy_number}"] = draw(_line(names, item))
    for part in names.components:
        consumers = sorted(
            draw(st.sets(st.sampled_from(sorted(section)), min_size=1, max_size=len(section)))
        )
        supplier = draw(_line(names, part))
        supplier["routes"] = draw(_component_routes(consumers))
        for consumer in consumers:
            section[consumer].setdefault("inputs", {})[part] = draw(st.integers(1, 2))
        section[f"{part}-line"] = supplier
    names.lines = section
    return section


@st.composite
def _line(draw, names: Names, item: str) -> dict:
    line = {
        "country": draw(st.sampled_from(COUNTRIES)),
        "makes": item,
        "capacity": {"initial": draw(non_negative(0, 400))},
    }
    if draw(st.booleans()):
        line["capacity"]["target"] = draw(st.integers(0, 800))
        line["capacity"]["growth_cap"] = draw(non_negative(0, 0.3))
    if draw(st.booleans()):
        line["opens"] = draw(
            st.one_of(dates(names.years), st.just({"uniform": ["2026-01-01", "2026-09-01"]}))
        )
    if draw(st.booleans()):
        line["yield"] = draw(fractions())
    if draw(st.booleans()):
        line["flow_days"] = draw(non_negative(0, 200))
    if draw(st.booleans()):
        line["funded_per_year"] = draw(st.integers(0, 500))
    if draw(st.booleans()):
        line["disruptions"] = {
            "per_year": draw(st.sampled_from([0, 0.5, 2])),
            "days": draw(positive_mean(60)),
            "capacity_lost": draw(fractions()),
        }
    return line


def _component_routes(consumers: list[str]) -> st.SearchStrategy[dict]:
    if len(consumers) == 1:
        return st.just({"line": {consumers[0]: 1}})
    share = 1 / len(consumers)
    split = {consumer: share for consumer in consumers}
    split[consumers[0]] += 1 - sum(split.values())
    return st.one_of(
        st.just({"line": split}),
        st.sampled_from(["priority", "proportional"]).map(
            lambda policy: {"line": consumers, "allocation": policy}
        ),
    )


@st.composite
def shipping_days(draw, names: Names) -> dict:
    """Both lanes: components cross between countries."""
    return {"JP-US": draw(non_negative(0, 40)), "US-JP": draw(non_negative(0, 40))}


@st.composite
def stockpiles(draw, names: Names) -> dict:
    """An initial stock of every end item, per owner."""
    return {
        item: {owner: draw(st.integers(0, 500)) for owner in COUNTRIES} for item in names.end_items
    }


@st.composite
def demand(draw, names: Names) -> list:
    """Up to three peacetime demand streams on end items."""
    streams = []
    for _ in range(draw(st.integers(0, 3))):
        stream = {
            "item": draw(st.sampled_from(names.end_items)),
            "owner": draw(st.sampled_from(COUNTRIES)),
            "per_year": draw(non_negative(0, 600)),
        }
        if draw(st.booleans()):
            stream["start"] = draw(dates(names.years))
        if draw(st.booleans()):
            stream["priority"] = draw(st.integers(1, 3))
        streams.append(stream)
    return streams


@st.composite
def conflicts(draw, names: Names) -> list:
    """At most one conflict, consuming end items while it lasts."""
    if not draw(st.booleans()):
        return []
    item = draw(st.sampled_from(names.end_items))
    return [
        {
            "name": "war",
            "start": draw(
                st.one_of(dates(names.years), st.just({"uniform": ["2026-02-01", "2026-10-01"]}))
            ),
            "days": draw(non_negative(1, 200)),
            "probability": draw(fractions()),
            "consumption_per_day": {
                item: {draw(st.sampled_from(COUNTRIES)): draw(st.integers(0, 10))}
            },
        }
    ]


Section = Callable[[Names], st.SearchStrategy[Any]]

SECTIONS: dict[str, Section] = {
    "items": items,
    "lines": lines,
    "shipping_days": shipping_days,
    "stockpiles": stockpiles,
    "demand": demand,
    "conflicts": conflicts,
}
"""Every section a generated scenario may hold, in drawing order (later ones may refer
to names drawn by earlier ones). Add ``ship_repair`` and ``engine_repair`` here."""

OPTIONAL = {"shipping_days", "demand", "conflicts"}
"""Sections a valid document may leave out."""


@st.composite
def valid_documents(draw) -> dict:
    """A small valid scenario document (a mapping, as read from YAML)."""
    names = Names(years=draw(st.integers(1, 3)))
    document: dict[str, Any] = {
        "name": "fuzzed",
        "start_year": START_YEAR,
        "years": names.years,
        "time_step_days": draw(st.sampled_from([7, 14, 30])),
        "seed": draw(st.integers(0, 2**31)),
    }
    for key, section in SECTIONS.items():
        value = draw(section(names))
        if key in OPTIONAL and not value and draw(st.booleans()):
            continue
        document[key] = value
    return document


WRONG_VALUES = (
    -1,
    -0.5,
    1e9,
    "",
    "text",
    True,
    None,
    [],
    [1, 2, 3],
    {},
    {"uniform": [5, 1]},
    {"normal": {"mean": 1, "sd": -2}},
    {"lognormal": {"median": -1, "sigma": 1}},
    {"unknown": 3},
    "2026-02-30",
    float("nan"),
    float("inf"),
)


def leaves(document: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every value in `document`, containers included (the root excepted)."""
    found = [path] if path else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += leaves(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += leaves(value, (*path, index))
    return found


@st.composite
def broken(draw, documents: st.SearchStrategy[dict] | None = None) -> dict:
    """A valid document with one thing broken: value, key or reference."""
    document = copy.deepcopy(draw(documents or valid_documents()))
    path = draw(st.sampled_from(leaves(document)))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    how = draw(st.sampled_from(["value", "typo", "unknown key", "remove", "dangling"]))
    if how == "value" or isinstance(parent, list):
        parent[last] = draw(st.sampled_from(WRONG_VALUES))
    elif how == "typo":
        parent[f"{last}x"] = parent.pop(last)
    elif how == "unknown key":
        parent["colour"] = "blue"
    elif how == "remove":
        del parent[last]
    else:
        parent[last] = "nowhere"
    return document


def yaml_values() -> st.SearchStrategy[Any]:
    """Arbitrary YAML-representable values, nested."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates().map(str),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=12), inner, max_size=4),
        ),
        max_leaves=25,
    )


def random_yaml() -> st.SearchStrategy[str]:
    """Text a user might hand over as a scenario: YAML of anything, or anything at all."""
    shaped = st.fixed_dictionaries(
        {"name": st.text(max_size=10), "start_year": yaml_values(), "years": yaml_values()},
        optional={"lines": yaml_values(), "items": yaml_values(), "demand": yaml_values()},
    )
    fragments = st.sampled_from(
        [
            "a: &x [*x]\n",
            "a: &x {b: *x}\n",
            "a: " + "[" * 400 + "]" * 400 + "\n",
            "<<: {name: x}\n",
            "? [a]\n: 1\n",
            "name: !!python/object:os.system x\n",
            "name: x\nname: y\n",
            "\t- tab\n",
            "lines: {a: {capacity: {initial: {uniform: [.nan, .inf]}}}}\n",
            "years: 99999999999999999999999999999\n",
            "start_year: 2026-13-45\n",
        ]
    )
    return st.one_of(
        st.builds(lambda value: yaml.safe_dump(value, allow_unicode=True), yaml_values()),
        st.builds(lambda value: yaml.safe_dump(value, allow_unicode=True), shaped),
        st.text(max_size=200),
        st.lists(fragments, min_size=1, max_size=3).map("".join),
    )


def dump(document: Any) -> str:
    """A document as YAML text, in the order it was built."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
