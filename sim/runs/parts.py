"""The parts of a run resumed after an interrupt: how long each one took.

A long run may be stopped (Ctrl-C, a crash, a killed machine) and resumed by running the
same command again (:mod:`sim.runs.checkpoint`). Its report should then say how long the
whole run took, not only its last part. Each part's wall time is kept in
``OUT/.chunks/parts.json`` beside the checkpoints: written when the part ends however it
ends, and every :data:`NOTE_SECONDS` while it runs, so that a part killed outright still
counts up to its last note — but only once the part has saved a chunk (the folder
exists): a run stopped before, by bad input or an early Ctrl-C, leaves nothing behind,
and its time, which saved nothing, is not counted. The file names the run it belongs to
(the checkpoints' identity); another run's file is ignored, and ``--fresh`` removes it
with the chunks. The finished report replaces the output folder, and the file with it.
"""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

from sim.errors import RunError
from sim.runs.checkpoint import write_atomically

PARTS = "parts.json"

NOTE_SECONDS = 2.0
"""Least time between two notes of a running part's wall time."""


class RunParts:
    """The wall times of a run's earlier parts, and the clock of this one."""

    def __init__(self, folder: str | Path, identity: dict[str, Any]):
        """Read the earlier parts kept in `folder` (``OUT/.chunks``) for the run
        `identity`; this part's clock starts now."""
        self.path = Path(folder) / PARTS
        self.identity = identity
        self.earlier = _earlier(self.path, identity)
        """Wall seconds of each earlier part, in order."""
        self.began = time.perf_counter()
        self._noted = self.began

    def seconds(self) -> float:
        """Wall seconds of this part so far."""
        return time.perf_counter() - self.began

    def note(self, force: bool = False) -> None:
        """Keep this part's wall time so far (at most every :data:`NOTE_SECONDS`, unless
        `force`), once the checkpoint folder exists. A note that cannot be written is
        skipped: it only serves the report."""
        now = time.perf_counter()
        if not force and now - self._noted < NOTE_SECONDS:
            return
        self._noted = now
        if not self.path.parent.is_dir():
            return
        content = {"identity": self.identity, "wall_seconds": [*self.earlier, now - self.began]}
        with contextlib.suppress(OSError, RunError):
            write_atomically(self.path, (json.dumps(content, indent=1) + "\n").encode("utf-8"))


def _earlier(path: Path, identity: dict[str, Any]) -> list[float]:
    """The parts kept at `path` for the run `identity`; none if absent, unreadable or of
    another run."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(content, dict) or content.get("identity") != identity:
        return []
    seconds = content.get("wall_seconds")
    if not isinstance(seconds, list):
        return []
    return [float(value) for value in seconds if isinstance(value, int | float) and value >= 0]
