"""A folder that is not a usable run is bad input, named in one line."""

from __future__ import annotations

import gzip
import json

import pytest

from sim.compare.load import load_run
from sim.errors import RunFolderError
from tests.compare.runs import write_folder

METRIC = "line.pac3-us.output"


def good(tmp_path):
    return write_folder(tmp_path / "run", {METRIC: [1.0, 2.0, 3.0]})


def test_a_good_folder_loads(tmp_path):
    loaded = load_run(good(tmp_path))
    assert loaded.name == "plan" and loaded.seed == 1 and loaded.replication_count == 3
    assert loaded.values[METRIC].tolist() == [1.0, 2.0, 3.0]


def compress(folder, *, members: int = 2):
    """Replace replications.csv by replications.csv.gz as `sim run` writes it: the header
    in one gzip member, the rows in the others, back to back."""
    lines = (folder / "replications.csv").read_bytes().splitlines(keepends=True)
    (folder / "replications.csv").unlink()
    split = 1 + (len(lines) - 1) // max(1, members - 1)
    pieces = [lines[:1]] + [lines[at : at + split] for at in range(1, len(lines), split)]
    packed = b"".join(gzip.compress(b"".join(piece), mtime=0) for piece in pieces)
    (folder / "replications.csv.gz").write_bytes(packed)
    return folder


def name_in_report(folder, name):
    report = json.loads((folder / "report.json").read_text())
    report["files"] = {"replications": name}
    (folder / "report.json").write_text(json.dumps(report))


@pytest.mark.parametrize("members", [2, 4])
def test_a_compressed_table_loads_like_the_plain_one(tmp_path, members):
    loaded = load_run(compress(good(tmp_path), members=members))
    assert loaded.replications.tolist() == [0, 1, 2]
    assert loaded.values[METRIC].tolist() == [1.0, 2.0, 3.0]


def test_the_table_loads_whichever_form_is_there(tmp_path):
    folder = good(tmp_path)
    name_in_report(folder, "replications.csv.gz")  # the user has since unpacked it
    assert load_run(folder).values[METRIC].tolist() == [1.0, 2.0, 3.0]


def test_report_json_says_which_table_when_both_are_there(tmp_path):
    folder = compress(good(tmp_path))
    (folder / "replications.csv").write_text("replication,other\n0,1\n")  # stale, unread
    name_in_report(folder, "replications.csv.gz")
    assert load_run(folder).values[METRIC].tolist() == [1.0, 2.0, 3.0]


def test_rows_across_gzip_members_load_exactly(tmp_path):
    values = [float(index) / 7 for index in range(11)]
    folder = compress(write_folder(tmp_path / "run", {METRIC: values}), members=3)
    assert load_run(folder).values[METRIC].tolist() == values


def missing_folder(folder):
    return folder.parent / "nowhere", "no such folder"


def a_file(folder):
    return folder / "report.json", "not a folder"


def no_report(folder):
    (folder / "report.json").unlink()
    return folder, "no report.json"


def corrupt_json(folder):
    (folder / "report.json").write_text('{"scenario": {"name": "x"},\n  "run": ')
    return folder, "report.json:2: not valid JSON"


def missing_key(folder):
    report = json.loads((folder / "report.json").read_text())
    del report["run"]["seed"]
    (folder / "report.json").write_text(json.dumps(report))
    return folder, "'run.seed' is missing"


def no_csv(folder):
    (folder / "replications.csv").unlink()
    return folder, "replications.csv: missing, and no replications.csv.gz either"


def truncated_gzip(folder):
    path = compress(folder) / "replications.csv.gz"
    path.write_bytes(path.read_bytes()[:-12])
    return folder, "replications.csv.gz: damaged gzip file"


def not_gzip(folder):
    (compress(folder) / "replications.csv.gz").write_bytes(b"replication,x\r\n0,1\r\n")
    return folder, "replications.csv.gz: damaged gzip file"


def corrupt_gzip(folder):
    path = compress(folder) / "replications.csv.gz"
    data = bytearray(path.read_bytes())
    data[-8] ^= 0xFF  # the last member's CRC-32: its rows no longer check out
    path.write_bytes(bytes(data))
    return folder, "replications.csv.gz: damaged gzip file"


def bad_cell_in_gzip(folder):
    bad_cell(folder)
    compress(folder)
    return folder, "replications.csv.gz:3: a cell is not a number"


def long_csv(folder):
    with (folder / "replications.csv").open("a") as handle:
        handle.write("3,4.0\n")
    return folder, "4 rows, but report.json says 3 replications"


def short_csv(folder):
    lines = (folder / "replications.csv").read_text().splitlines()
    (folder / "replications.csv").write_text("\n".join(lines[:-1]) + "\n")
    return folder, "2 rows, but report.json says 3 replications"


def bad_cell(folder):
    text = (folder / "replications.csv").read_text().replace("2.0", "two")
    (folder / "replications.csv").write_text(text)
    return folder, "replications.csv:3: a cell is not a number"


def missing_column(folder):
    (folder / "replications.csv").write_text("replication,other\n0,1\n1,2\n2,3\n")
    return folder, "no column for 1 reported metric(s): line.pac3-us.output"


@pytest.mark.parametrize(
    "damage",
    [
        missing_folder,
        a_file,
        no_report,
        corrupt_json,
        missing_key,
        no_csv,
        truncated_gzip,
        not_gzip,
        corrupt_gzip,
        bad_cell_in_gzip,
        short_csv,
        long_csv,
        bad_cell,
        missing_column,
    ],
)
def test_a_damaged_folder_is_one_clear_error(tmp_path, damage):
    path, message = damage(good(tmp_path))
    with pytest.raises(RunFolderError) as caught:
        load_run(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
