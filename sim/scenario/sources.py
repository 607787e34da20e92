"""Which public source backs which part of a scenario (``sim sources``)."""

from __future__ import annotations

from sim.costs.references import cost_sources
from sim.repair.references import repair_sources
from sim.scenario.model import Scenario
from sim.scenario.yamlsource import dotted


def citations(scenario: Scenario) -> dict[str, list[str]]:
    """For each entry that can cite sources (lines, demand, conflicts, repair, history): keys."""
    cited: dict[str, list[str]] = {}
    for name, line in scenario.lines.items():
        cited[f"lines.{name}"] = list(line.source)
        if line.initial is not None:
            cited[f"lines.{name}.initial"] = list(line.initial.source)
    for index, demand in enumerate(scenario.demand):
        cited[f"demand.{index} ({demand.item}, {demand.owner})"] = list(demand.source)
    for conflict in scenario.conflicts:
        cited[f"conflicts.{conflict.name}"] = list(conflict.source)
    cited.update({dotted(path): names for path, names in repair_sources(scenario).items()})
    cited.update(cost_sources(scenario))
    for metric, series in scenario.history.items():
        for year, _, keys in series.observations():
            cited[f"history.{metric}.{year}"] = keys
    return cited


def backing(scenario: Scenario) -> dict[str, list[str]]:
    """For each source key, the entries that cite it (in file order)."""
    backed: dict[str, list[str]] = {key: [] for key in scenario.sources}
    for entry, keys in citations(scenario).items():
        for key in keys:
            backed.setdefault(key, []).append(entry)
    return backed


def uncited(scenario: Scenario) -> list[str]:
    """Entries that cite no source: every number in them is an unsourced assumption."""
    return [entry for entry, keys in citations(scenario).items() if not keys]
