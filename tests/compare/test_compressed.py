"""``sim compare`` reads a run whose table ``sim run`` wrote gzip-compressed.

A huge run writes ``replications.csv.gz`` (the chunks' gzip members back to back) in
place of ``replications.csv``; the threshold is lowered here so that small real runs
write it, and their comparison must be exactly that of the same runs written plain.
"""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

import sim.report.csv as table
from sim.cli.main import main
from tests.compare.runs import real_run

REPLICATIONS = 200


def runs(folder, *, compressed: bool):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(table, "COMPRESS_ABOVE", 0 if compressed else 2**40)
        return [
            real_run(folder, "crn-a", beta_initial=100, seed=7, replications=REPLICATIONS),
            real_run(folder, "crn-b", beta_initial=130, seed=7, replications=REPLICATIONS),
        ]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """Comparison folders of the same two runs, written plain and compressed."""
    written = {}
    for kind in ("plain", "gzip"):
        base = tmp_path_factory.mktemp(kind)
        run_a, run_b = runs(base, compressed=kind == "gzip")
        out = base / "comparison"
        assert main(["compare", str(run_a), str(run_b), "--out", str(out), "--quiet"]) == 0
        written[kind] = (run_a, out)
    return written


def members(data: bytes) -> int:
    """How many gzip members lie back to back in `data`."""
    count = 0
    while data:
        inflate = zlib.decompressobj(wbits=31)
        inflate.decompress(data)
        data, count = inflate.unused_data, count + 1
    return count


def test_the_compressed_run_has_only_the_gzip_table(both):
    run, _ = both["gzip"]
    assert not (run / table.PLAIN).exists()
    assert members((run / table.COMPRESSED).read_bytes()) >= 2  # header, then row chunks
    report = json.loads((run / "report.json").read_text())
    assert report["files"]["replications"] == table.COMPRESSED
    plain, _ = both["plain"]
    assert (
        gzip.decompress((run / table.COMPRESSED).read_bytes()) == (plain / table.PLAIN).read_bytes()
    )


def test_plain_and_compressed_tables_compare_identically(both):
    documents = [json.loads((out / "comparison.json").read_text()) for _, out in both.values()]
    plain, packed = documents
    assert plain["method"] == packed["method"] == "paired"
    assert plain["metrics"] and plain["metrics"] == packed["metrics"]
    assert plain["only_in_a"] == packed["only_in_a"] and plain["only_in_b"] == packed["only_in_b"]


def test_a_damaged_compressed_table_exits_2(both, tmp_path, capsys):
    run, _ = both["gzip"]
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "report.json").write_bytes((run / "report.json").read_bytes())
    packed = (run / table.COMPRESSED).read_bytes()
    (damaged / table.COMPRESSED).write_bytes(packed[: len(packed) // 2])
    assert main(["compare", str(run), str(damaged), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"sim: {damaged / table.COMPRESSED}: not the table written with")
    assert "damaged, or copied from another run?" in error
    assert error.count("\n") == 1 and "Traceback" not in error
