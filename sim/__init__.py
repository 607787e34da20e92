"""DICAS capacity simulator: US–Japan missile production and repair queues, Monte Carlo.

For notebooks and scripts: ``from sim import load_scenario, run, compare`` (see
:mod:`sim.api`). They are loaded on first use, so ``import sim`` stays instant.
"""

from __future__ import annotations

import types
from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "load_scenario", "run"]


class CallablePackage(types.ModuleType):
    """The :mod:`sim.compare` package, which is also the API's ``compare(a, b, …)``.

    ``sim.compare`` names both the package that compares run folders and the API function
    ``from sim import compare``. Python binds a subpackage to its parent's attribute
    whenever it is imported, so a plain function of that name would be replaced by the
    package; instead the package itself is made callable and calling it calls
    :func:`sim.api.compare`.
    """

    def __call__(self, *runs: Any) -> Any:
        # imported on first use, so that `import sim` (and the `sim` executable) stays light
        from sim.api import compare

        return compare(*runs)


def __getattr__(name: str) -> Any:
    if name == "compare":
        # on first use (start-up), like the API below
        import sim.compare

        return sim.compare
    if name in ("load_scenario", "run"):
        # on first use (start-up): the API imports NumPy and the engines
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
