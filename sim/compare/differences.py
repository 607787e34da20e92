"""What differs between two runs' inputs: scenario keys, ``--set`` overrides, seed, size.

A comparison is only readable when its reader knows what was changed between the two
runs. Each run's report.json keeps the scenario it simulated (``scenario.resolved``:
``extends:`` resolved, ``--set`` applied), so the two documents are walked side by side
and every key whose value differs is listed by its dotted path — the same path
``--set`` takes (``lines.amraam-jp.opens``, ``conflicts.0.surge.approved``). A key
present in one run only (a line added, an item removed) is listed once, at the highest
level where it appears, not leaf by leaf. Reports written before the scenario was kept
give no key-level changes; the comparison then says so instead of claiming none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sim.compare.load import RunFolder

Kind = Literal["changed", "added", "removed"]

SHOWN_CHARACTERS = 60
"""Longest value written out in comparison.md (comparison.json has it whole)."""


@dataclass(frozen=True)
class Change:
    """One scenario key that differs: its dotted path and its value in each run."""

    path: str
    kind: Kind
    a: Any = None
    """The value in run A (None when the key was added in B)."""
    b: Any = None
    """The value in run B (None when the key was removed in B)."""

    def json(self) -> dict[str, Any]:
        """As comparison.json gives it: path, kind, and the value of each run it is in."""
        entry: dict[str, Any] = {"path": self.path, "kind": self.kind}
        if self.kind != "added":
            entry["a"] = self.a
        if self.kind != "removed":
            entry["b"] = self.b
        return entry

    def words(self) -> str:
        """'lines.amraam-jp.opens: 2028-01-01 → 2029-01-01', 'lines.pac3-jp: added (…)'."""
        if self.kind == "added":
            return f"{self.path}: added in B ({shown(self.b)})"
        if self.kind == "removed":
            return f"{self.path}: removed in B (was {shown(self.a)})"
        return f"{self.path}: {shown(self.a)} → {shown(self.b)}"


@dataclass(frozen=True)
class RunDifferences:
    """How run B's inputs differ from run A's."""

    recorded: bool
    """Whether both reports keep their scenario (older reports do not): `changes` is
    only meaningful when they do."""
    changes: list[Change] = field(default_factory=list)
    overrides_a: list[str] = field(default_factory=list)
    overrides_b: list[str] = field(default_factory=list)
    settings: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Run settings that differ (scenario name, seed, replications, engine, sim version):
    name → (A's, B's)."""

    def json(self) -> dict[str, Any]:
        """The ``differences`` entry of comparison.json."""
        return {
            "scenario_recorded": self.recorded,
            "changes": [change.json() for change in self.changes],
            "overrides": {"a": self.overrides_a, "b": self.overrides_b},
            "run": {name: {"a": a, "b": b} for name, (a, b) in self.settings.items()},
        }

    def lines(self, label_a: str, label_b: str) -> list[str]:
        """The 'What differs' of comparison.md, a line each: run settings, overrides, then
        at most :data:`LISTED_CHANGES` scenario keys (comparison.json lists them all)."""
        lines = [
            f"{SETTING_WORDS[name]}: {_setting(name, a)} → {_setting(name, b)}"
            for name, (a, b) in self.settings.items()
        ]
        if self.overrides_a == self.overrides_b and self.overrides_a:
            lines.append(f"Overrides (--set) of both runs: {', '.join(self.overrides_a)}")
        elif self.overrides_a != self.overrides_b:
            for label, overrides in ((label_a, self.overrides_a), (label_b, self.overrides_b)):
                lines.append(f"Overrides (--set) of {label}: {', '.join(overrides) or 'none'}")
        if not self.recorded:
            lines.append(
                "Scenario keys: not known — a report.json was written by an older sim that did "
                "not keep the scenario it ran (run it again to see them)"
            )
        # what was simulated first; citations and wording after, sources in one line
        model = [c for c in self.changes if c.path.split(".")[0] not in _WORDING]
        lines += [change.words() for change in model[:LISTED_CHANGES]]
        if len(model) > LISTED_CHANGES:
            more = len(model) - LISTED_CHANGES
            lines.append(f"… and {more:,} more scenario keys (comparison.json lists them all)")
        cited = [c for c in self.changes if c.path.split(".")[0] == "sources"]
        if cited:
            counts = {kind: sum(c.kind == kind for c in cited) for kind in _KINDS}
            said = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
            keys = ", ".join(c.path.split(".", 1)[-1] for c in cited[:4])
            lines.append(f"sources: {said} ({keys}{', …' if len(cited) > 4 else ''})")
        lines += [c.words() for c in self.changes if c.path.split(".")[0] == "description"]
        if self.none:
            lines.append("Nothing: the same scenario, overrides, seed and replications.")
        return lines

    @property
    def none(self) -> bool:
        """Whether nothing at all differs (the same inputs run twice)."""
        same_overrides = self.overrides_a == self.overrides_b
        return self.recorded and not self.changes and same_overrides and not self.settings


LISTED_CHANGES = 30
"""Scenario keys listed in comparison.md: a reader wants the gist, a script reads the JSON."""

SETTING_WORDS = {
    "scenario": "Scenario",
    "seed": "Seed",
    "replications": "Replications",
    "engine": "Engine",
    "sim_version": "sim version",
}

_WORDING = ("sources", "description")
"""Top-level keys that cite or describe rather than change what is simulated."""
_KINDS: tuple[Kind, ...] = ("changed", "added", "removed")

SETTINGS = (
    ("scenario", "scenario", "name"),
    ("seed", "run", "seed"),
    ("replications", "run", "replications"),
    ("engine", "run", "engine"),
    ("sim_version", "run", "sim_version"),
)
"""Run settings compared, and where report.json keeps each."""


def run_differences(run_a: RunFolder, run_b: RunFolder) -> RunDifferences:
    """How `run_b`'s scenario and settings differ from `run_a`'s."""
    documents = [run.report["scenario"].get("resolved") for run in (run_a, run_b)]
    # an empty document is a scenario not read from a file (built in Python): unknown
    recorded = all(isinstance(document, dict) and document for document in documents)
    changes = scenario_changes(documents[0], documents[1]) if recorded else []
    settings = {}
    for name, section, key in SETTINGS:
        a = run_a.report.get(section, {}).get(key)
        b = run_b.report.get(section, {}).get(key)
        if a != b:
            settings[name] = (a, b)
    return RunDifferences(
        recorded=recorded,
        changes=changes,
        overrides_a=_overrides(run_a),
        overrides_b=_overrides(run_b),
        settings=settings,
    )


def scenario_changes(a: Any, b: Any, path: str = "") -> list[Change]:
    """Every dotted path where documents `a` and `b` differ, in `a`'s key order.

    Mappings are walked key by key and lists element by element (an element's path is
    its index, as ``--set`` writes it); anything else is compared as a value. The
    scenario's ``name`` is left out: it is in the run settings.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        changes = []
        for key in [*a, *(key for key in b if key not in a)]:
            if not path and key == "name":
                continue
            inner = f"{path}.{key}" if path else str(key)
            if key not in b:
                changes.append(Change(inner, "removed", a=a[key]))
            elif key not in a:
                changes.append(Change(inner, "added", b=b[key]))
            else:
                changes += scenario_changes(a[key], b[key], inner)
        return changes
    if isinstance(a, list) and isinstance(b, list):
        changes = []
        for index in range(max(len(a), len(b))):
            inner = f"{path}.{index}" if path else str(index)
            if index >= len(b):
                changes.append(Change(inner, "removed", a=a[index]))
            elif index >= len(a):
                changes.append(Change(inner, "added", b=b[index]))
            else:
                changes += scenario_changes(a[index], b[index], inner)
        return changes
    if a == b and isinstance(a, bool) == isinstance(b, bool):  # 1 and 1.0 alike, not True
        return []
    return [Change(path, "changed", a=a, b=b)]


def shown(value: Any) -> str:
    """A value as a reader would write it, shortened past :data:`SHOWN_CHARACTERS`."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{key}: {_brief(inner)}" for key, inner in value.items()) + "}"
    else:
        text = json.dumps(value, ensure_ascii=False)
    if len(text) > SHOWN_CHARACTERS:
        text = text[: SHOWN_CHARACTERS - 1] + "…"
    return text


def _brief(value: Any) -> str:
    """A value inside a mapping being shown: itself if plain, else a mark of its kind."""
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _setting(name: str, value: Any) -> str:
    if name == "replications" and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _overrides(run: RunFolder) -> list[str]:
    overrides = run.report["scenario"].get("overrides")
    return [str(entry) for entry in overrides] if isinstance(overrides, list) else []
