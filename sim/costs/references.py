"""Second-pass checks of the cost keys: names that must resolve, a price to learn from.

Each finding is a (path, message) pair that :mod:`sim.loading` reports as
``FILE:LINE: path: message`` (exit 2), like :mod:`sim.scenario.references`.
"""

from __future__ import annotations

from collections.abc import Iterator

from sim.scenario.model import Scenario
from sim.scenario.yamlsource import Path_

Finding = tuple[Path_, str]


def check_costs(scenario: Scenario) -> Iterator[Finding]:
    """Every inconsistency of the cost keys with the rest of `scenario`."""
    for name, line in scenario.lines.items():
        item = scenario.items.get(line.makes)
        unpriced = item is not None and item.unit_cost_musd is None
        if line.cost is not None and line.cost.unit_cost_musd is None and unpriced:
            yield (
                ("lines", name, "cost"),
                f"no unit cost to learn from: give unit_cost_musd here or on item '{line.makes}'",
            )
    seen: set[str] = set()
    for index, investment in enumerate(scenario.investments):
        path = ("investments", index)
        if investment.name in seen:
            yield (*path, "name"), f"'{investment.name}' is named twice; names must be unique"
        seen.add(investment.name)
        anchor = investment.anchor()
        if anchor is None:
            if investment.country is None:
                yield (*path, "country"), "who pays an investment on a date: give its country"
            continue
        kind, name = anchor
        known = _openings(scenario, kind)
        if name not in known:
            listing = ", ".join(known) or "none are defined"
            yield (*path, kind), f"unknown {kind} '{name}' (known: {listing})"


def _openings(scenario: Scenario, kind: str) -> list[str]:
    """The lines, yards or depots (ENGINE_TYPE.DEPOT) an investment may be tied to."""
    if kind == "line":
        return list(scenario.lines)
    if kind == "yard":
        return list(scenario.ship_repair.yards) if scenario.ship_repair else []
    return [
        f"{engine}.{depot}"
        for engine, kind_ in scenario.engine_repair.items()
        for depot in kind_.depots
    ]


def cost_sources(scenario: Scenario) -> dict[str, list[str]]:
    """The sources cited by the cost keys: ``lines.<line>.cost`` and ``investments.<name>``."""
    cited = {
        f"lines.{name}.cost": list(line.cost.source)
        for name, line in scenario.lines.items()
        if line.cost is not None
    }
    cited.update({f"investments.{i.name}": list(i.source) for i in scenario.investments})
    return cited


def cost_source_paths(scenario: Scenario) -> list[tuple[Path_, list[str]]]:
    """The same citations with their paths in the file, for unknown-source findings."""
    paths: list[tuple[Path_, list[str]]] = [
        (("lines", name, "cost", "source"), list(line.cost.source))
        for name, line in scenario.lines.items()
        if line.cost is not None
    ]
    paths += [
        (("investments", index, "source"), list(investment.source))
        for index, investment in enumerate(scenario.investments)
    ]
    return paths
