"""Checkpoints: whole chunks or none, refused when they belong to another run."""

from __future__ import annotations

import errno

import numpy as np
import pytest

from sim.errors import RunError
from sim.execution.chunk import ChunkTask, compute_chunk
from sim.execution.packed import PackedRows
from sim.network import compile_network
from sim.runs.checkpoint import MANIFEST, CheckpointMismatch, checkpoint_for
from sim.runs.montecarlo import run
from tests.execution.helpers import same_numbers, small_scenario


@pytest.fixture
def scenario():
    return small_scenario()


def chunk(scenario, replications=range(250, 500)):
    return compute_chunk(ChunkTask(compile_network(scenario), 4, replications))


def test_a_saved_chunk_reads_back_identical(tmp_path, scenario):
    store = checkpoint_for(tmp_path / ".chunks", scenario, 4, "vector")
    assert not (tmp_path / ".chunks").exists()  # nothing is written before the first chunk
    original = chunk(scenario)
    store.save(original)
    assert store.saved() == [range(250, 500)]
    back = checkpoint_for(tmp_path / ".chunks", scenario, 4, "vector").load(range(250, 500))
    # read on use, a row at a time from a memory-mapped blob, not loaded whole
    assert isinstance(back.metrics, PackedRows) and isinstance(back.metrics._blob, np.memmap)
    assert back.metric_names == original.metric_names and back.units == original.units
    assert np.array_equal(np.asarray(back.metrics), original.metrics, equal_nan=True)
    assert np.array_equal(np.asarray(back.series), original.series)
    for rows in (3, slice(2, 9), [0, 5, 4], slice(0, 0)):
        assert np.array_equal(back.metrics[rows], original.metrics[rows], equal_nan=True)
    assert bytes(back.rows) == original.rows


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"seed": 5}, "seed 4 → 5"),
        ({"engine": "des"}, "engine vector → des"),
        ({"edit": True}, "scenario contents"),
    ],
)
def test_chunks_of_another_run_are_refused(tmp_path, scenario, change, words):
    checkpoint_for(tmp_path, scenario, 4, "vector").save(chunk(scenario))
    other = scenario
    if change.get("edit"):
        other = scenario.model_copy()
        other._effective_sha256 = "another"
    with pytest.raises(CheckpointMismatch, match=words) as refused:
        checkpoint_for(tmp_path, other, change.get("seed", 4), change.get("engine", "vector"))
    assert "--fresh" in str(refused.value)
    fresh = checkpoint_for(tmp_path, other, change.get("seed", 4), "vector", fresh=True)
    assert fresh.saved() == []


def test_a_folder_of_other_files_is_not_taken_for_checkpoints(tmp_path, scenario):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CheckpointMismatch, match="no manifest"):
        checkpoint_for(tmp_path, scenario, 4, "vector")


def test_a_damaged_chunk_is_simulated_again(tmp_path, scenario):
    reference = run(scenario, 750, 4)
    store = checkpoint_for(tmp_path, scenario, 4, "vector")
    run(scenario, 750, 4, chunk_size=250, store=store)
    damaged = sorted(tmp_path.glob("chunk-*"))[1]
    damaged.write_bytes(damaged.read_bytes()[:-100])  # cut short, as by a failing disk
    store = checkpoint_for(tmp_path, scenario, 4, "vector")
    assert store.saved() == [range(0, 250), range(500, 750)]
    progress = []
    again = run(
        scenario, 750, 4, chunk_size=250, store=store, progress=lambda *p: progress.append(p)
    )
    assert progress[0] == (500, 750)
    assert same_numbers(reference, again)


def test_a_full_disk_leaves_no_partial_chunk(tmp_path, scenario, monkeypatch):
    store = checkpoint_for(tmp_path, scenario, 4, "vector")
    result = chunk(scenario)
    write = np.lib.format.write_array

    records = []

    def fill_up(handle, array, *arguments, **options):
        records.append(array)
        if len(records) == 5:  # the metric matrix's blob, half-way through the file
            raise OSError(errno.ENOSPC, "No space left on device")
        return write(handle, array, *arguments, **options)

    monkeypatch.setattr(np.lib.format, "write_array", fill_up)
    with pytest.raises(RunError, match=r"cannot write a checkpoint to .*No space left on device"):
        store.save(result)
    assert sorted(path.name for path in tmp_path.iterdir()) == [MANIFEST]


def test_an_unwritable_place_is_reported_before_any_work(tmp_path, scenario):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(RunError, match=r"cannot write checkpoints to .*is not a folder"):
        checkpoint_for(blocker / "out" / ".chunks", scenario, 4, "vector")
