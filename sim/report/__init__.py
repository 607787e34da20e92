"""Reports of a run: report.json (the contract), report.md, report.html, figures, CSV."""

from sim.report.writer import write_report

__all__ = ["write_report"]
