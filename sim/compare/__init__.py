"""``sim compare``: what changes between finished runs, and how sure we can be.

:mod:`~sim.compare.load` reads run folders, :mod:`~sim.compare.comparison` pairs them and
compares every shared metric with :mod:`~sim.compare.statistics`;
:mod:`~sim.compare.write` writes comparison.json, comparison.md, comparison.html and the
figures.
"""

from sim.compare.comparison import Comparison, compare_runs, default_folder
from sim.compare.load import RunFolder, load_run
from sim.compare.write import write_comparisons

__all__ = [
    "Comparison",
    "RunFolder",
    "compare_runs",
    "default_folder",
    "load_run",
    "write_comparisons",
]

import sys as _sys

from sim import CallablePackage as _CallablePackage

# `sim.compare(a, b)` and `from sim import compare` are the Python API's compare (sim.api)
_sys.modules[__name__].__class__ = _CallablePackage
