"""Scenario variants: ``extends:`` between files and ``--set`` overrides.

A variant is written as the few keys that differ from a base scenario:

* ``extends: co-production.yaml`` (relative to the file) deep-merges the file onto its
  base: mappings merge key by key, the child's keys win, lists and scalars are replaced
  whole, and a key set to ``null`` removes the inherited entry. Bases may extend others.
  Scenarios read only scenarios: ``extends`` must name a ``.yaml``/``.yml`` file inside
  the folder of the scenario given (or below it), unless the caller allows more
  (``--allow-extends-outside``). A scenario received from someone else must not be able
  to read the recipient's other files and print them back through error messages.
* ``--set lines.pac3-jp.opens=2028-01-01`` changes one value for one run; the value is
  read as YAML, so ``--set 'lines.x.flow_days={uniform: [200, 300]}'`` works too.

The merged document is validated as a whole, and every value keeps the file and line it
came from, so an error inherited from a base file points into that file.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

from sim.errors import Problem, ScenarioError, shown
from sim.scenario.yamlsource import Path_, SourceMap, dotted, read_yaml

OVERRIDES_FILE = "--set"
"""The 'file' named in errors about command-line overrides."""


SCENARIO_SUFFIXES = (".yaml", ".yml")


def read_document(
    path: str | Path, allow_extends_outside: bool = False
) -> tuple[Any, SourceMap, list[Path]]:
    """A scenario document with its ``extends:`` chain merged in.

    Returns the data, where each value came from, and the files read (the scenario first).
    Every file extended must lie in the scenario's folder tree unless
    `allow_extends_outside`.
    """
    path = Path(path)
    tree = None if allow_extends_outside else path.resolve().parent
    return _read(path, [], tree)


def _read(path: Path, chain: list[Path], tree: Path | None) -> tuple[Any, SourceMap, list[Path]]:
    data, source = read_yaml(path)
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(str(p) for p in [*chain, resolved])
        raise ScenarioError([source.problem(("extends",), f"extends itself: {cycle}")])
    if not isinstance(data, dict) or "extends" not in data:
        return data, source, [path]
    base_name = data.pop("extends")
    if not isinstance(base_name, str) or not base_name.strip():
        raise ScenarioError([source.problem(("extends",), "must name a scenario file")])
    base_path = path.parent / base_name
    _check_extends(base_name, base_path, tree, source)
    base, base_source, files = _read(base_path, [*chain, resolved], tree)
    if not isinstance(base, dict):
        raise ScenarioError([base_source.problem((), "a scenario must be a YAML mapping of keys")])
    merged, merged_source = merge(base, base_source, data, source)
    return merged, merged_source, [path, *files]


def _check_extends(name: str, base_path: Path, tree: Path | None, source: SourceMap) -> None:
    """Refuse an ``extends:`` target that is not a scenario file in the scenario's tree.

    Checked before the file is opened, so nothing of a refused file is read; messages
    repeat the name given only cut short.
    """
    if base_path.suffix.lower() not in SCENARIO_SUFFIXES:
        message = f"'{shown(name)}' is not a scenario file (it must end in .yaml or .yml)"
        raise ScenarioError([source.problem(("extends",), message)])
    if tree is not None and not base_path.resolve().is_relative_to(tree):
        message = (
            f"'{shown(name)}' lies outside the scenario's folder ({shown(tree, 60)}); "
            "pass --allow-extends-outside to follow it"
        )
        raise ScenarioError([source.problem(("extends",), message)])
    if not base_path.is_file():
        message = f"no such file: {shown(name)}"
        raise ScenarioError([source.problem(("extends",), message)])


def merge(
    base: dict[str, Any], base_source: SourceMap, top: dict[str, Any], top_source: SourceMap
) -> tuple[dict[str, Any], SourceMap]:
    """Deep-merge `top` onto `base`; locations follow whichever document set each value."""
    source = SourceMap(top_source.file)
    _adopt(source, base_source, ())
    result = _merge_values(copy.deepcopy(base), top, (), source, top_source)
    return result, source


def _merge_values(
    base: Any, top: Any, path: Path_, source: SourceMap, top_source: SourceMap
) -> Any:
    if isinstance(base, dict) and isinstance(top, dict):
        for key, value in top.items():
            child = (*path, key)
            if value is None:
                base.pop(key, None)
                _forget(source, child)
            elif key in base:
                _locate(source, top_source, child)
                base[key] = _merge_values(base[key], value, child, source, top_source)
            else:
                _forget(source, child)
                _adopt(source, top_source, child)
                base[key] = value
        return base
    _forget(source, path)
    _adopt(source, top_source, path)
    return top


def _locate(source: SourceMap, origin: SourceMap, path: Path_) -> None:
    if path in origin.lines:
        source.lines[path] = origin.lines[path]
        source.files[path] = origin.files.get(path, origin.file)


def _adopt(source: SourceMap, origin: SourceMap, prefix: Path_) -> None:
    """Copy the locations of `prefix` and everything under it from `origin`."""
    for path, line in origin.lines.items():
        if path[: len(prefix)] == prefix:
            source.lines[path] = line
            source.files[path] = origin.files.get(path, origin.file)


def _forget(source: SourceMap, prefix: Path_) -> None:
    for path in [p for p in source.lines if p[: len(prefix)] == prefix and p != ()]:
        source.lines.pop(path)
        source.files.pop(path, None)


NAMED_ENTRIES = (
    ("items",),
    ("lines",),
    ("stockpiles",),
    ("sources",),
    ("engine_repair",),
    ("ship_repair", "yards"),
    ("ship_repair", "fleets"),
)
"""Mappings keyed by names the scenario defines: ``--set`` may change an entry of these
but not invent one by a typo (``lines.amraam-japan.opens`` for ``amraam-jp``)."""


def apply_overrides(
    data: dict[str, Any], source: SourceMap, overrides: list[str]
) -> dict[str, Any]:
    """Apply ``PATH=VALUE`` overrides in order; problems name ``--set`` and the position.

    Values are read by the scenario files' own YAML loader (:func:`read_yaml`), with the
    same guards: dates checked, nesting and size bounded, YAML 1.2 booleans.
    """
    problems: list[Problem] = []
    data = copy.deepcopy(data)
    for position, text in enumerate(overrides, start=1):
        try:
            path, value = _parse_override(position, text)
            _place(data, path, value, position)
        except ScenarioError as error:
            problems.extend(error.problems)
            continue
        key = tuple(str(p) if not isinstance(p, int) else p for p in path)
        _forget(source, key)
        source.lines[key] = position
        source.files[key] = OVERRIDES_FILE
    if problems:
        raise ScenarioError(problems)
    return data


def _parse_override(position: int, text: str) -> tuple[Path_, Any]:
    """The path and the value of one ``PATH=VALUE`` override."""
    path_text, separator, value_text = text.partition("=")
    if not separator or not path_text.strip():
        message = f"'{shown(text)}' is not PATH=VALUE"
        raise ScenarioError([Problem(OVERRIDES_FILE, position, "", message)])
    path = tuple(int(part) if part.isdigit() else part for part in path_text.strip().split("."))
    if not value_text.strip():
        return path, None
    try:
        value, _ = read_yaml(OVERRIDES_FILE, text=value_text)
    except ScenarioError as error:
        messages = "; ".join(problem.message for problem in error.problems)
        message = f"cannot read the value '{shown(value_text)}': {messages}"
        raise ScenarioError([Problem(OVERRIDES_FILE, position, path_text, message)]) from None
    return path, value


def _place(data: dict[str, Any], path: Path_, value: Any, position: int) -> None:
    """Put `value` at `path` in `data`, creating missing mappings but not named entries.

    A whole new entry may be given (``lines.new={...}``), but a path that runs through a
    name the scenario does not define is a typo, reported with the closest name.
    """
    node: Any = data
    for depth, part in enumerate(path):
        here = path[: depth + 1]
        last = depth == len(path) - 1
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            if last:
                node[part] = value
            else:
                node = node[part]
            continue
        if not isinstance(node, dict):
            raise _refused(position, here, "no such entry")
        key = str(part)
        if key not in node and not last and path[:depth] in NAMED_ENTRIES:
            raise _refused(position, here, _no_entry(node, key, path[:depth]))
        if last:
            node[key] = value
        else:
            node = node.setdefault(key, {})


def _refused(position: int, path: Path_, message: str) -> ScenarioError:
    return ScenarioError([Problem(OVERRIDES_FILE, position, dotted(path), message)])


def _no_entry(node: dict[Any, Any], key: str, parent: Path_) -> str:
    """'no line amraam-japan (did you mean amraam-jp?)'."""
    kind = str(parent[-1]).removesuffix("s") if parent[-1] != "engine_repair" else "engine type"
    if parent[-1] == "stockpiles":
        kind = "stockpile of an item"
    close = difflib.get_close_matches(key, [str(name) for name in node], n=1, cutoff=0.6)
    hint = f" (did you mean {shown(close[0])}?)" if close else ""
    return f"no {kind} {shown(key)} in the scenario{hint}"
