"""Rank correlation between uncertain inputs: a Gaussian copula applied per replication.

A scenario's ``correlations:`` list asks for a Spearman rank correlation between pairs of
uncertain inputs (named as in sensitivity analysis: ``lines.pac3-us.capacity.growth_cap``,
``shared.NAME``). Every input is drawn by the inverse CDF of one uniform from its own
named stream (:mod:`sim.sampling`); for the inputs of a correlated group those uniforms
are first turned into standard normals, mixed by the Cholesky factor of the group's
normal correlation matrix, and turned back into uniforms. Then:

* **marginals are exact**: each mixed normal is a unit-variance sum of independent
  normals, so its uniform is exactly uniform and every input keeps its distribution;
* **the rank correlation is exact in the population**: for a Gaussian copula Spearman's
  ρ_s and the normals' correlation ρ are tied by ρ = 2·sin(π·ρ_s/6);
* **replication i depends only on its own streams**, so results are the same whatever
  the chunking, and an input outside every group is drawn exactly as before. Iman–Conover,
  the other method @RISK and Crystal Ball users know, re-orders a whole sample to hit the
  target rank correlation in that sample; the sample here is a chunk of replications,
  so re-ordering within it would make a replication's draws depend on the chunk it falls
  in. The copula reaches the target within sampling error instead of exactly.

Groups are the connected sets of inputs linked by pairs; their members are mixed in
sorted name order, so the order of the pairs in the file changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from sim.scenario.yamlsource import Path_

if TYPE_CHECKING:  # the scenario's validation calls this module
    from sim.scenario.model import Scenario


def normal_correlation(rank: float) -> float:
    """The normals' correlation that gives Spearman rank correlation `rank` (Pearson 1907)."""
    return 2.0 * math.sin(math.pi * rank / 6.0)


@dataclass(frozen=True)
class Group:
    """Inputs correlated with one another, and the Cholesky factor that mixes them."""

    names: tuple[str, ...]
    factor: np.ndarray
    """Lower-triangular L with L·Lᵀ the normals' correlation matrix."""


class RankCorrelations:
    """The correlated groups of a scenario, and the transform of their uniforms."""

    def __init__(self, pairs: Sequence[tuple[str, str, float]]):
        self.groups: list[Group] = []
        self.group_of: dict[str, Group] = {}
        for names, matrix in _matrices(pairs):
            group = Group(names, np.linalg.cholesky(matrix))
            self.groups.append(group)
            self.group_of.update(dict.fromkeys(names, group))

    @classmethod
    def of(cls, scenario: Scenario) -> RankCorrelations:
        """The correlations a scenario asks for (none: an empty transform)."""
        return cls([(*c.between, c.rank) for c in scenario.correlations])

    def __contains__(self, name: str) -> bool:
        return name in self.group_of

    def uniforms(self, name: str, own: Callable[[str], np.ndarray]) -> np.ndarray:
        """The correlated uniforms of input `name`; `own(member)` gives each member's
        uniforms from its own stream, one per replication."""
        group = self.group_of[name]
        normals = np.stack([special.ndtri(own(member)) for member in group.names])
        row = group.factor[group.names.index(name)]
        mixed = row @ normals
        # Φ keeps its argument's tails; clip as the samplers do, so no inverse CDF sees 0
        return np.clip(special.ndtr(mixed), 2.0**-54, 1.0 - 2.0**-53)


def check_correlations(
    scenario: Scenario, inputs: Callable[[], Sequence[str]]
) -> Iterator[tuple[Path_, str]]:
    """Problems with a scenario's ``correlations``, located by their dotted path.

    `inputs()` lists the scenario's uncertain inputs (called only when there are
    correlations to check, since it samples the scenario).
    """
    if not scenario.correlations:
        return
    seen: dict[frozenset[str], int] = {}
    for i, correlation in enumerate(scenario.correlations):
        pair = frozenset(correlation.between)
        if pair in seen:
            yield ("correlations", i), f"the same pair as correlations.{seen[pair]}"
        seen.setdefault(pair, i)
    known = list(inputs())
    unknown = False
    for i, correlation in enumerate(scenario.correlations):
        for j, name in enumerate(correlation.between):
            if name not in known:
                unknown = True
                yield ("correlations", i, "between", j), _not_an_input(name, known)
    if unknown:
        return
    for names, matrix in _matrices([(*c.between, c.rank) for c in scenario.correlations]):
        if np.linalg.eigvalsh(matrix)[0] <= 1e-10:
            yield (
                ("correlations",),
                "the rank correlations among "
                + ", ".join(names)
                + " cannot hold together (their correlation matrix is not positive definite)",
            )


def _not_an_input(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"'{name}' is not an uncertain input of this scenario{hint}; inputs are named as in "
        "sim sensitivity's reports, and fixed numbers cannot correlate"
    )


def _matrices(
    pairs: Sequence[tuple[str, str, float]],
) -> Iterator[tuple[tuple[str, ...], np.ndarray]]:
    """Each connected group of names, sorted, with the normals' correlation matrix."""
    linked: dict[str, set[str]] = {}
    for a, b, _ in pairs:
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    done: set[str] = set()
    for first in sorted(linked):
        if first in done:
            continue
        members, todo = set(), [first]
        while todo:
            name = todo.pop()
            if name not in members:
                members.add(name)
                todo.extend(linked[name])
        done |= members
        names = tuple(sorted(members))
        matrix = np.eye(len(names))
        for a, b, rank in pairs:
            if a in members:
                i, j = names.index(a), names.index(b)
                matrix[i, j] = matrix[j, i] = normal_correlation(rank)
        yield names, matrix
