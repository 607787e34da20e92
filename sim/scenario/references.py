"""The second pass over a scenario: do its entries agree with each other?

Pydantic checks each entry on its own. Here we check names that must resolve (items,
lines, sources), routes that must lead somewhere useful, shipping lanes that must exist
for goods to cross between countries, and a component network without cycles (a line
cannot, even indirectly, consume its own output). Each finding is a (path, message) pair
that the loader turns into ``FILE:LINE: path: message``.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.costs.references import check_costs, cost_source_paths
from sim.errors import ECHO_LIMIT, shown
from sim.production.initial import check_line_initial
from sim.production.orders import check_orders
from sim.repair.references import check_repair, repair_sources
from sim.scenario.history import check_history
from sim.scenario.model import Scenario
from sim.scenario.yamlsource import Path_

Finding = tuple[Path_, str]


def check_references(scenario: Scenario) -> list[Finding]:
    """Every inconsistency between the entries of `scenario`."""
    return [
        *_items(scenario),
        *_routes(scenario),
        *_inputs_supplied(scenario),
        *_cycles(scenario),
        *_sources(scenario),
        *_dates(scenario),
        *_surges(scenario),
        *check_repair(scenario),
        *check_line_initial(scenario),
        *check_history(scenario),
        *check_costs(scenario),
        *check_orders(scenario),
    ]


def _unknown(kind: str, name: str, known: list[str]) -> str:
    listing = shown(", ".join(known), 3 * ECHO_LIMIT) if known else "none are defined"
    return f"unknown {kind} '{shown(name)}' (known: {listing})"


def _items(scenario: Scenario) -> Iterator[Finding]:
    items = list(scenario.items)
    for name, line in scenario.lines.items():
        if line.makes not in scenario.items:
            yield ("lines", name, "makes"), _unknown("item", line.makes, items)
        for item in line.inputs:
            if item not in scenario.items:
                yield ("lines", name, "inputs", item), _unknown("item", item, items)
    for item in scenario.stockpiles:
        if item not in scenario.items:
            yield ("stockpiles", item), _unknown("item", item, items)
    for index, demand in enumerate(scenario.demand):
        if demand.item not in scenario.items:
            yield ("demand", index, "item"), _unknown("item", demand.item, items)
    for index, conflict in enumerate(scenario.conflicts):
        for item in conflict.consumption_per_day:
            if item not in scenario.items:
                yield (
                    ("conflicts", index, "consumption_per_day", item),
                    _unknown("item", item, items),
                )


def _surges(scenario: Scenario) -> Iterator[Finding]:
    """Surging lines must exist, and a line may surge in one conflict only; a surge's
    supplemental orders go to its own lines that are funded by orders."""
    lines = list(scenario.lines)
    surged: dict[str, str] = {}
    for index, conflict in enumerate(scenario.conflicts):
        if conflict.surge is None:
            continue
        for k, name in enumerate(conflict.surge.lines):
            path: Path_ = ("conflicts", index, "surge", "lines", k)
            if name not in scenario.lines:
                yield path, _unknown("line", name, lines)
            elif name in surged:
                yield (
                    path,
                    f"line '{shown(name)}' already surges in conflict '{shown(surged[name])}' "
                    "(a line may surge in one conflict only)",
                )
            else:
                surged[name] = conflict.name
        for name in conflict.surge.orders:
            path = ("conflicts", index, "surge", "orders", name)
            if name not in conflict.surge.lines:
                yield path, f"line '{shown(name)}' does not surge in this conflict"
            elif scenario.lines[name].orders is None:
                yield (
                    path,
                    f"line '{shown(name)}' has no orders: its starts are not gated by "
                    "funding, so a supplemental award would change nothing",
                )


def _lane(scenario: Scenario, origin: str, destination: str) -> str | None:
    """The shipping lane needed between two countries, if it is missing."""
    if origin == destination:
        return None
    lane = f"{origin}-{destination}"
    return None if lane in scenario.shipping_days else lane


def countries(scenario: Scenario) -> set[str]:
    """The countries that have lines (a stock owner outside this set is a customer)."""
    return {line.country for line in scenario.lines.values()}


def _routes(scenario: Scenario) -> Iterator[Finding]:
    lines = list(scenario.lines)
    homes = countries(scenario)
    for name, line in scenario.lines.items():
        routes = line.destination()
        base = ("lines", name, "routes")
        for owner in routes.stock_shares():
            if owner in homes and (lane := _lane(scenario, line.country, owner)):
                yield (
                    (*base, "stock"),
                    f"goods from {line.country} to {owner} need shipping_days.{lane}",
                )
        for target in routes.lines():
            path = (*base, "line", target)
            if target not in scenario.lines:
                yield path, _unknown("line", target, lines)
                continue
            if target == name:
                yield path, "a line cannot route output to itself"
                continue
            consumer = scenario.lines[target]
            if line.makes not in consumer.inputs:
                yield path, f"line '{target}' does not take {line.makes} as an input"
            if lane := _lane(scenario, line.country, consumer.country):
                yield (
                    path,
                    f"goods from {line.country} to {consumer.country} need shipping_days.{lane}",
                )


def _inputs_supplied(scenario: Scenario) -> Iterator[Finding]:
    supplied: set[tuple[str, str]] = set()
    for line in scenario.lines.values():
        for target in line.destination().lines():
            supplied.add((target, line.makes))
    for name, line in scenario.lines.items():
        for item in line.inputs:
            if item in scenario.items and (name, item) not in supplied:
                yield (
                    ("lines", name, "inputs", item),
                    (f"no line routes {item} to '{name}', so it could never start a unit"),
                )


def _cycles(scenario: Scenario) -> Iterator[Finding]:
    order = order_lines(scenario, partial=True) or []
    stuck = [name for name in scenario.lines if name not in order]
    if stuck:
        yield (
            ("lines", stuck[0]),
            (
                "routes between lines form a cycle (a line would consume its own output) among: "
                + ", ".join(stuck)
            ),
        )


def order_lines(scenario: Scenario, partial: bool = False) -> list[str] | None:
    """Lines with every supplier before its consumers, or None if the routes have a cycle.

    With `partial`, return the lines that could be ordered even when others are in a cycle.
    """
    consumers = {
        name: [t for t in line.destination().lines() if t in scenario.lines]
        for name, line in scenario.lines.items()
    }
    waiting = {name: 0 for name in scenario.lines}
    for targets in consumers.values():
        for target in targets:
            waiting[target] += 1
    ready = [name for name, count in waiting.items() if count == 0]
    order: list[str] = []
    while ready:
        name = ready.pop(0)
        order.append(name)
        for target in consumers[name]:
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return order if partial or len(order) == len(scenario.lines) else None


def _sources(scenario: Scenario) -> Iterator[Finding]:
    known = list(scenario.sources)
    cited: list[tuple[Path_, list[str]]] = [
        (("lines", name, "source"), line.source) for name, line in scenario.lines.items()
    ]
    cited += [(("demand", i, "source"), d.source) for i, d in enumerate(scenario.demand)]
    cited += [(("conflicts", i, "source"), c.source) for i, c in enumerate(scenario.conflicts)]
    cited += [
        (("lines", name, "initial", "source"), line.initial.source)
        for name, line in scenario.lines.items()
        if line.initial is not None
    ]
    cited += [((*entry, "source"), names) for entry, names in repair_sources(scenario).items()]
    cited += cost_source_paths(scenario)
    for path, names in cited:
        for index, name in enumerate(names):
            if name not in scenario.sources:
                yield (*path, index), _unknown("source", name, known)


def _dates(scenario: Scenario) -> Iterator[Finding]:
    for index, demand in enumerate(scenario.demand):
        if demand.start and demand.start >= scenario.end:
            yield ("demand", index, "start"), f"starts after the horizon ends ({scenario.end})"
