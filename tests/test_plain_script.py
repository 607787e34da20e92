"""The README's API snippet works pasted into a plain script, with or without a main guard.

Worker processes are spawned, and a spawned worker imports the script that started it.
A script without ``if __name__ == "__main__":`` then ran its own ``run()`` in every worker
and the run died with "worker process died". Now the workers leave quietly and the run
goes on in the script's process, with a warning that says how to use every core.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNIPPET = """\
from sim import run

result = run("scenarios/hindcast-pac3.yaml", reps=2000, seed=3)
print(repr(result.summary("item.PAC-3 MSE.deliveries.2025")["mean"]))
"""
GUARDED = (
    "def main():\n"
    + "".join(f"    {line}\n" for line in SNIPPET.splitlines()[2:])
    + ('if __name__ == "__main__":\n    from sim import run\n    main()\n')
)


def _script(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "analysis.py"
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_an_unguarded_script_runs_in_its_own_process_with_a_warning(tmp_path: Path):
    unguarded = _script(tmp_path, SNIPPET)
    assert unguarded.returncode == 0, unguarded.stderr
    assert "Traceback" not in unguarded.stderr
    assert 'no `if __name__ == "__main__":` guard' in unguarded.stderr
    guarded = _script(tmp_path, GUARDED)
    assert guarded.returncode == 0, guarded.stderr
    assert "guard" not in guarded.stderr
    assert unguarded.stdout == guarded.stdout  # the same numbers either way
