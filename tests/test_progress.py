"""The shared progress bar of ``sim run``, ``sim sweep`` and ``sim sensitivity``."""

from __future__ import annotations

import io

from rich.console import Console

from sim.cli.progress import progress_task
from sim.cli.runner import progress_bar
from sim.cli.sensitivity import _progress


def _terminal() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, color_system=None, width=100)


def _drawn(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_the_task_is_named_and_counts_in_its_unit() -> None:
    console = _terminal()
    with progress_task(console, "pacific", "runs", 40) as (progress, task):
        progress.advance(task, 10)
        shown = progress.tasks[0]
        assert (shown.id, shown.description, shown.total) == (task, "pacific", 40)
    assert "pacific" in _drawn(console)
    assert "10/40 runs" in _drawn(console)


def test_hidden_bars_give_no_callback() -> None:
    console = _terminal()
    with progress_bar(False, console, "pacific") as update:
        assert update is None
    with _progress(False, console, 40, "pacific") as advance:
        assert advance is None
    assert _drawn(console) == ""


def test_run_bar_takes_done_and_total() -> None:
    console = _terminal()
    with progress_bar(True, console, "pacific") as update:
        update(3, 8)
    assert "3/8 replications" in _drawn(console)


def test_sensitivity_bar_adds_runs_finished() -> None:
    console = _terminal()
    with _progress(True, console, 40, "pacific") as advance:
        advance(5)
        advance(5)
    assert "10/40 runs" in _drawn(console)


def test_a_run_on_a_terminal_says_when_it_writes_the_report(tmp_path, monkeypatch) -> None:
    import sim.cli.runner
    from sim.cli.main import main

    screens: list[Console] = []

    def terminal() -> Console:
        screens.append(
            Console(file=io.StringIO(), force_terminal=True, color_system=None, width=400)
        )
        return screens[-1]

    monkeypatch.setattr(sim.cli.runner, "problems_screen", terminal)
    monkeypatch.setattr(sim.cli.runner, "results_screen", terminal)
    out = tmp_path / "out"
    assert main(["run", "scenarios/baseline.yaml", "--reps", "20", "--out", str(out)]) == 0
    drawn = "".join(_drawn(screen) for screen in screens)
    assert "20 replications in " in drawn
    assert f"writing the report to {out} …" in drawn
    assert drawn.index("writing the report") < drawn.index("Report: ")


def test_no_thread_is_left_when_the_bar_is_gone() -> None:
    import threading

    before = threading.active_count()
    with progress_bar(True, _terminal(), "pacific") as update:
        update(1, 2)
        assert threading.active_count() > before  # rich redraws from a thread
    assert threading.active_count() == before


def test_the_writing_bar_runs_no_thread_so_figures_may_still_fork() -> None:
    import threading

    from sim.cli.runner import writing_bar
    from sim.report import forked

    console = _terminal()
    before = threading.active_count()
    with writing_bar(True, console, 4) as step:
        step()
        step()
        assert threading.active_count() == before
        assert forked._can_fork() == (before == 1 and forked.sys.platform == "linux")
    assert "2/4 files and figures" in _drawn(console)
    assert "Writing report" in _drawn(console)
