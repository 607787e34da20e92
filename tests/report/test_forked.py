"""Pieces of a report done in forked processes: the same results as one process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from sim.loading import load_scenario
from sim.report import forked
from sim.report.figures import write_figures
from sim.report.json import build_report
from sim.runs.montecarlo import run

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork whatever else pytest runs (its own threads would otherwise rule it out)."""
    monkeypatch.setattr(forked, "_can_fork", lambda: True)
    monkeypatch.setattr(forked, "_usable_cores", lambda: 2)


@pytest.fixture
def never_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "_can_fork", lambda: False)


@linux_only
def test_pieces_run_in_children_and_come_back_in_order(always_fork):
    parent = os.getpid()
    results = forked.run_pieces(lambda index: (index * index, os.getpid()), 6)
    assert [square for square, _ in results] == [0, 1, 4, 9, 16, 25]
    assert all(pid != parent for _, pid in results)


def test_without_fork_the_pieces_run_here_in_order(never_fork):
    done = []
    assert forked.run_pieces(lambda index: done.append(index) or -index, 4) == [0, -1, -2, -3]
    assert done == [0, 1, 2, 3]


@linux_only
def test_a_failing_piece_fails_here_with_its_own_error(always_fork):
    def piece(index: int) -> int:
        if index == 2:
            raise ValueError("piece 2 cannot be drawn")
        return index

    with pytest.raises(ValueError, match="piece 2 cannot be drawn"):
        forked.run_pieces(piece, 4)


@linux_only
def test_a_piece_whose_child_dies_is_done_here(always_fork):
    parent = os.getpid()

    def piece(index: int) -> int:
        if index == 1 and os.getpid() != parent:
            os._exit(9)  # killed, as by the out-of-memory killer
        return index

    assert forked.run_pieces(piece, 3) == [0, 1, 2]


@linux_only
def test_forked_figures_are_byte_for_byte_those_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    finished = run(load_scenario("scenarios/co-production.yaml"), replications=60, seed=2)
    report = build_report(finished)
    written = {}
    for mode, can_fork in (("one", False), ("forked", True)):
        monkeypatch.setattr(forked, "_can_fork", lambda can_fork=can_fork: can_fork)
        monkeypatch.setattr(forked, "_usable_cores", lambda: 2)
        figures = write_figures(finished, report, tmp_path / mode / "figures")
        written[mode] = [(f.path, f.title, f.caption) for f in figures]
        assert len(figures) == 12  # spending, unit cost and order backlog (co-production)
    assert written["one"] == written["forked"]
    for path, _, _ in written["one"]:
        assert (tmp_path / "one" / path).read_bytes() == (tmp_path / "forked" / path).read_bytes()
