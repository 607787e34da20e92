"""Running the model at chosen values of the studied inputs (a sensitivity design).

Every uncertain input is drawn by the inverse CDF of one uniform (:mod:`sim.sampling`),
so a design can be given as uniforms: :class:`DesignSampler` hands the draw code the
design's uniform for each studied input and leaves every other draw — unstudied inputs,
per-event randomness — to the replication's own streams. Row *r* of a design is run as
replication ``first_row + r``, so its noise depends only on the seed and that index:
two designs run over the same replications share their noise exactly (common random
numbers), which the Sobol estimators rely on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping

import numpy as np

from sim.network import Network
from sim.parameter_id import ParameterId
from sim.production.outcomes import Outcomes
from sim.sampling import sample_parameters
from sim.streams import BLOCK, Sampler, open_uniforms
from sim.vector import simulate

CHUNK = 8 * BLOCK
"""Replications simulated at once: large enough to amortise the engine's step loop."""


class DesignSampler(Sampler):
    """A :class:`Sampler` whose uniforms for the studied inputs come from a design.

    `design` maps input names to one uniform per design row; row *r* is replication
    ``first_row + r``. Replications outside the design (the rest of a block) keep their
    own draws, so the whole block is the same whichever chunk asks for it.
    """

    def __init__(
        self,
        seed: int,
        first_block: int,
        blocks: int,
        *,
        design: Mapping[str, np.ndarray],
        first_row: int,
    ):
        super().__init__(seed, first_block, blocks)
        self.design = design
        self.first_row = first_row

    def uniforms(self, name: str) -> np.ndarray:
        """The design's uniforms for a studied input, the stream's for anything else."""
        values = super().uniforms(name)
        column = self.design.get(name)
        if column is None:
            return values
        start = self.first_block * BLOCK
        low = max(start, self.first_row)
        high = min(start + self.size, self.first_row + len(column))
        if low < high:
            values[low - start : high - start] = open_uniforms(
                column[low - self.first_row : high - self.first_row]
            )
        return values


def chunks(rows: range, size: int = CHUNK) -> Iterator[range]:
    """`rows` cut at multiples of `size` (a whole number of blocks) in replication space."""
    size = max(BLOCK, size // BLOCK * BLOCK)
    start = rows.start
    while start < rows.stop:
        stop = min((start // size + 1) * size, rows.stop)
        yield range(start, stop)
        start = stop


def simulate_rows(
    network: Network,
    seed: int,
    rows: range,
    design: Mapping[str, np.ndarray] | None = None,
    chunk_size: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> tuple[Outcomes, dict[ParameterId, np.ndarray]]:
    """Run replications `rows` through the vector engine; return outcomes and input draws.

    `design` (one uniform column per studied input, ``len(rows)`` long) replaces those
    inputs' own draws; without one this is an ordinary run, bit-identical to ``sim run``
    with the same seed. The input draws are :attr:`sim.parameters.Parameters.named` of every
    replication. Nothing depends on `chunk_size`: draws are made for whole blocks.
    """
    sampler = (
        Sampler
        if not design
        else functools.partial(DesignSampler, design=design, first_row=rows.start)
    )
    parts, draws = [], []
    for chunk in chunks(rows, chunk_size):
        parameters = sample_parameters(network, seed, chunk, sampler)
        parts.append(simulate(network, parameters))
        draws.append(parameters.named)
        if progress is not None:
            progress(len(chunk))
    named = {key: np.concatenate([part[key] for part in draws]) for key in draws[0]}
    return Outcomes.concatenate(parts), named


def probe_metrics(network: Network, seed: int) -> dict[str, str]:
    """The metrics the scenario reports, with units, from a one-replication run.

    Cheap next to any study, and generic: whatever the engines report, the names come
    from the engine itself, so a mistyped ``--metric`` fails before the long run.
    """
    return dict(simulate(network, sample_parameters(network, seed, range(1))).units)
