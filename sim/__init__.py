"""DICAS capacity simulator: US–Japan missile production and repair queues, Monte Carlo.

For notebooks and scripts: ``from sim import load_scenario, run, compare`` (see
:mod:`sim.api`). They are loaded on first use, so ``import sim`` stays instant.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "load_scenario", "run"]

_API = ("compare", "load_scenario", "run")


def __getattr__(name: str) -> Any:
    if name in _API:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
