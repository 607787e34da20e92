"""The NumPy engine: all replications of a chunk at once, a Python loop over time steps."""

from sim.vector.production import simulate

__all__ = ["simulate"]
