"""Write a benchmark's results folder atomically: bench.json, bench.md, scaling figures.

Written through :func:`sim.report.writer.staged_folder`, so an interrupted or failed
benchmark leaves the previous results whole rather than half replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.bench.document import render_markdown
from sim.bench.figures import write_scaling_figures
from sim.report.writer import staged_folder


def write_results(results: dict[str, Any], out: str | Path) -> Path:
    """Write `results` to the folder `out`, replacing what was there; return it."""
    with staged_folder(out, "the benchmark results", "bench") as staging:
        figures = write_scaling_figures(results["scaling"], staging)
        (staging / "bench.json").write_text(
            json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (staging / "bench.md").write_text(render_markdown(results, figures), encoding="utf-8")
    return Path(out)
