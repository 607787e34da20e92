"""Ctrl-C at any moment: exit status 130 and one line, never a traceback.

`sim run` in a subprocess receives SIGINT at moments spread over its life: while Python
imports the command line, while the scenario loads, while chunks run and while the report
is written. Before the entry point caught it, a Ctrl-C in the first 0.4 s printed a
traceback from inside an import.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.command_line import as_from_a_terminal

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("after_seconds", [0.05, 0.15, 0.3, 0.5, 0.8, 1.5, 3.0])
def test_ctrl_c_at_any_moment_is_one_line_and_status_130(after_seconds: float, tmp_path: Path):
    command = [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios" / "baseline.yaml")]
    command += ["--reps", "2000", "--workers", "1", "--quiet", "--out", str(tmp_path / "out")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_from_a_terminal,
    )
    time.sleep(after_seconds)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    if process.returncode == 0:  # finished before the signal: nothing to check
        return
    if "init_import_site" in stderr or _before_the_entry_point(stderr):
        pytest.skip("the signal landed while CPython itself started, before any code of ours")
    assert "Traceback" not in stderr, stderr
    # -SIGINT: the signal came before Python installed its handler (the first
    # milliseconds); a shell reports that as 130 too
    assert process.returncode in (130, -signal.SIGINT), stderr
    assert len(stderr.strip().splitlines()) <= 1, stderr


def _before_the_entry_point(stderr: str) -> bool:
    """Whether a traceback lies wholly in CPython's start-up and the package's first lines.

    Until ``sim.entry.main`` runs, CPython is importing ``runpy``, the ``sim`` package and
    ``sim.__main__``; no handler of ours can exist yet, so an interrupt there is the
    interpreter's to report.
    """
    frames = re.findall(r'File "([^"]+)"', stderr)
    startup = ("<frozen", "runpy")
    package = ("sim/__init__.py", "sim/__main__.py")
    return bool(frames) and all(f.startswith(startup) or f.endswith(package) for f in frames)
