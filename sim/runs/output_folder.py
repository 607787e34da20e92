"""Output folders are sim's alone: never replace a folder that holds anything sim did not write.

Every command that writes an output folder (``run``, ``compare``, ``sweep``,
``sensitivity``, ``bench``) replaces it whole, atomically (:mod:`sim.report.writer`). That
is only safe if nothing else lives there: ``--out scenarios`` or ``--out ~/project`` must
not take the user's files with it. So each folder sim writes carries a marker file,
:data:`MARKER`, listing the entries sim put there, and a folder may be replaced only if

* it does not exist, or is empty, or
* every entry in it is either listed in its marker or is the run's own checkpoint folder
  (``.chunks`` with a manifest, or a sweep's with one per variant: an interrupted run
  being resumed).

Anything else is refused before any work starts (:class:`OutputFolderError`, exit 2),
naming one entry that would be lost. The marker is also how stale staging folders of
killed runs are recognised and removed (:func:`remove_stale_staging`): a staging folder
records the process writing it, and one whose process is gone is debris.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from sim.errors import RunError, RunFolderError, shown

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; concurrent writers are not detected
    fcntl = None  # type: ignore[assignment]  # the module or None: locking checks for None

MARKER = ".sim-output"
"""The marker file in every folder sim writes: JSON naming the command and the entries."""

CHECKPOINTS = ".chunks"
MANIFEST = "manifest.json"
STAGING_PREFIX = ".tmp-"
RETIRED_PREFIX = ".old-"


class OutputFolderError(RunFolderError):
    """``--out`` names a folder that sim may not replace (bad input: exit 2)."""


def claim(out: str | Path) -> None:
    """Refuse `out` unless replacing it loses nothing that sim did not write.

    Called by every writing command before it starts work, and again just before the
    swap, so that a file added in between is not lost either.
    """
    out = Path(out)
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise OutputFolderError(f"--out {out} exists and is not a folder; choose another folder")
    foreign = foreign_entries(out)
    if not foreign:
        return
    first = shown(foreign[0])
    if (out / MARKER).is_file():
        raise OutputFolderError(
            f"--out {out} holds {first}, which sim did not write: it would be lost; "
            "move it or choose another folder"
        )
    raise OutputFolderError(
        f"--out {out} is not a sim output folder: {first} would be lost; choose another folder"
    )


def foreign_entries(folder: Path) -> list[str]:
    """Entries of `folder` that sim did not write, sorted (empty if the folder is ours)."""
    try:
        present = sorted(entry.name for entry in folder.iterdir())
    except OSError as error:
        raise OutputFolderError(f"cannot read --out {folder}: {error.strerror}") from None
    written = set(written_entries(folder))
    return [
        name
        for name in present
        if name != MARKER
        and name not in written
        and not (name == CHECKPOINTS and _holds_checkpoints(folder / CHECKPOINTS))
    ]


def _holds_checkpoints(folder: Path) -> bool:
    """A run's checkpoints (a manifest), or a sweep's (one folder of them per variant)."""
    return (folder / MANIFEST).is_file() or any(folder.glob(f"*/{MANIFEST}"))


def written_entries(folder: Path) -> list[str]:
    """The entries the marker of `folder` says sim wrote; none if it has no readable marker."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        entries = marker["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, str)]


def mark(folder: Path, command: str, *, complete: bool = True) -> None:
    """Write `folder`'s marker: `command` wrote every entry now in it.

    An incomplete marker (a staging folder being written) also records this process, so
    that a later run can tell a killed run's staging folder from one still being written.
    """
    from sim import __version__

    entries = sorted(entry.name for entry in folder.iterdir() if entry.name != MARKER)
    content: dict[str, str | int | list[str]] = {
        "written_by": f"sim {command}",
        "sim_version": __version__,
        "entries": entries,
    }
    if not complete:
        content["pid"] = os.getpid()
    (folder / MARKER).write_text(json.dumps(content, indent=1) + "\n", encoding="utf-8")


def remove_stale_staging(out: Path) -> None:
    """Remove staging and retired folders of `out` left behind by killed runs.

    A staging folder (``.tmp-<name>-*``) is stale when its marker names a process that no
    longer exists; a retired folder (``.old-<name>-*``) holds only a former output folder
    that the swap had not yet deleted. Folders without a sim marker are left alone.
    """
    parent = out.parent
    if not parent.is_dir():
        return
    for entry in parent.glob(f"{STAGING_PREFIX}{out.name}-*"):
        if entry.is_dir() and not _process_alive(_writer_pid(entry)):
            shutil.rmtree(entry, ignore_errors=True)
    for entry in parent.glob(f"{RETIRED_PREFIX}{out.name}-*"):
        inside = list(entry.iterdir()) if entry.is_dir() else []
        if len(inside) == 1 and (inside[0] / MARKER).is_file():
            shutil.rmtree(entry, ignore_errors=True)


def _writer_pid(staging: Path) -> int | None:
    try:
        marker = json.loads((staging / MARKER).read_text(encoding="utf-8"))
        pid = marker["pid"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return pid if isinstance(pid, int) and pid > 0 else None


def _process_alive(pid: int | None) -> bool:
    """Whether `pid` runs; an unknown writer counts as alive, so its folder is kept."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold `out` for this process: a second `sim` writing to it is refused, not mixed in.

    Two runs with different seeds on one folder once met in its checkpoints (a ValueError
    from the loader). The lock is ``flock`` on a hidden file beside `out`, so it covers the
    folder before it exists and through its swap; the kernel drops it however the process
    ends. The file is removed on release; the inode is checked after locking in case a
    releasing process removed it in between.
    """
    if fcntl is None:
        yield
        return
    path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RunError(f"cannot write to {out.parent}: {error.strerror or error}") from None
    while True:
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise OutputFolderError(
                f"--out {out} is being written by another sim process; wait for it to "
                "finish or choose another folder"
            ) from None
        if path.exists() and os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
            break
        handle.close()
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()
