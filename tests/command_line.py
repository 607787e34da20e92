"""`sim` run as a user types it: in a subprocess, from a folder, output captured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def sim(*arguments: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """`sim ARGUMENTS` in a subprocess started in `cwd`; its exit status and output."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
