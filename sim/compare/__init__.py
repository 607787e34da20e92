"""``sim compare``: what changes between finished runs, and how sure we can be.

:mod:`~sim.compare.load` reads run folders, :mod:`~sim.compare.comparison` pairs them and
compares every shared metric with :mod:`~sim.compare.statistics`;
:mod:`~sim.compare.write` writes comparison.json, comparison.md, comparison.html and the
figures. The package itself imports none of them: a module that needs one comparison
piece (``sim.runs.against`` pairs two runs) must not pull in the report writers.
"""

import sys as _sys

from sim import CallablePackage as _CallablePackage

# `sim.compare(a, b)` and `from sim import compare` are the Python API's compare (sim.api)
_sys.modules[__name__].__class__ = _CallablePackage
