"""Read YAML while remembering where every value came from.

PyYAML's loaders return plain dicts and lists and forget line numbers; they also let a
duplicated key silently overwrite the first. Scenario errors must point at a line, and a
duplicated key is almost always a mistake, so we compose the node graph ourselves and
build the Python values from it, recording the line of each dotted path on the way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, ScenarioError, shown

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value of a YAML document was written: line (1-based) and file, by path.

    A document merged from several files (``extends:``) or changed on the command line
    (``--set``) keeps, for every path, the file that last set it.
    """

    file: str
    lines: dict[Path_, int] = field(default_factory=dict)
    files: dict[Path_, str] = field(default_factory=dict)
    """Paths whose value came from a file other than `file`."""

    def location_of(self, path: Path_) -> tuple[str, int]:
        """File and line of `path`, or of its nearest ancestor that was written somewhere."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.files.get(path, self.file), self.lines[path]
            path = path[:-1]
        return self.files.get((), self.file), self.lines.get((), 1)

    def line_of(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that appears in the file."""
        return self.location_of(path)[1]

    def problem(self, path: Path_, message: str) -> Problem:
        """A :class:`Problem` located at `path`."""
        file, line = self.location_of(path)
        return Problem(file, line, dotted(path), message)


def dotted(path: Path_) -> str:
    """Render a path as the dotted form users see (`lines.pac3-us.capacity`)."""
    return ".".join(str(part) for part in path)


class _Loader(yaml.SafeLoader):
    """A safe loader that reads scalars the YAML 1.2 way.

    YAML 1.1 reads ``NO``, ``yes``, ``on`` and ``off`` as booleans (so a country code NO
    would become False) and ``1e3`` as a string. Scenario authors expect neither.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def read_yaml(path: str | Path, text: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python values and a :class:`SourceMap`.

    Raises :class:`ScenarioError` for syntax errors and duplicated keys.
    """
    name = str(path)
    if text is None:
        try:
            _check_size(name, Path(path).stat().st_size)
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ScenarioError([Problem(name, 1, "", "no such file")]) from None
        except (OSError, UnicodeDecodeError) as error:
            raise ScenarioError([Problem(name, 1, "", f"cannot read: {error}")]) from None
    _check_size(name, len(text))
    source = SourceMap(name)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_syntax_problem(name, error)]) from None
    except yaml.reader.ReaderError as error:  # a control character, found before parsing
        line = text.count("\n", 0, error.position) + 1
        message = f"YAML syntax: character #x{error.character:04x} is not allowed in YAML"
        raise ScenarioError([Problem(name, line, "", message)]) from None
    except yaml.YAMLError as error:
        raise ScenarioError([Problem(name, 1, "", f"YAML syntax: {error}")]) from None
    except RecursionError:
        raise ScenarioError([Problem(name, 1, "", "YAML nested too deeply to read")]) from None
    if node is None:
        return None, source
    problems: list[Problem] = []
    value = _build(node, (), source, _Loader(""), problems)
    if problems:
        raise ScenarioError(problems)
    return value, source


MAX_FILE_BYTES = 5_000_000
"""Largest scenario file read: reading YAML costs about 70 bytes of memory per byte of
text, so a 50 MB file of keys cost 3.5 GB before any other guard could speak."""
MAX_DEPTH = 50
"""Deepest nesting read; deeper is a mistake, or an alias inside itself (``&a [*a]``)."""
MAX_VALUES = 100_000
"""Most values a document may expand to (aliases nested in aliases can explode); the
shipped scenarios have a few thousand."""


def _build(
    node: yaml.Node, path: Path_, source: SourceMap, builder: _Loader, problems: list[Problem]
) -> Any:
    if len(path) > MAX_DEPTH:
        message = f"nested more than {MAX_DEPTH} levels deep (is an alias inside itself?)"
        raise ScenarioError([source.problem(path[:3], message)])
    if len(source.lines) > MAX_VALUES:
        message = f"more than {MAX_VALUES:,} values (aliases repeated inside aliases?)"
        raise ScenarioError([source.problem(path[:1], message)])
    source.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(source.problem(path, "YAML merge keys (<<) are not supported"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    source.problem(path, "keys must be plain names, not lists or mappings")
                )
                continue
            key = str(key_node.value)  # names are text, whatever they look like
            child = (*path, key)
            if key in result:
                first = source.lines.get(child)
                problems.append(
                    Problem(
                        source.file,
                        key_node.start_mark.line + 1,
                        dotted(child),
                        f"duplicate key (first given on line {first})",
                    )
                )
                continue
            source.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, source, builder, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), source, builder, problems)
            for index, item in enumerate(node.value)
        ]
    try:
        value = builder.construct_object(node, deep=True)
    # PyYAML's constructors fail in several ways on odd input (an explicit
    # ``!!timestamp notadate`` is an AttributeError deep inside it)
    except (
        ValueError,
        TypeError,
        AttributeError,
        OverflowError,
        yaml.constructor.ConstructorError,
    ):
        if node.tag == "tag:yaml.org,2002:timestamp":
            problems.append(
                source.problem(path, f"'{shown(node.value)}' is not a date (write YYYY-MM-DD)")
            )
        else:
            problems.append(source.problem(path, f"cannot read '{shown(node.value)}'"))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        # NaN passes every range check (comparisons with it are false) and infinity
        # overflows counts: neither is a quantity, so neither is read
        problems.append(source.problem(path, f"'{shown(node.value)}' is not a finite number"))
        return None
    return value


def _check_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        message = (
            f"{size:,} bytes: larger than a scenario can be ({MAX_FILE_BYTES:,} bytes; "
            "the shipped ones are under 100,000)"
        )
        raise ScenarioError([Problem(name, 1, "", message)])


def _syntax_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    """A syntax error in words, pointing at the problem and at where the construct began."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    problem = (error.problem or "invalid YAML").replace("<stream end>", "the end of the file")
    problem = problem.replace("<block end>", "the end of the block").replace(
        "<block mapping start>", "a new key"
    )
    message = f"YAML syntax: {problem}"
    context = error.context_mark
    if error.context and context is not None and context.line + 1 != line:
        construct = error.context.removeprefix("while parsing a ").removeprefix("while scanning a ")
        message += f" (in the {construct} that starts on line {context.line + 1})"
    return Problem(name, line, "", message)
