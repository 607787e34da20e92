"""Every bad ``--set`` is one clear line and exit 2: the same loader and guards as files.

Before, ``--set`` values went through plain ``yaml.safe_load``: an impossible date, deep
nesting or an explicit ``!!timestamp`` ended in a traceback, and a typo in a line's name
silently created a new line that then failed with three "required key" errors.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.loading import load_scenario

ROOT = Path(__file__).resolve().parents[1]
CO_PRODUCTION = ROOT / "scenarios" / "co-production.yaml"
RUN = (sys.executable, "-m", "sim", "run", str(CO_PRODUCTION), "--quiet")


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            "lines.amraam-japan.opens=2028-01-01",
            "--set:1: lines.amraam-japan: no line amraam-japan in the scenario "
            "(did you mean amraam-jp?)",
        ),
        (
            "lines.amraam-jp.opens=2028-13-45",
            "--set:1: lines.amraam-jp.opens: cannot read the value '2028-13-45': "
            "'2028-13-45' is not a date (write YYYY-MM-DD)",
        ),
        (
            "lines.amraam-jp.opens=2028-02-30",
            "--set:1: lines.amraam-jp.opens: cannot read the value '2028-02-30': "
            "'2028-02-30' is not a date (write YYYY-MM-DD)",
        ),
        (
            "lines.amraam-jp.opens=!!timestamp notadate",
            "--set:1: lines.amraam-jp.opens: cannot read the value '!!timestamp notadate': "
            "'notadate' is not a date (write YYYY-MM-DD)",
        ),
        (
            "description=" + "[" * 20_000,
            "--set:1: description: cannot read the value '" + "[" * 39 + "…': "
            "YAML nested too deeply to read",
        ),
        (
            "ship_repair.yards.maizuru.berths=2",
            "--set:1: ship_repair.yards.maizuru: no yard maizuru in the scenario "
            "(did you mean maizuru-jmu?)",
        ),
        ("no-equals-sign", "--set:1: 'no-equals-sign' is not PATH=VALUE"),
    ],
    ids=["unknown line", "month 13", "30 February", "timestamp tag", "deep", "yard", "form"],
)
def test_a_bad_override_is_one_line(override: str, expected: str):
    with pytest.raises(ScenarioError) as refused:
        load_scenario(CO_PRODUCTION, [override])
    assert [str(problem) for problem in refused.value.problems] == [expected]


def test_a_whole_new_entry_may_still_be_given():
    line = "{country: US, makes: AIM-120, capacity: {initial: 10}}"
    scenario = load_scenario(CO_PRODUCTION, [f"lines.amraam-us2={line}"])
    assert "amraam-us2" in scenario.lines


def test_the_command_line_says_it_in_one_line_without_a_traceback(tmp_path: Path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(CO_PRODUCTION),
            "--quiet",
            "--out",
            str(tmp_path / "out"),
            "--set",
            "lines.amraam-jp.opens=2028-13-01",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "--set:1: lines.amraam-jp.opens: cannot read the value '2028-13-01': "
        "'2028-13-01' is not a date (write YYYY-MM-DD)"
    ]
    assert not (tmp_path / "out").exists()
