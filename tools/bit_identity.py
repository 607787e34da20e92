"""Check that a refactor changed no number: every metric and series, both engines.

A refactor that should not change behaviour (renaming, moving code, a new module that
spells names in one place) is only safe if nothing the simulator produces moves by a
single bit. This script records what the shipped scenarios produce — every metric and
every monthly series of every replication, in both engines, with a fixed seed — and
later compares a fresh run against that record:

    python tools/bit_identity.py record /tmp/reference   # before the change
    python tools/bit_identity.py check  /tmp/reference   # after each step

Besides the arrays (``<scenario>.<engine>.npz``: ``metric:<name>`` and ``series:<name>``
per replication, ``unit:<name>`` per metric) it records the report files of one run
(report.json with the wall times blanked, report.md with its wall-time line blanked),
comparison.json and comparison.md of baseline against co-production, and each
scenario's default headline metrics (sensitivity and ``--precision``), and compares
them byte for byte. Keep the record outside the repository: it is large, and it belongs
to the commit it was made at.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("baseline", "co-production", "contingency")
"""The three shipped scenarios (the hindcast is a validation case, not a shipped plan)."""
REPLICATIONS = {"vector": 500, "des": 50}
SEED = 20261206
REPORT_RUN = ("co-production", "vector")
"""The run whose report.json and report.md are byte-compared."""
SHOWN_LINES = 12
"""Lines of a differing file's diff printed."""


def produce(folder: Path, workers: int) -> None:
    """Run every scenario in both engines and write what it produced under `folder`."""
    from sim import api
    from sim.execution.precision import headline_metrics as precision_headline
    from sim.sensitivity.metrics import headline_metrics as sensitivity_headline

    folder.mkdir(parents=True, exist_ok=True)
    results = {}
    headlines: dict[str, dict[str, list[str]]] = {}
    for name in SCENARIOS:
        for engine, reps in REPLICATIONS.items():
            result = api.run(
                ROOT / "scenarios" / f"{name}.yaml",
                reps=reps,
                seed=SEED,
                engine=engine,
                workers=workers,
            )
            results[name, engine] = result
            outcomes = result.run.outcomes
            arrays = {f"metric:{k}": v for k, v in outcomes.metrics.items()}
            arrays |= {f"series:{k}": v for k, v in outcomes.series.items()}
            arrays |= {f"unit:{k}": np.array(v) for k, v in outcomes.units.items()}
            np.savez_compressed(folder / f"{name}.{engine}.npz", **arrays)
            print(
                f"{name} {engine}: {len(outcomes.metrics)} metrics, {len(outcomes.series)} series"
            )
        network, known = result.run.network, result.run.outcomes.metrics
        headlines[name] = {
            "sensitivity": sensitivity_headline(network, dict.fromkeys(known)),
            "precision": precision_headline(network, list(known)),
        }
    (folder / "headlines.json").write_text(json.dumps(headlines, indent=1) + "\n")

    with tempfile.TemporaryDirectory() as scratch:
        report = results[REPORT_RUN].save(Path(scratch) / "report")
        document = json.loads((report / "report.json").read_text())
        document["run"]["wall_seconds"] = 0
        for timing in ("total_wall_seconds", "part_wall_seconds"):  # a clock, not a result
            if timing in document["run"]:
                document["run"][timing] = 0
        text = json.dumps(document, indent=1, sort_keys=True)
        (folder / "report.json").write_text(_portable(text, scratch))
        markdown = (report / "report.md").read_text()
        markdown = re.sub(r"Wall time: [^\n]*", "Wall time: —", markdown)
        (folder / "report.md").write_text(_portable(markdown, scratch))
        base = results["baseline", "vector"].save(Path(scratch) / "baseline")
        plan = results["co-production", "vector"].save(Path(scratch) / "plan")
        compared = api.compare(base, plan).save(Path(scratch) / "compare")
        for file in ("comparison.json", "comparison.md"):
            (folder / file).write_text(_portable((compared / file).read_text(), scratch))


def _portable(text: str, scratch: str) -> str:
    """`text` with the folders that differ between checkouts blanked: the temporary
    folder the runs were saved in, and the repository's own (the scenario files' paths),
    so a reference made in one clone checks another. Markdown escapes underscores."""
    for folder, blank in ((scratch, "<scratch>"), (str(ROOT), "<repository>")):
        text = text.replace(folder, blank).replace(folder.replace("_", "\\_"), blank)
    return text


def compare(reference: Path, fresh: Path) -> int:
    """Compare `fresh` with `reference`; print every difference; return how many."""
    differences = 0
    counts = {"metric": 0, "series": 0}
    for name in SCENARIOS:
        for engine in REPLICATIONS:
            file = f"{name}.{engine}.npz"
            with np.load(reference / file) as old, np.load(fresh / file) as new:
                for key in sorted(set(old.files) ^ set(new.files)):
                    where = "reference" if key in old.files else "new run"
                    print(f"{file}: {key} only in the {where}")
                    differences += 1
                for key in sorted(set(old.files) & set(new.files)):
                    a, b = old[key], new[key]
                    same = a.dtype == b.dtype and a.shape == b.shape
                    if same and a.dtype.kind == "f":
                        same = a.tobytes() == b.tobytes()
                    elif same:
                        same = bool(np.array_equal(a, b))
                    if not same:
                        print(f"{file}: {key} differs")
                        differences += 1
                    kind = key.split(":", 1)[0]
                    if kind in counts:
                        counts[kind] += 1
    for file in ("headlines.json", "report.json", "report.md", "comparison.json", "comparison.md"):
        old_text, new_text = ((folder / file).read_text() for folder in (reference, fresh))
        if old_text != new_text:
            print(f"{file} differs:")
            lines = difflib.unified_diff(old_text.splitlines(), new_text.splitlines(), n=0)
            print("\n".join(itertools.islice(lines, 2, 2 + SHOWN_LINES)))
            differences += 1
    print(
        f"compared {counts['metric']} metric and {counts['series']} series arrays "
        f"({len(SCENARIOS)} scenarios × {len(REPLICATIONS)} engines) and 5 files: "
        f"{differences} difference(s)"
    )
    return differences


def main(argv: list[str] | None = None) -> int:
    """``record FOLDER`` or ``check FOLDER`` (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "check"))
    parser.add_argument("folder", type=Path, help="where the reference is (kept outside the repo)")
    parser.add_argument("--keep", type=Path, help="check: keep the fresh run in this folder")
    parser.add_argument("--workers", type=int, default=2, help="local processes (default 2)")
    arguments = parser.parse_args(argv)
    if arguments.action == "record":
        produce(arguments.folder, arguments.workers)
        return 0
    if arguments.keep is not None:
        produce(arguments.keep, arguments.workers)
        return 1 if compare(arguments.folder, arguments.keep) else 0
    with tempfile.TemporaryDirectory() as scratch:
        produce(Path(scratch), arguments.workers)
        return 1 if compare(arguments.folder, Path(scratch)) else 0


if __name__ == "__main__":
    sys.exit(main())
