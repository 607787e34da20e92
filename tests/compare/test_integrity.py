"""`sim compare` trusts no run folder: fields typed and ranged, the table the report's own.

Cases from the hostile-input campaign: a report.json edited to hold text or huge numbers
(once a ValueError, or an attempt to allocate 4.75 PiB), and a replications.csv copied in
from a run with another seed, which was compared as "paired".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sim.cli.main import main
from tests.compare.runs import write_folder


def _compare(capsys, *folders: Path, out: Path) -> tuple[int, str]:
    status = main(["compare", *map(str, folders), "--out", str(out), "--quiet"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (("run", "replications"), "abc", "'run.replications' must be a whole number"),
        (("run", "replications"), 10**12, "'run.replications' must be at most 10,000,000"),
        (("run", "replications"), 0, "'run.replications' must be at least 1"),
        (("run", "seed"), "x", "'run.seed' must be a whole number of at least 0"),
        (("run", "seed"), -1, "'run.seed' must be a whole number of at least 0"),
        (("years",), 5, "'years' must be a list of calendar years"),
        (("years",), ["2026"], "'years' must be a list of calendar years"),
        (("scenario", "name"), 7, "'scenario.name' must be text"),
    ],
)
def test_a_report_field_of_the_wrong_kind_is_one_line_and_exit_2(
    tmp_path: Path, capsys, field: tuple[str, ...], value: object, message: str
):
    good = write_folder(tmp_path / "a", {"m": [1.0, 2.0]})
    bad = write_folder(tmp_path / "b", {"m": [1.0, 3.0]})
    report = json.loads((bad / "report.json").read_text())
    parent = report
    for key in field[:-1]:
        parent = parent[key]
    parent[field[-1]] = value
    (bad / "report.json").write_text(json.dumps(report))
    status, error = _compare(capsys, good, bad, out=tmp_path / "out")
    assert status == 2
    assert (
        error
        == f"sim: {bad / 'report.json'}: {message}"
        + error[len(f"sim: {bad / 'report.json'}: {message}") :]
    )
    assert error.count("\n") == 1 and "Traceback" not in error
    assert not (tmp_path / "out").exists()


def test_a_table_copied_in_from_another_run_is_refused(real_runs, tmp_path: Path, capsys):
    seven, eight = real_runs[0], real_runs[2]
    forged = tmp_path / "forged"
    shutil.copytree(seven, forged)
    shutil.copy(eight / "replications.csv", forged / "replications.csv")
    status, error = _compare(capsys, seven, forged, out=tmp_path / "out")
    assert status == 2
    assert error.startswith(f"sim: {forged / 'replications.csv'}: not the table written with")
    assert error.count("\n") == 1


def test_a_damaged_table_of_a_report_without_checksum_is_caught_by_its_rows(tmp_path: Path, capsys):
    good = write_folder(tmp_path / "a", {"m": [1.0, 2.0, 3.0]})
    cut = write_folder(tmp_path / "b", {"m": [1.0, 2.0, 3.0]})
    rows = (cut / "replications.csv").read_text().splitlines(keepends=True)
    (cut / "replications.csv").write_text("".join(rows[:-1]))
    status, error = _compare(capsys, good, cut, out=tmp_path / "out")
    assert status == 2
    assert "2 rows, but report.json says 3 replications" in error
