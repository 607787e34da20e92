"""The NumPy engine: all replications of a chunk at once.

Production loops over time steps; ship and engine repair are exact event recursions.
"""

from sim.vector.model import simulate

__all__ = ["simulate"]
