"""A folder that is not a usable run is bad input, named in one line."""

from __future__ import annotations

import json

import pytest

from sim.compare import load_run
from sim.errors import RunFolderError
from tests.compare.runs import write_folder

METRIC = "line.pac3-us.output"


def good(tmp_path):
    return write_folder(tmp_path / "run", {METRIC: [1.0, 2.0, 3.0]})


def test_a_good_folder_loads(tmp_path):
    loaded = load_run(good(tmp_path))
    assert loaded.name == "plan" and loaded.seed == 1 and loaded.replication_count == 3
    assert loaded.values[METRIC].tolist() == [1.0, 2.0, 3.0]


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
    return folder, "replications.csv: missing"


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
        short_csv,
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
