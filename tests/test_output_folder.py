"""Output folders are sim's alone: `--out` never removes or replaces what sim did not write.

The rule (:mod:`sim.runs.output_folder`) is tested directly, then through every writing
command in a subprocess, as users run them: each must refuse a folder holding a user's
file with exit status 2, one line and no traceback, before it starts work.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.runs.output_folder import (
    MARKER,
    OutputFolderError,
    claim,
    mark,
    remove_stale_staging,
)
from tests.command_line import sim

SMALL = """\
name: small
start_year: 2026
years: 2
seed: 3
items:
  Alpha: {unit: missiles}
lines:
  alpha-us: {country: US, makes: Alpha, capacity: {initial: {uniform: [80, 120]}}}
stockpiles:
  Alpha: {US: 10}
demand:
  - {item: Alpha, owner: US, per_year: 90, start: 2026-01-01}
"""


@pytest.fixture
def user_folder(tmp_path: Path) -> Path:
    """A folder of the user's: scenario files and notes, a sub-folder."""
    folder = tmp_path / "project"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "small.yaml").write_text(SMALL, encoding="utf-8")
    (folder / "sub" / "more.txt").write_text("also mine", encoding="utf-8")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_new_or_empty_folder_may_be_written(tmp_path: Path):
    claim(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    claim(tmp_path / "empty")


def test_a_folder_sim_wrote_may_be_replaced(tmp_path: Path):
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    (tmp_path / "figures").mkdir()
    mark(tmp_path, "run")
    assert json.loads((tmp_path / MARKER).read_text())["entries"] == ["figures", "report.json"]
    claim(tmp_path)


def test_a_resumable_runs_checkpoints_count_as_ours(tmp_path: Path):
    (tmp_path / ".chunks").mkdir()
    (tmp_path / ".chunks" / "manifest.json").write_text("{}", encoding="utf-8")
    claim(tmp_path)


@pytest.mark.parametrize("marked", [False, True], ids=["unmarked", "marked"])
def test_a_folder_with_a_file_sim_did_not_write_is_refused(tmp_path: Path, marked: bool):
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    if marked:
        mark(tmp_path, "run")
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match=r"notes\.txt"):
        claim(tmp_path)


def test_a_file_is_refused_as_an_output_folder(tmp_path: Path):
    (tmp_path / "report").write_text("a file", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="is not a folder"):
        claim(tmp_path / "report")


def test_a_hostile_file_name_is_cut_short_in_the_message(tmp_path: Path):
    (tmp_path / ("x" * 200 + "\x1b[31m")).write_text("", encoding="utf-8")
    with pytest.raises(OutputFolderError) as refused:
        claim(tmp_path)
    assert len(str(refused.value)) < len(str(tmp_path)) + 160
    assert "\x1b" not in str(refused.value)


def _staging(parent: Path, name: str, pid: int | None) -> Path:
    folder = parent / name
    folder.mkdir()
    (folder / "report.json").write_text("{}", encoding="utf-8")
    if pid is not None:
        marker = {"written_by": "sim run", "entries": ["report.json"], "pid": pid}
        (folder / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    return folder


def test_staging_folders_of_dead_processes_are_removed(tmp_path: Path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = _staging(tmp_path, ".tmp-out-stale", int(dead.stdout))
    live = _staging(tmp_path, ".tmp-out-live", os.getpid())
    unknown = _staging(tmp_path, ".tmp-out-unknown", None)
    other = _staging(tmp_path, ".tmp-elsewhere-x", int(dead.stdout))
    remove_stale_staging(tmp_path / "out")
    assert not stale.exists()
    assert live.exists() and unknown.exists() and other.exists()


def test_retired_folders_left_by_a_killed_swap_are_removed(tmp_path: Path):
    retired = tmp_path / ".old-out-abc"
    (retired / "out").mkdir(parents=True)
    mark(retired / "out", "run")
    foreign = tmp_path / ".old-out-def"
    (foreign / "out").mkdir(parents=True)
    remove_stale_staging(tmp_path / "out")
    assert not retired.exists()
    assert foreign.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["run", "small.yaml", "--reps", "20", "--quiet", "--out", "."],
        [
            "sweep",
            "small.yaml",
            "--param",
            "years",
            "--values",
            "1,2",
            "--reps",
            "10",
            "--quiet",
            "--out",
            ".",
        ],
        ["sensitivity", "small.yaml", "--reps", "20", "--quiet", "--out", "."],
        ["bench", "--quick", "--quiet", "--out", ".", "small.yaml"],
    ],
    ids=["run", "sweep", "sensitivity", "bench"],
)
def test_every_writing_command_refuses_a_users_folder(user_folder: Path, command: list[str]):
    before = _snapshot(user_folder)
    result = sim(*command, cwd=user_folder)
    assert result.returncode == 2, result.stderr
    assert "is not a sim output folder" in result.stderr
    assert "would be lost" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _snapshot(user_folder) == before
    assert sorted(path.name for path in user_folder.iterdir()) == ["notes.txt", "small.yaml", "sub"]


def test_compare_refuses_a_users_folder_and_run_rewrites_its_own(user_folder: Path):
    for name in ("a", "b"):
        result = sim("run", "small.yaml", "--reps", "20", "--quiet", "--out", name, cwd=user_folder)
        assert result.returncode == 0, result.stderr
    before = _snapshot(user_folder)
    refused = sim("compare", "a", "b", "--quiet", "--out", "sub", cwd=user_folder)
    assert refused.returncode == 2, refused.stderr
    assert "sub" in refused.stderr and "Traceback" not in refused.stderr
    assert _snapshot(user_folder) == before
    again = sim("run", "small.yaml", "--reps", "20", "--quiet", "--out", "a", cwd=user_folder)
    assert again.returncode == 0, again.stderr
    assert (user_folder / "a" / MARKER).is_file()


def test_a_second_sim_on_the_same_folder_is_refused_while_the_first_runs(tmp_path: Path):
    scenario = str(Path(__file__).resolve().parents[1] / "scenarios" / "contingency.yaml")
    out = tmp_path / "out"
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            scenario,
            "--reps",
            "6000",
            "--workers",
            "1",
            "--chunk-size",
            "250",
            "--quiet",
            "--out",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not list((out / ".chunks").glob("chunk-*")) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert first.poll() is None, "the first run ended before the second started"
        second = sim(
            "run",
            scenario,
            "--reps",
            "250",
            "--seed",
            "8",
            "--quiet",
            "--out",
            str(out),
            cwd=tmp_path,
        )
    finally:
        first.terminate()
        first.communicate(timeout=60)
    assert second.returncode == 2
    assert second.stderr.strip() == (
        f"sim: --out {out} is being written by another sim process; wait for it to finish "
        "or choose another folder"
    )
    # the lock went with the process, however it ended (here SIGTERM, no clean-up)
    again = sim("run", scenario, "--reps", "250", "--quiet", "--out", str(out), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
