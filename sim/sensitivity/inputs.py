"""The uncertain inputs a sensitivity study looks at.

An *input* is an uncertain scalar drawn once per replication, identified by its
:class:`~sim.parameter_id.ParameterId` (named by its scenario path,
``lines.amraam-jp.opens``, and read as a number, a date or a count by its kind): exactly
the entries of :attr:`sim.parameters.Parameters.named`.
Randomness drawn per event — disruption events, unit failures, ship arrivals, engine
removals — and yes/no draws (does a conflict happen, does a certification succeed) are
not inputs: both methods treat them as noise.

Draws depend only on the seed, the replication index and the input's name, so the
inputs of a finished run are recovered exactly by drawing them again, chunk by chunk,
without simulating anything, and without drawing the per-event randomness either
(:class:`InputsOnlySampler`).
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Mapping, Sequence

import numpy as np

from sim.errors import Problem, ScenarioError
from sim.network import Network
from sim.parameter_id import ParameterId
from sim.sampling import sample_parameters
from sim.streams import BLOCK, Sampler, open_uniforms

DRAW_CHUNK = BLOCK
"""Replications drawn at once when recovering a run's inputs: bounds the memory used."""


class NoEvents:
    """Stands in for the random stream of per-event draws: no events, nothing drawn.

    Event counts are 0, so no event arrays are built, and uniforms are all 0.
    """

    def random(self, shape: int | tuple[int, ...]) -> np.ndarray:
        """Uniforms: all 0."""
        return np.zeros(shape)

    def poisson(self, mean: np.ndarray) -> np.ndarray:
        """Event counts: none."""
        return np.zeros(np.shape(mean), dtype=np.int64)


class InputsOnlySampler(Sampler):
    """A sampler whose parameters are right in their inputs and nothing else.

    The inputs (:attr:`Parameters.named`) and the yes/no draws are drawn from their own
    streams by :meth:`Sampler.uniforms`, as always; the per-event streams (disruptions,
    failing units, ship requests, engine removals) that :meth:`Sampler.generators` hands
    out are replaced by :class:`NoEvents`. Every input has a stream of its own, so its
    draws are exactly those of a full sample, in a third to three fifths of the time on
    the shipped scenarios; the rest of the parameters must not be simulated.
    """

    def generators(self, name: str) -> list[np.random.Generator]:
        """No per-event draws: :class:`NoEvents` for every block."""
        # NoEvents is not a Generator: it answers only the calls that per-event draws make
        return [NoEvents()] * self.blocks  # type: ignore[list-item]

    def uniforms(self, name: str) -> np.ndarray:
        """An input's or a yes/no draw's uniforms, from its real streams."""
        return open_uniforms(np.concatenate([g.random(BLOCK) for g in super().generators(name)]))


def scenario_inputs(network: Network, seed: int) -> list[ParameterId]:
    """Every uncertain input of the scenario, in scenario order."""
    return list(sample_parameters(network, seed, range(1), InputsOnlySampler).named)


def run_inputs(network: Network, seed: int, replications: range) -> dict[ParameterId, np.ndarray]:
    """The draw of every uncertain input in `replications`, in order."""
    parts: dict[ParameterId, list[np.ndarray]] = {}
    for start in range(replications.start, replications.stop, DRAW_CHUNK):
        chunk = range(start, min(start + DRAW_CHUNK, replications.stop))
        drawn = sample_parameters(network, seed, chunk, InputsOnlySampler)
        for parameter, values in drawn.named.items():
            parts.setdefault(parameter, []).append(values)
    return {parameter: np.concatenate(values) for parameter, values in parts.items()}


def select_inputs(inputs: Sequence[ParameterId], patterns: Sequence[str]) -> list[ParameterId]:
    """The inputs whose names match any of the shell-style `patterns` (all when none).

    A pattern that matches nothing is bad input (``--input:N: pattern: ...``), with
    close matches suggested, because a silently empty study would be misread as "no
    effect".
    """
    if not patterns:
        return list(inputs)
    names = [parameter.name for parameter in inputs]
    problems = [
        Problem("--input", position, pattern, no_such("uncertain input", pattern, names))
        for position, pattern in enumerate(patterns, start=1)
        if not any(fnmatch.fnmatchcase(name, pattern) for name in names)
    ]
    if problems:
        raise ScenarioError(problems)
    return [
        parameter
        for parameter in inputs
        if any(fnmatch.fnmatchcase(parameter.name, p) for p in patterns)
    ]


def no_such(what: str, name: str, known: Sequence[str]) -> str:
    """'no such …' with up to three close matches: most wrong names are typos."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"no such {what} in this scenario{hint}"


def input_ranges(
    inputs: Mapping[ParameterId, np.ndarray],
) -> dict[ParameterId, tuple[float, float]]:
    """The 5th and 95th percentiles of each input's draws: what 'low' and 'high' mean."""
    ranges = {}
    for parameter, values in inputs.items():
        low, high = np.percentile(values, [5, 95])
        ranges[parameter] = (float(low), float(high))
    return ranges
