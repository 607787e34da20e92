"""Reports of a run: report.json (the contract), report.md, report.html, figures, CSV.

:func:`sim.report.writer.write_report` writes them all. The package itself imports
nothing, so a module that needs one piece (a table format, the CSV reader) does not pull
in the writers and their figures.
"""
