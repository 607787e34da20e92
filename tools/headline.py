"""Print a scenario run's headline numbers, for before/after notes on a change.

    python tools/headline.py RUN_FOLDER [RUN_FOLDER …]

For each run folder (the output of `sim run`): PAC-3 MSE, SM-3 IIA and AIM-120
deliveries in 2026 and 2030 and stock at the end of 2030 (mean, P5–P95), each end
item's conflict shortfall where there is one, the planned-availability late share and
bare firewalls per engine type. Missing metrics are left out, so older runs print too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ITEMS = ("PAC-3 MSE", "SM-3 IIA", "AIM-120")
MEASURES = ("deliveries.2026", "deliveries.2030", "stock_end.2030", "conflict.shortfall")


def headline(folder: Path) -> list[tuple[str, str]]:
    """(metric, 'mean (P5–P95)') for the headline metrics the run reports."""
    metrics = json.loads((folder / "report.json").read_text(encoding="utf-8"))["metrics"]
    names = [f"item.{item}.{measure}" for item in ITEMS for measure in MEASURES]
    names += ["ships.late_share", "ships.planned_late_share"]
    names += sorted(name for name in metrics if name.endswith(".bare_firewalls"))
    rows = []
    for name in names:
        summary = metrics.get(name)
        if summary is None or summary.get("mean") is None:
            continue
        spread = f"{_shown(summary, 'mean')} ({_shown(summary, 'p5')}–{_shown(summary, 'p95')})"
        rows.append((name, spread))
    return rows


def _shown(summary: dict, key: str) -> str:
    value = summary[key]
    if summary.get("unit") == "fraction":
        return f"{100 * value:.0f} %"
    return f"{value:,.1f}" if abs(value) < 10 else f"{value:,.0f}"


def main(folders: list[str]) -> None:
    for folder in folders:
        print(f"## {folder}")
        for name, value in headline(Path(folder)):
            print(f"{name:45s} {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
