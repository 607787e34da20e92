"""Checkpoints: every finished chunk saved under the output folder, so a run can resume.

``OUT/.chunks/`` holds a ``manifest.json`` naming the run (scenario, hash of the
effective scenario, seed, engine, sim version) and one file per finished chunk,
``chunk-<first>-<stop>.chunk``. A chunk file is NumPy ``.npy`` records back to back — a
JSON header (the run it belongs to, its replication range and its layout), the metric
matrix and the series matrix each compressed a row at a time
(:mod:`sim.execution.packed`: shape, row offsets, blob), and the chunk's gzipped rows of
``replications.csv`` — so it can be memory-mapped and one metric of every chunk read
without decompressing the rest (:mod:`sim.execution.summaries`). Compressed, a
replication of co-production takes about 7 KB instead of 13.

Files are written to a temporary name and renamed into place, so a crash, Ctrl-C or a
killed process leaves whole chunks or none. A manifest of another run (changed scenario,
seed, engine or version) is refused rather than mixed: :class:`CheckpointMismatch`.
The finished report replaces the output folder, ``.chunks/`` with it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np

from sim.errors import RunError, RunFolderError
from sim.execution.chunk import ChunkResult
from sim.execution.packed import RECORDS, PackedRows, write_packed
from sim.scenario.model import Scenario

FOLDER = ".chunks"
MANIFEST = "manifest.json"
FORMAT = 2
"""Chunk files of another format (1: uncompressed matrices) are simulated again."""
_NAME = re.compile(r"^chunk-(\d+)-(\d+)\.chunk$")


class CheckpointMismatch(RunFolderError):
    """The output folder holds the checkpoints of a different run (bad input: exit 2)."""


@dataclass(frozen=True)
class RunIdentity:
    """What makes chunks of two runs interchangeable: all of it must match to resume."""

    scenario: str
    effective_sha256: str
    seed: int
    engine: str
    sim_version: str

    def differences(self, other: dict[str, Any]) -> list[str]:
        """How `other` (a manifest's identity) differs from this one, in words."""
        words = {
            "scenario": "scenario",
            "effective_sha256": "scenario contents (or --set overrides)",
            "seed": "seed",
            "engine": "engine",
            "sim_version": "sim version",
        }
        mine = asdict(self)
        changed = []
        for key, word in words.items():
            if other.get(key) != mine[key]:
                was, now = other.get(key), mine[key]
                detail = "" if key == "effective_sha256" else f" {was} → {now}"
                changed.append(f"{word}{detail}")
        return changed


class Checkpoint:
    """The chunk files of one run under `folder` (``OUT/.chunks``); a :class:`ChunkStore`."""

    def __init__(
        self,
        folder: str | Path,
        identity: RunIdentity,
        fresh: bool = False,
        companions: Sequence[str] = (),
    ):
        """Open `folder`, refusing chunks of another run; nothing is written until a save.

        The folder is created with the first chunk saved, so a run stopped by bad input
        leaves nothing behind; whether it could be created is checked now. `companions`
        are subfolders holding the checkpoints of runs made alongside this one (a
        counterfactual's ``against/``): they may exist before this run saved anything.
        """
        self.folder = Path(folder)
        self.identity = identity
        self._layout: dict | None = None
        if fresh and self.folder.exists():
            try:
                shutil.rmtree(self.folder)
            except OSError as error:
                raise RunError(f"cannot remove {self.folder}: {_reason(error)}") from None
        manifest = self.folder / MANIFEST
        if manifest.exists():
            self._check_manifest(manifest)
        elif self.folder.exists() and any(
            entry.name not in companions for entry in self.folder.iterdir()
        ):
            raise CheckpointMismatch(
                f"{self.folder} holds files but no manifest; rerun with --fresh to start over"
            )
        else:
            _check_writable(self.folder)

    def saved(self) -> list[range]:
        """Ranges of the chunk files present and readable, in replication order.

        A file that cannot be read as a chunk of this run (a damaged disk block) is
        left out, so its replications are simply simulated again.
        """
        if not self.folder.is_dir():
            return []
        ranges = []
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if match is None:
                continue
            replications = range(int(match[1]), int(match[2]))
            try:
                self._read(path, replications)
            except (OSError, ValueError, KeyError):
                continue
            ranges.append(replications)
        return sorted(ranges, key=lambda r: r.start)

    def save(self, result: ChunkResult) -> None:
        """Write `result` atomically; a full disk is a one-line :class:`RunError`."""
        header = {
            "format": FORMAT,
            "identity": asdict(self.identity),
            "replications": [result.replications.start, result.replications.stop],
            **result.layout(),
        }
        layout = result.layout()
        if self._layout is None:
            self._layout = layout
        elif layout != self._layout:
            raise CheckpointMismatch(
                f"{self.folder} holds chunks with other metrics than this run makes (the "
                "code changed since they were saved); rerun with --fresh"
            )
        if not (self.folder / MANIFEST).exists():
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise RunError(
                    f"cannot write checkpoints to {self.folder}: {_reason(error)}"
                ) from None
            write_atomically(self.folder / MANIFEST, self._manifest_text().encode("utf-8"))
        path = self.folder / _file_name(result.replications)

        def write(handle: IO[bytes]) -> None:
            encoded = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
            rows = np.frombuffer(bytes(result.rows), dtype=np.uint8)
            np.lib.format.write_array(handle, encoded)
            write_packed(handle, np.asarray(result.metrics))
            write_packed(handle, np.asarray(result.series))
            np.lib.format.write_array(handle, rows)

        write_atomically(path, write)

    def load(self, replications: range) -> ChunkResult:
        """The chunk of `replications`, its matrices memory-mapped (read on use)."""
        return self._read(self.folder / _file_name(replications), replications)

    def remove(self) -> None:
        """Delete every checkpoint of the run (after its report is safely written)."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _check_manifest(self, manifest: Path) -> None:
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
            identity = recorded["identity"]
        except (OSError, ValueError, KeyError, TypeError):
            raise CheckpointMismatch(
                f"{manifest}: not a checkpoint manifest of sim; rerun with --fresh to start over"
            ) from None
        changed = self.identity.differences(identity)
        if changed:
            raise CheckpointMismatch(
                f"{self.folder} holds chunks of a different run ({'; '.join(changed)}); "
                "rerun with --fresh to discard them, or choose another --out"
            )

    def _manifest_text(self) -> str:
        content = {"format": FORMAT, "identity": asdict(self.identity)}
        return json.dumps(content, indent=1) + "\n"

    def _read(self, path: Path, replications: range) -> ChunkResult:
        with path.open("rb") as handle:
            header = json.loads(bytes(np.lib.format.read_array(handle)).decode("utf-8"))
            if header.get("format") != FORMAT or header["identity"] != asdict(self.identity):
                raise ValueError(f"{path}: a chunk of another run")
            if header["replications"] != [replications.start, replications.stop]:
                raise ValueError(f"{path}: holds other replications than its name says")
            metrics = PackedRows(*(_map_next(handle, path) for _ in range(RECORDS)))
            series = PackedRows(*(_map_next(handle, path) for _ in range(RECORDS)))
            rows = _map_next(handle, path)
        count = len(replications)
        points = tuple(header["series_points"])
        if metrics.shape != (len(header["metric_names"]), count):
            raise ValueError(f"{path}: metric matrix of the wrong shape")
        if series.shape != (sum(points), count):
            raise ValueError(f"{path}: series matrix of the wrong shape")
        layout = {key: header[key] for key in ChunkResult.layout_keys()}
        if self._layout is None:
            self._layout = layout
        elif layout != self._layout:
            raise CheckpointMismatch(
                f"{path}: its metrics differ from the other chunks'; rerun with --fresh"
            )
        return ChunkResult(
            replications=replications,
            metric_names=tuple(header["metric_names"]),
            units=tuple(header["units"]),
            metrics=metrics,
            series_names=tuple(header["series_names"]),
            series_points=points,
            series_dtypes=tuple(header["series_dtypes"]),
            series=series,
            rows=rows,
        )


def checkpoint_for(
    folder: str | Path,
    scenario: Scenario,
    seed: int,
    engine: str,
    fresh: bool = False,
    companions: Sequence[str] = (),
) -> Checkpoint:
    """The checkpoints of running `scenario` with `seed` on `engine`, kept in `folder`
    (`companions`: subfolders of other runs' checkpoints, see :class:`Checkpoint`)."""
    from sim import __version__

    identity = RunIdentity(scenario.name, scenario.effective_sha256, seed, engine, __version__)
    return Checkpoint(folder, identity, fresh=fresh, companions=companions)


def _check_writable(folder: Path) -> None:
    """Fail now, not after the first chunk, if `folder` could not be created and written."""
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise RunError(f"cannot write checkpoints to {folder}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise RunError(f"cannot write checkpoints to {folder}: {existing} is not writable")


def _file_name(replications: range) -> str:
    return f"chunk-{replications.start:010d}-{replications.stop:010d}.chunk"


def _map_next(handle: IO[bytes], path: Path) -> np.ndarray:
    """Memory-map the next ``.npy`` record of `handle` and move past it."""
    version = np.lib.format.read_magic(handle)
    read_header = (
        np.lib.format.read_array_header_1_0
        if version == (1, 0)
        else np.lib.format.read_array_header_2_0
    )
    shape, fortran, dtype = read_header(handle)
    offset = handle.tell()
    size = int(np.prod(shape)) * dtype.itemsize
    if offset + size > os.fstat(handle.fileno()).st_size:
        raise ValueError(f"{path}: cut short")
    handle.seek(offset + size)
    if size == 0:
        return np.empty(shape, dtype=dtype)
    order: Literal["F", "C"] = "F" if fortran else "C"
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape, order=order)


def write_atomically(path: Path, content: bytes | Callable[[IO[bytes]], None]) -> None:
    """Write bytes, or call `content(handle)`, into a temporary file renamed to `path`."""
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except OSError as error:
        raise RunError(f"cannot write a checkpoint to {path.parent}: {_reason(error)}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise RunError(f"cannot write a checkpoint to {path.parent}: {_reason(error)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
