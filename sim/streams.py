"""Random streams named by the parameter they drive, in blocks of replications.

Randomness is organised so that a report is bit-identical for a seed whatever the chunk
size, worker count or backend, and so that two scenarios run with one seed share draws:

* every random stream is named by the parameter it drives (``lines.pac3-us.growth_cap``,
  the :attr:`~sim.parameter_id.ParameterId.name` of the identity it is declared with,
  which also says whether it is a number, a date or a count; the per-event streams and
  the yes/no draws, which nothing reads back, are named by their dotted name alone)
  and by a *block* of :data:`BLOCK` consecutive replications; its seed is
  ``SeedSequence(seed, spawn_key=(block, *hash(name)))``. Streams never depend on call
  order, so adding a line to scenario B leaves every draw A and B share untouched;
* draws are always made for whole blocks and sliced afterwards, so a chunk that starts
  or ends inside a block sees exactly the numbers the whole block would;
* scalar parameters use the inverse CDF of one uniform each (see
  :mod:`sim.scenario.distributions`), so the same uniform drives the same parameter in both
  scenarios even when its range changes.

What is drawn from them, and how, is :mod:`sim.sampling`; the result, which both engines
read, is :class:`sim.parameters.Parameters`.
"""

from __future__ import annotations

import hashlib

import numpy as np

from sim.correlation import RankCorrelations
from sim.parameter_id import ParameterId, drawn_as
from sim.scenario.distributions import Distribution, is_fixed, quantiles

BLOCK = 250
"""Replications per random-number block; chunks are cut on these boundaries."""


def open_uniforms(u: np.ndarray) -> np.ndarray:
    """Uniforms from [0, 1) moved off 0, so inverse CDFs never see 0 (or 1)."""
    result: np.ndarray = np.maximum(u, 2.0**-54)
    return result


def _name_key(name: str) -> tuple[int, ...]:
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


def generator(seed: int, name: str, block: int) -> np.random.Generator:
    """The random stream for parameter `name` in replication block `block`."""
    sequence = np.random.SeedSequence(seed, spawn_key=(block, *_name_key(name)))
    return np.random.Generator(np.random.PCG64(sequence))


class Sampler:
    """Draws named parameters for whole blocks of replications."""

    correlations: RankCorrelations = RankCorrelations(())
    """Rank correlations between inputs (none unless the scenario asks for some)."""

    def __init__(self, seed: int, first_block: int, blocks: int):
        self.seed = seed
        self.first_block = first_block
        self.blocks = blocks
        self.size = blocks * BLOCK

    def generators(self, name: str) -> list[np.random.Generator]:
        """One stream per block, in replication order."""
        return [generator(self.seed, name, self.first_block + b) for b in range(self.blocks)]

    def uniforms(self, name: str) -> np.ndarray:
        """One uniform on the open interval (0, 1) per replication."""
        return open_uniforms(np.concatenate([g.random(BLOCK) for g in self.generators(name)]))

    def draw(self, parameter: ParameterId, spec: Distribution) -> np.ndarray:
        """One draw of `spec` per replication, by inverse CDF.

        A reference to a shared draw (``{shared: NAME}``) is drawn from the stream
        ``shared.NAME`` instead of its own, so every place that refers to it gets the
        same values.
        """
        if is_fixed(spec):
            return np.full(self.size, spec.support()[0])
        stream = drawn_as(parameter, spec).name
        if stream in self.correlations:
            return quantiles(spec, self.correlations.uniforms(stream, self.uniforms))
        return quantiles(spec, self.uniforms(stream))
