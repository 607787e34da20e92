"""The import graph of ``sim/``: its cycles, and the imports placed inside functions.

An import inside a function hides a dependency from the reader and from tools, and a
cycle between modules means neither can be understood (or tested) without the other.
This script reads every module of the package with :mod:`ast` (nothing is imported, so
it also works on a broken tree) and reports:

* every strongly connected component of more than one module, counting imports at module
  level and inside functions alike (``if TYPE_CHECKING:`` imports are left out: they do
  not run);
* every import inside a function, and whether the line above it says why (a comment).

    python tools/import_graph.py            # report; exit status 1 if there is a cycle
    python tools/import_graph.py --edges    # also list the edges inside each cycle

``tests/test_architecture.py`` runs the same analysis, so a new cycle fails the suite.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


TYPE_CHECKING = {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
"""The tests of an ``if`` whose imports never run (``if not TYPE_CHECKING:`` ones do)."""
PRAGMAS = ("noqa", "type:", "pragma", "fmt:", "pyright:", "ruff:")
"""Comments for tools, not for readers."""


@dataclass(frozen=True)
class Import:
    """One import statement's target inside the package."""

    source: str
    target: str
    line: int
    in_function: bool
    explained: bool
    """Whether a comment at the end of the line, or above its block of imports, says why."""


@dataclass
class Graph:
    """Modules of a package and the imports between them."""

    modules: dict[str, Path]
    imports: list[Import] = field(default_factory=list)

    def targets(self, module: str) -> set[str]:
        """The modules `module` imports, directly."""
        return {entry.target for entry in self.imports if entry.source == module}

    def cycles(self) -> list[list[str]]:
        """Strongly connected components of more than one module (Tarjan)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []
        edges = {module: sorted(self.targets(module)) for module in self.modules}

        def visit(module: str) -> None:
            index[module] = low[module] = len(index)
            stack.append(module)
            on_stack.add(module)
            for target in edges[module]:
                if target not in index:
                    visit(target)
                    low[module] = min(low[module], low[target])
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(self.modules)))
        for module in self.modules:
            if module not in index:
                visit(module)
        return found


def read_graph(package: Path) -> Graph:
    """Parse every module under `package` and collect its imports of the package."""
    modules = {_module_name(path, package.parent): path for path in sorted(package.rglob("*.py"))}
    graph = Graph(modules)
    for name, path in modules.items():
        source = path.read_text()
        lines = source.splitlines()
        tree = ast.parse(source)
        found = list(_imports(tree))
        import_lines = {
            line for node, _ in found for line in range(node.lineno, (node.end_lineno or 0) + 1)
        }
        for node, in_function in found:
            explained = _has_comment(lines, node.lineno, import_lines)
            for target in _resolve(name, path, node, modules):
                # importing a.b.c first runs a/__init__ and a/b/__init__: edges too
                for reached in _with_parents(target, modules):
                    if reached != name and not name.startswith(reached + "."):
                        graph.imports.append(
                            Import(name, reached, node.lineno, in_function, explained)
                        )
    return graph


def _with_parents(module: str, modules: dict[str, Path]) -> list[str]:
    parts = module.split(".")
    found = [".".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return [candidate for candidate in found if candidate in modules]


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import that runs, with whether it sits inside a function."""

    def walk(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test) in TYPE_CHECKING:
                yield from walk(ast.Module(body=child.orelse, type_ignores=[]), in_function)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
                continue
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inside)

    yield from walk(tree, False)


def _resolve(
    module: str, path: Path, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]
) -> list[str]:
    if isinstance(node, ast.Import):
        return [_known(alias.name, modules) for alias in node.names if _known(alias.name, modules)]
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        if path.name != "__init__.py":
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, base] if base else parts)
    targets = []
    for alias in node.names:
        target = _known(f"{base}.{alias.name}", modules) or _known(base, modules)
        if target:
            targets.append(target)
    return targets


def _known(name: str, modules: dict[str, Path]) -> str:
    """The longest prefix of `name` that is a module of the package, or ''."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return ""


def _has_comment(lines: list[str], line: int, import_lines: set[int]) -> bool:
    """A comment in words ends the import's line, or stands above its block of imports (a
    linter's or type checker's pragma says nothing of why)."""
    if _says_why(lines[line - 1].partition("#")[2]):
        return True
    above = line - 1
    while above in import_lines:
        above -= 1
    text = lines[above - 1].strip() if above >= 1 else ""
    return text.startswith("#") and _says_why(text[1:])


def _says_why(comment: str) -> bool:
    words = comment.strip()
    return bool(words) and not words.startswith(PRAGMAS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, default=ROOT / "sim")
    parser.add_argument("--edges", action="store_true", help="list the edges inside each cycle")
    arguments = parser.parse_args(argv)
    graph = read_graph(arguments.package)
    inner = [entry for entry in graph.imports if entry.in_function]
    statements = {(entry.source, entry.line) for entry in inner}
    unexplained = {(e.source, e.line) for e in inner if not e.explained}
    print(f"{len(graph.modules)} modules, {len(graph.imports)} imports of the package")
    print(f"imports inside functions: {len(statements)} ({len(unexplained)} without a comment)")
    for source, line in sorted(unexplained):
        print(f"  {graph.modules[source].relative_to(ROOT)}:{line}")
    cycles = graph.cycles()
    print(f"cycles: {len(cycles)}")
    for component in cycles:
        print("  " + ", ".join(component))
        if arguments.edges:
            members = set(component)
            for entry in graph.imports:
                if entry.source in members and entry.target in members:
                    where = "inside a function" if entry.in_function else "module level"
                    print(f"    {entry.source} -> {entry.target} (line {entry.line}, {where})")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
