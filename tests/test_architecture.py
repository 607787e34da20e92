"""The package's shape: no import cycle, layers that import only downwards, and every
import inside a function explained (docs/design.md §3, issue #16).

The graph is read by ``tools/import_graph.py`` from the source (nothing is imported), with
the implicit imports of parent packages counted: importing ``a.b.c`` runs ``a/__init__``
and ``a/b/__init__`` first, and a cycle through a package's ``__init__`` breaks at import
time just as one between modules does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from import_graph import Graph, read_graph  # noqa: E402  (a script's module, not a package)

ABOVE_THE_MODEL = (
    "sim.loading",
    "sim.runs",
    "sim.execution",
    "sim.report",
    "sim.compare",
    "sim.sensitivity",
    "sim.bench",
    "sim.cli",
    "sim.api",
)
"""What reads, runs and reports scenarios: nothing below may depend on it."""

LAYERS = {
    "sim.scenario": (
        "sim.network",
        "sim.sampling",
        "sim.simulation",
        "sim.des",
        "sim.vector",
        *ABOVE_THE_MODEL,
    ),
    "sim.production": ("sim.sampling", "sim.simulation", "sim.des", "sim.vector", *ABOVE_THE_MODEL),
    "sim.repair": ("sim.simulation", "sim.des", "sim.vector", *ABOVE_THE_MODEL),
    "sim.des": ("sim.vector", "sim.simulation", *ABOVE_THE_MODEL),
    "sim.vector": ("sim.des", "sim.simulation", *ABOVE_THE_MODEL),
    "sim.simulation": ABOVE_THE_MODEL,
}
"""Each layer, and the modules it may not reach, directly or through others."""


@pytest.fixture(scope="module")
def graph() -> Graph:
    return read_graph(ROOT / "sim")


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _reached_from(graph: Graph, prefix: str) -> set[str]:
    seen: set[str] = set()
    waiting = [module for module in graph.modules if _within(module, prefix)]
    while waiting:
        module = waiting.pop()
        if module not in seen:
            seen.add(module)
            waiting.extend(graph.targets(module))
    return seen


def test_the_import_graph_has_no_cycle(graph: Graph) -> None:
    assert graph.cycles() == []


def test_the_graph_sees_a_cycle_through_a_package_init(tmp_path: Path) -> None:
    """The check itself: a cycle that only a package's ``__init__`` closes is found."""
    package = tmp_path / "toy"
    (package / "report").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "report" / "__init__.py").write_text("from toy.report.writer import write\n")
    (package / "report" / "writer.py").write_text("from toy.compare import pair\n")
    (package / "report" / "table.py").write_text("")
    (package / "compare.py").write_text("from toy.report.table import *\n")
    assert read_graph(package).cycles() == [["toy.compare", "toy.report", "toy.report.writer"]]


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_layer_imports_only_downwards(graph: Graph, layer: str) -> None:
    reached = _reached_from(graph, layer)
    forbidden = sorted(
        module for module in reached for above in LAYERS[layer] if _within(module, above)
    )
    assert forbidden == [], f"{layer} reaches {forbidden}"


def test_every_import_inside_a_function_says_why(graph: Graph) -> None:
    """Only start-up speed or an optional extra justifies one, and a comment says which."""
    unexplained = sorted(
        f"{graph.modules[entry.source].relative_to(ROOT)}:{entry.line}"
        for entry in graph.imports
        if entry.in_function and not entry.explained
    )
    assert unexplained == []


def test_a_pragma_does_not_say_why_and_a_type_checking_branch_does_not_run(tmp_path: Path) -> None:
    package = tmp_path / "toy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "table.py").write_text("")
    (package / "report.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from toy import table as for_types\n"
        "if not TYPE_CHECKING:\n"
        "    from toy import table as at_run_time\n"
        "def draw():\n"
        "    from toy import table  # noqa: PLC0415\n"
        "def write():\n"
        "    # matplotlib loads only when figures are drawn\n"
        "    from toy import table\n"
    )
    graph = read_graph(package)
    found = [(entry.line, entry.in_function, entry.explained) for entry in graph.imports]
    assert found == [(5, False, False), (7, True, False), (10, True, True)]
