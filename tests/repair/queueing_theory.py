"""Exact steady-state results for the two textbook cases the repair model contains.

* A yard fed by one Poisson stream of emergent repairs with exponential work, c berths,
  no transit: the **M/M/c** queue. Erlang's C formula gives the probability that a ship
  waits; the mean wait follows from it.
* One engine type with one depot, exponential turnaround and no transport: the
  **finite-source machine-repair** model with spares, a birth–death chain in the number
  of engines out. Its stationary distribution is computed exactly from the balance
  equations, so there is nothing to approximate.

Both engines' tests compare their long-run averages with these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import eigvalsh_tridiagonal


def erlang_c(servers: int, offered: float) -> float:
    """Probability that an arrival waits in M/M/c with `offered` load a = λ/μ < c.

    Computed through the Erlang B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which stays
    stable for any c, then C = c·B / (c − a·(1 − B)).
    """
    if not 0 <= offered < servers:
        raise ValueError(f"offered load {offered} must be below the {servers} servers")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    return servers * blocking / (servers - offered * (1.0 - blocking))


@dataclass(frozen=True)
class MMc:
    """Steady state of an M/M/c queue (rates per day)."""

    servers: int
    arrival_rate: float
    service_rate: float

    @property
    def offered(self) -> float:
        """Offered load a = λ/μ: the mean number of busy servers."""
        return self.arrival_rate / self.service_rate

    @property
    def wait_probability(self) -> float:
        """P(wait > 0), Erlang C."""
        return erlang_c(self.servers, self.offered)

    @property
    def mean_wait(self) -> float:
        """Mean time from arrival to the start of service: C / (cμ − λ)."""
        return self.wait_probability / (self.servers * self.service_rate - self.arrival_rate)

    @property
    def mean_queue(self) -> float:
        """Mean number waiting (Little's law): λ · mean wait."""
        return self.arrival_rate * self.mean_wait

    @property
    def relaxation_days(self) -> float:
        """Relaxation time 1 / (√(cμ) − √λ)²: the edge of the chain's spectrum, which the
        queue's tail (an M/M/1 at rate cμ) sets; exact for c = 1, and the chain truncated
        far out converges to it (tests/repair/test_queueing_theory.py)."""
        return 1.0 / (np.sqrt(self.servers * self.service_rate) - np.sqrt(self.arrival_rate)) ** 2


@dataclass(frozen=True)
class MachineRepair:
    """Stationary distribution of engines out in a closed loop with spares.

    `installed` positions N, `spares` S, `removal_rate` λ per engine on wing per day,
    `repair_rate` μ per day, `servers` c repair lines. With n engines out, max(0, n − S)
    positions are bare, so N − max(0, n − S) engines fly and fail at λ each; min(n, c) are
    being repaired at μ each.
    """

    installed: int
    spares: int
    removal_rate: float
    repair_rate: float
    servers: int

    @property
    def distribution(self) -> np.ndarray:
        """π(n) for n = 0 … N + S engines out, from the birth–death balance equations."""
        states = np.arange(self.installed + self.spares + 1)
        on_wing = self.installed - np.maximum(0, states - self.spares)
        births = self.removal_rate * on_wing[:-1]  # n → n + 1
        deaths = self.repair_rate * np.minimum(states[1:], self.servers)  # n + 1 → n
        log_weights = np.concatenate([[0.0], np.cumsum(np.log(births) - np.log(deaths))])
        weights = np.exp(log_weights - log_weights.max())
        return weights / weights.sum()

    def _mean(self, values: np.ndarray) -> float:
        return float(self.distribution @ values)

    @property
    def mean_out(self) -> float:
        """Mean engines out for repair (queued or on a line)."""
        return self._mean(np.arange(self.installed + self.spares + 1))

    @property
    def mean_bare(self) -> float:
        """Mean bare firewalls: engines out beyond the spares."""
        states = np.arange(self.installed + self.spares + 1)
        return self._mean(np.maximum(0, states - self.spares))

    @property
    def relaxation_days(self) -> float:
        """Relaxation time of the chain (see :func:`relaxation_days`)."""
        states = np.arange(self.installed + self.spares + 1)
        on_wing = self.installed - np.maximum(0, states - self.spares)
        return relaxation_days(
            self.removal_rate * on_wing[:-1],
            self.repair_rate * np.minimum(states[1:], self.servers),
        )

    @property
    def mean_busy(self) -> float:
        """Mean repair lines at work."""
        states = np.arange(self.installed + self.spares + 1)
        return self._mean(np.minimum(states, self.servers))


def relaxation_days(births: np.ndarray, deaths: np.ndarray) -> float:
    """The slowest decay time (days) of a birth–death chain towards its steady state.

    `births[n]` is the rate n → n + 1 and `deaths[n]` the rate n + 1 → n. The generator of
    a birth–death chain is similar to a symmetric tridiagonal matrix, so its eigenvalues
    are real; the distance from 0 to the next one (the spectral gap) sets how fast any
    start, the empty one included, is forgotten: deviations shrink like e^(−t/τ).
    """
    births, deaths = np.asarray(births, float), np.asarray(deaths, float)
    leaving = np.concatenate([births, [0.0]]) + np.concatenate([[0.0], deaths])
    coupling = np.sqrt(births * deaths)
    states = leaving.size
    # All eigenvalues are <= 0 and the largest is 0: the gap is the second largest.
    top = eigvalsh_tridiagonal(
        -leaving, coupling, select="i", select_range=(states - 2, states - 1)
    )
    return float(-1.0 / np.sort(top)[0])
