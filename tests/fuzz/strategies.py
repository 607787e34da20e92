"""Hypothesis strategies for scenario documents: valid, near-valid, and random YAML.

A valid document is drawn section by section. Each section is a function of the names
drawn so far (:class:`Names`), registered in :data:`SECTIONS` in the order documents
list them. A document models production, ship repair, engine repair or any mix of them
(:class:`Parts`); a section whose part is left out draws nothing. Documents are kept
small (few lines, fleets and engines, one to three years) so that every valid one can
also be simulated quickly in both engines.

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


@dataclass(frozen=True)
class Parts:
    """Which of the three parts of the model a document holds (at least one)."""

    production: bool = True
    ships: bool = False
    engines: bool = False


@dataclass
class Names:
    """What the sections drawn so far have named, for later sections to refer to."""

    years: int
    parts: Parts = field(default_factory=Parts)
    items: list[str] = field(default_factory=list)
    end_items: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    lines: dict[str, dict] = field(default_factory=dict)
    fleets: list[str] = field(default_factory=list)
    engines: list[str] = field(default_factory=list)


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
    if not names.parts.production:
        return {}
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
    for _ in range(draw(st.integers(0, 3 if names.end_items else 0))):
        stream = {
            "item": draw(st.sampled_from(names.end_items)),
            "owner": draw(st.sampled_from(COUNTRIES)),
            "per_year": draw(non_negative(0, 600)),
        }
        if draw(st.booleans()):
            stream["start"] = draw(dates(names.years))
        if draw(st.booleans()):
            stream["priority"] = draw(st.integers(0, 3))
        streams.append(stream)
    return streams


@st.composite
def conflicts(draw, names: Names) -> list:
    """At most one conflict: it consumes end items while it lasts, damages ships of the
    fleets drawn, and multiplies engine removals."""
    if not draw(st.booleans()):
        return []
    conflict: dict[str, Any] = {
        "name": "war",
        "start": draw(
            st.one_of(dates(names.years), st.just({"uniform": ["2026-02-01", "2026-10-01"]}))
        ),
        "days": draw(non_negative(1, 200)),
        "probability": draw(fractions()),
    }
    if names.end_items and draw(st.booleans()):
        item = draw(st.sampled_from(names.end_items))
        conflict["consumption_per_day"] = {
            item: {draw(st.sampled_from(COUNTRIES)): draw(st.integers(0, 10))}
        }
        if draw(st.booleans()):
            conflict["priority"] = draw(st.integers(0, 3))
    if names.fleets:  # the defaults (no damage, no surge) are among the values drawn
        conflict["ship_damage_per_year"] = draw(non_negative(0, 12))
        if draw(st.booleans()):
            conflict["ship_damage_days"] = draw(st.one_of(positive_mean(90), non_negative(0, 120)))
        if draw(st.booleans()):
            conflict["ship_damage_fleets"] = draw(
                st.lists(st.sampled_from(names.fleets), max_size=len(names.fleets), unique=True)
            )
    if names.engines:
        conflict["engine_removal_factor"] = draw(non_negative(0, 4))
    return [conflict]


@st.composite
def ship_repair(draw, names: Names) -> dict | None:
    """Up to three fleets and up to four yards (DESIGN §2.3).

    Every fleet gets a *fallback* yard (in its homeport country, open from the start, no
    duration limit, a berth for sure) that may take it, and every lane a fleet may sail
    has its transit days: what the loader demands. The other yards may open late, limit
    the planned days they take, lack berths in some replications and take some fleets only.
    """
    if not names.parts.ships:
        return None
    fleets = {f"fleet-{i}": draw(_fleet()) for i in range(draw(st.integers(1, 3)))}
    names.fleets = list(fleets)
    routing = draw(st.sampled_from([None, "home", "earliest_completion"]))
    yards: dict[str, dict] = {}
    for country in sorted({fleet["homeport"] for fleet in fleets.values()}):
        yard: dict[str, Any] = {
            "country": country,
            "berths": draw(
                st.one_of(st.integers(1, 3), st.just({"uniform": [1, 3]}), st.just(1.4))
            ),
        }
        if draw(st.booleans()):
            yard["duration_factor"] = draw(non_negative(0, 2))
        if draw(st.booleans()):  # named fleets: at least every fleet based here
            home = [name for name, fleet in fleets.items() if fleet["homeport"] == country]
            others = sorted(set(fleets) - set(home))
            yard["fleets"] = home + (
                draw(st.lists(st.sampled_from(others), unique=True)) if others else []
            )
        yards[f"home-{country}"] = yard
    for i in range(draw(st.integers(0, 2))):
        yard = {"country": draw(st.sampled_from(COUNTRIES)), "berths": draw(non_negative(0, 3))}
        if draw(st.booleans()):
            yard["opens"] = draw(
                st.one_of(dates(names.years), st.just({"uniform": ["2026-01-01", "2026-09-01"]}))
            )
        if draw(st.booleans()):
            yard["max_days"] = draw(st.integers(0, 300))
        if draw(st.booleans()):
            yard["duration_factor"] = draw(non_negative(0, 2))
        if draw(st.booleans()):
            yard["fleets"] = draw(st.lists(st.sampled_from(names.fleets), unique=True))
        yards[f"yard-{i}"] = yard
    lanes = set()
    for name, fleet in fleets.items():
        for yard in yards.values():
            away = yard["country"] != fleet["homeport"]
            if away and routing != "home" and name in yard.get("fleets", fleets):
                lanes.add(f"{fleet['homeport']}-{yard['country']}")
    if draw(st.booleans()):
        lanes |= {"US-JP", "JP-US"}
    section: dict[str, Any] = {}
    if routing is not None:
        section["routing"] = routing
    if lanes:
        section["transit_days"] = {lane: draw(non_negative(0, 30)) for lane in sorted(lanes)}
    section["yards"] = yards
    section["fleets"] = fleets
    return section


@st.composite
def _fleet(draw) -> dict:
    """Planned availabilities, emergent repairs or both."""
    fleet: dict[str, Any] = {"homeport": draw(st.sampled_from(COUNTRIES))}
    kind = draw(st.sampled_from(["planned", "emergent", "both"]))
    if kind != "emergent":
        fleet["ships"] = draw(st.integers(1, 6))
        fleet["cycle_days"] = draw(non_negative(60, 900))
        fleet["planned_days"] = draw(st.one_of(non_negative(0, 240), positive_mean(150)))
        if draw(st.booleans()):
            fleet["overrun"] = draw(st.one_of(non_negative(0, 2), positive_mean(2)))
    elif draw(st.booleans()):
        fleet["ships"] = draw(st.integers(0, 6))
    if kind != "planned":
        fleet["emergent_per_year"] = draw(non_negative(1, 12))
        fleet["emergent_days"] = draw(st.one_of(positive_mean(60), non_negative(0, 90)))
    return fleet


@st.composite
def engine_repair(draw, names: Names) -> dict:
    """One or two engine types, each with a depot open from the start (DESIGN §2.4) and
    perhaps a second one, which may need a certification that may fail."""
    if not names.parts.engines:
        return {}
    section = {}
    for i in range(draw(st.integers(1, 2))):
        depots = {"depot-0": draw(_depot(certified=False))}
        if draw(st.booleans()):
            depots["depot-1"] = draw(_depot(certified=draw(st.booleans())))
        engine: dict[str, Any] = {"installed": draw(st.integers(1, 30))}
        if draw(st.booleans()):
            engine["spares"] = draw(st.integers(0, 6))
        engine["removals_per_engine_year"] = draw(non_negative(0, 2))
        engine["depots"] = depots
        section[f"engine-{i}"] = engine
    names.engines = list(section)
    return section


@st.composite
def _depot(draw, certified: bool) -> dict:
    depot: dict[str, Any] = {
        "country": draw(st.sampled_from(COUNTRIES)),
        # A depot open from the start needs a line for sure; a certified one may have none.
        "lines": draw(non_negative(0, 3) if certified else st.integers(1, 3)),
        "turnaround_days": draw(st.one_of(non_negative(0, 150), positive_mean(90))),
    }
    if draw(st.booleans()):
        depot["transport_days"] = draw(non_negative(0, 20))
    if certified:
        depot["certification"] = {"days": draw(non_negative(0, 900))}
        if draw(st.booleans()):
            depot["certification"]["success"] = draw(fractions())
    return depot


Section = Callable[[Names], st.SearchStrategy[Any]]

SECTIONS: dict[str, Section] = {
    "items": items,
    "lines": lines,
    "shipping_days": shipping_days,
    "stockpiles": stockpiles,
    "demand": demand,
    "ship_repair": ship_repair,
    "engine_repair": engine_repair,
    "conflicts": conflicts,
}
"""Every section a generated scenario may hold, in drawing order (later ones may refer
to names drawn by earlier ones: conflicts damage fleets and speed up engine removals)."""

OPTIONAL = {
    "items",
    "lines",
    "shipping_days",
    "stockpiles",
    "demand",
    "ship_repair",
    "engine_repair",
    "conflicts",
}
"""Sections a valid document may leave out when they are empty (``ship_repair`` is
None when the document has no ships, and then may also be written as ``null``)."""


def parts(repair: bool | None = None) -> st.SearchStrategy[Parts]:
    """Which parts a document models: production alone, or with ship repair, engine
    repair or both (a quarter of those without production); `repair` True asks for ship
    or engine repair, False for none."""
    production_only = st.just(Parts())
    with_repair = st.builds(
        lambda ships, engines, alone: Parts(not alone, ships or not engines, engines),
        st.booleans(),
        st.booleans(),
        st.integers(0, 3).map(lambda n: n == 0),
    )
    if repair is None:
        return st.one_of(production_only, with_repair)
    return with_repair if repair else production_only


@st.composite
def valid_documents(draw, repair: bool | None = None) -> dict:
    """A small valid scenario document (a mapping, as read from YAML); with `repair`
    True, one that models ship or engine repair, False, production only."""
    names = Names(years=draw(st.integers(1, 3)), parts=draw(parts(repair)))
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
    document = copy.deepcopy(draw(valid_documents() if documents is None else documents))
    path = draw(st.sampled_from(leaves(document)))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    how = draw(st.sampled_from(["value", "typo", "unknown key", "remove", "dangling"]))
    if isinstance(parent, list) and how in ("typo", "unknown key"):
        how = "value"  # a list entry has no key; it can still go, or name nothing
    if how == "value":
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
        optional={
            key: yaml_values()
            for key in ("lines", "items", "demand", "conflicts", "ship_repair", "engine_repair")
        },
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
            "ship_repair: {yards: {y: {country: US, berths: .inf}}, fleets: {f: {homeport: US}}}\n",
            "ship_repair: {yards: [], fleets: {f: {homeport: US, emergent_per_year: .nan}}}\n",
            "engine_repair: {F110: {installed: 1e400, depots: {d: {country: US, lines: 1}}}}\n",
            "conflicts: [{name: w, start: 2026-01-01, days: 1, ship_damage_fleets: *a}]\n",
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
