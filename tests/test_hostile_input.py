"""The hostile-input campaign's remaining cases, run as users run them: `sim` in a subprocess.

Every case must end with exit 2 (bad input) and one clear line — never a traceback, a
kill, or exit 0 with a wrong number. The other cases of the campaign live beside the
code they test: output folders (test_output_folder.py), ``extends:`` (test_extends_safety
.py), ``--set`` (test_override_errors.py), NaN and infinity (test_non_finite.py),
bounds (test_limits.py), run folders given to ``sim compare``
(compare/test_integrity.py), Ctrl-C (test_interrupt.py), a bad ``--scheduler``
(execution/test_dask_cli.py) and orphaned workers (execution/test_orphans.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.command_line import sim

HEADER = "name: x\nstart_year: 2026\nyears: 2\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            HEADER + "description: !!timestamp notadate\n",
            "x.yaml:4: description: 'notadate' is not a date (write YYYY-MM-DD)",
        ),
        (
            HEADER + "replications: 1000000000000\n",
            "x.yaml:4: replications: input should be less than or equal to 10000000",
        ),
        (
            HEADER + "seed: 1\n" + "# filler\n" * 22 + 'description: "a\x00b"\n',
            "x.yaml:27: YAML syntax: character #x0000 is not allowed in YAML",
        ),
        (
            HEADER + "".join(f"k{number}: {number}\n" for number in range(400_000)),
            "x.yaml:1: 6,177,814 bytes: larger than a scenario can be (5,000,000 bytes",
        ),
    ],
    ids=["timestamp tag", "10^12 replications", "NUL byte on line 27", "a 6 MB file"],
)
def test_a_hostile_file_is_one_line_and_exit_2(tmp_path: Path, content: str, expected: str):
    (tmp_path / "x.yaml").write_text(content, encoding="utf-8")
    result = sim("run", "x.yaml", "--quiet", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected), lines[0]
    assert not (tmp_path / "out").exists()


def test_a_trillion_replications_on_the_command_line_is_refused_at_once(tmp_path: Path):
    (tmp_path / "x.yaml").write_text(HEADER, encoding="utf-8")
    result = sim("run", "x.yaml", "--reps", "1000000000000", "--quiet", cwd=tmp_path)
    assert result.returncode == 2
    assert "argument --reps: must be at most 10,000,000 (the limit of one run)" in result.stderr
    assert "Traceback" not in result.stderr
