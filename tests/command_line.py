"""`sim` run as a user types it: in a subprocess, from a folder, output captured."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path


def as_from_a_terminal() -> None:
    """In the child, before `sim` starts: Ctrl-C acts as it does at a terminal.

    A shell starts background jobs with SIGINT ignored, and an ignored signal stays
    ignored across exec; a test suite run in the background (a CI runner, ``make test &``)
    would then start `sim` deaf to the interrupts the test sends. Give to
    ``subprocess.Popen(preexec_fn=...)``.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sim(*arguments: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """`sim ARGUMENTS` in a subprocess started in `cwd`; its exit status and output."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
