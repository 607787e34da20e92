"""Write a comparison's folder: comparison.json, comparison.md, comparison.html, figures/.

The folder is written atomically by the same staging helper as a run's report
(:func:`sim.report.writer.staged_folder`). With two runs the figures are
``figures/forest.png`` and ``figures/differences.png``; with more, each pair's figures
carry its name (``figures/contingency-vs-baseline-forest.png``) and the documents have a
section per pair.
"""

from __future__ import annotations

from pathlib import Path

from sim import __version__
from sim.compare.comparison import Comparison
from sim.compare.document import build_comparison_document
from sim.compare.figures import write_comparison_figures
from sim.compare.json import comparisons_json
from sim.report.html import html_from_document
from sim.report.json import dumps
from sim.report.markdown import markdown_from_document
from sim.report.writer import staged_folder


def write_comparisons(comparisons: list[Comparison], out: str | Path) -> Path:
    """Write the comparison of each pair in `comparisons` to the folder `out`."""
    with staged_folder(out, "the comparison", "compare") as staging:
        figures = {
            comparison.slug: write_comparison_figures(
                comparison,
                staging / "figures",
                "" if len(comparisons) == 1 else f"{comparison.slug}-",
            )
            for comparison in comparisons
        }
        (staging / "comparison.json").write_text(
            dumps(comparisons_json(comparisons)), encoding="utf-8"
        )
        document = build_comparison_document(comparisons, figures)
        (staging / "comparison.md").write_text(markdown_from_document(document), encoding="utf-8")
        (staging / "comparison.html").write_text(
            html_from_document(document, staging, __version__), encoding="utf-8"
        )
    return Path(out)
