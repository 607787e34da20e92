"""DICAS capacity simulator: US–Japan missile production and repair queues, Monte Carlo."""

__version__ = "0.1.0"
