"""Every number of a scenario document, by dotted path: for tests that change one."""

from __future__ import annotations

from pathlib import Path

from sim.scenario.variants import read_document


def numeric_paths(scenario: Path) -> list[str]:
    """Dotted paths of every number in a shipped scenario, its bases merged in."""
    data, _, _ = read_document(scenario)
    found: list[str] = []

    def walk(value, path: tuple) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found.append(".".join(map(str, path)))

    walk(data, ())
    return [path for path in found if "." in path]
