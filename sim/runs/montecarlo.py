"""Monte Carlo runs: replications in chunks, chunks through an engine, summaries assembled.

A run is cut into chunks on the random-number block boundaries of :mod:`sim.sampling`;
each chunk's draws depend only on the seed and the replication indices, so a run's
numbers do not depend on how it was chunked, where the chunks ran (:mod:`sim.execution`),
in which order they finished, or whether some were saved by an earlier, interrupted
attempt (:mod:`sim.runs.checkpoint`). Finished chunks go to a store; the report's numbers are
then assembled from the store in replication order (:mod:`sim.execution.summaries`).

A run whose per-replication values fit :data:`MEMORY_BUDGET` keeps them
(:attr:`Run.outcomes`); a larger one keeps only its summaries and reads its chunks back
when it writes ``replications.csv``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim import __version__
from sim.errors import RunError
from sim.execution import Backend, ChunkFailed, open_backend
from sim.execution.chunk import ChunkResult, ChunkTask, join_chunks
from sim.execution.footprint import check_engine, fit_chunk_size
from sim.execution.precision import DEFAULT_MAX_REPLICATIONS, check, headline_metrics, next_total
from sim.execution.store import ChunkStore, MemoryStore
from sim.execution.summaries import Summaries, summarise_outcomes, summarise_store
from sim.network import Network, compile_network
from sim.production.outcomes import Outcomes
from sim.scenario.limits import replications_problem
from sim.scenario.model import Scenario
from sim.simulation import metric_names
from sim.streams import BLOCK

if TYPE_CHECKING:
    from sim.runs.against import Against
    from sim.runs.marginal import Marginal

DEFAULT_CHUNK = 1500
"""Most replications per chunk: large enough to amortise the step loop, small enough for
memory. A worker holds its chunk's draws and state, about 170 kB a replication on
co-production; 1,250-replication chunks keep ``sim run --reps 10000`` on two workers under
1 GB in all (0.90 GB against 1.07 GB with 2,000), for some 5 % more time end to end."""

SMALLEST_SPLIT = 1000
"""Fewest replications worth a chunk of their own (a worker's start-up is about a second)."""

MEMORY_BUDGET = 256 * 2**20
"""Bytes of per-replication values a finished run may keep in memory (else summaries only)."""

Progress = Callable[[int, int], None]
"""Called with (replications finished, replications planned) as chunks finish, and as
running chunks get further (their share done counted in replications, rounded down)."""


class RunInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: how many chunks were saved, for the note on how to resume."""

    def __init__(self, saved: int, planned: int):
        super().__init__(f"interrupted; {saved} of {planned} chunks saved")
        self.saved = saved
        self.planned = planned


@dataclass
class Run:
    """A finished Monte Carlo run: its scenario, numbers and where they came from."""

    scenario: Scenario
    network: Network
    kept_outcomes: Outcomes | None
    seed: int
    engine: str
    wall_seconds: float
    version: str = __version__
    kept_summaries: Summaries | None = None
    store: ChunkStore | None = None
    ranges: list[range] = field(default_factory=list)
    precision: dict[str, Any] | None = None
    """The ``--precision`` target, rule and outcome, when the run was precision-driven."""
    against: Against | None = None
    """The counterfactual and the paired comparison with it, when the run has one
    (:mod:`sim.runs.against`)."""
    marginal: Marginal | None = None
    """Each line's extra capacity and what it buys (``--marginal``, :mod:`sim.runs.marginal`)."""
    earlier_parts: list[float] = field(default_factory=list)
    """Wall seconds of each earlier part of the run, when it was interrupted and resumed
    (:mod:`sim.runs.parts`); `wall_seconds` is the last part's."""

    @property
    def part_seconds(self) -> list[float]:
        """Wall seconds of each part of the run, the last one included."""
        return [*self.earlier_parts, self.wall_seconds]

    @property
    def total_wall_seconds(self) -> float:
        """Wall seconds of the whole run, every part included."""
        return sum(self.part_seconds)

    @property
    def outcomes(self) -> Outcomes:
        """Per-replication values, when the run kept them (see :data:`MEMORY_BUDGET`)."""
        if self.kept_outcomes is None:
            raise RunError(
                f"this run's {self.replications:,} replications are too many to hold in "
                "memory; use its summaries, or read them chunk by chunk with chunks()"
            )
        return self.kept_outcomes

    @property
    def summaries(self) -> Summaries:
        """Every metric's summary and every series' band, as report.json gives them."""
        if self.kept_summaries is None:
            self.kept_summaries = summarise_outcomes(self.outcomes)
        return self.kept_summaries

    @property
    def replications(self) -> int:
        """How many replications were run."""
        if self.kept_outcomes is not None:
            return len(self.kept_outcomes.replications)
        return sum(len(r) for r in self.ranges)

    def chunks(self) -> Iterator[ChunkResult]:
        """The per-replication values in replication order, a chunk at a time.

        Chunks come from the store when the run has one, even when it also kept its
        outcomes: stored chunks carry the table rows their workers already formatted.
        """
        if self.store is None:
            yield ChunkResult.from_outcomes(self.outcomes)
            return
        for replications in self.ranges:
            yield self.store.load(replications)


def chunk_ranges(replications: int, chunk_size: int = DEFAULT_CHUNK) -> list[range]:
    """Consecutive ranges covering `replications`, each a whole number of blocks."""
    size = max(BLOCK, (chunk_size // BLOCK) * BLOCK)
    return [range(start, min(start + size, replications)) for start in range(0, replications, size)]


def automatic_chunk_size(replications: int, slots: int, engine: str) -> int:
    """A chunk size that keeps `slots` workers evenly busy without small chunks.

    Each chunk costs a fixed start-up (the engine's step loop) besides its replications,
    so chunks are as large as :data:`DEFAULT_CHUNK` allows, in a multiple of `slots`
    chunks so that the last round leaves no worker idle, and never below
    :data:`SMALLEST_SPLIT`: a run smaller than that is one chunk, run in this process,
    because starting workers would cost more than they save. The slow DES engine uses
    single blocks, for even load and frequent checkpoints.
    """
    if engine == "des":
        return BLOCK
    count = slots * math.ceil(replications / (slots * DEFAULT_CHUNK))
    size = math.ceil(replications / max(1, count) / BLOCK) * BLOCK
    return min(DEFAULT_CHUNK, max(SMALLEST_SPLIT, size))


def plan_chunks(replications: int, saved: Sequence[range], chunk_size: int) -> list[range]:
    """Ranges covering ``0..replications``: saved chunks that fit, new ones in the gaps.

    Saved chunks are reused whatever size they were cut to, so a resumed run may use
    other worker counts or chunk sizes than the interrupted one.
    """
    kept = sorted((r for r in saved if r.stop <= replications), key=lambda r: r.start)
    plan: list[range] = []
    position = 0
    for chunk in [*kept, range(replications, replications)]:
        if chunk.start < position:
            continue  # overlaps a chunk already planned
        gap = chunk_ranges(chunk.start - position, chunk_size)
        plan += [range(r.start + position, r.stop + position) for r in gap]
        if len(chunk):
            plan.append(chunk)
        position = chunk.stop
    return plan


@dataclass
class Study:
    """One scenario to run (a sweep has several): what it is, and where its chunks go."""

    scenario: Scenario
    seed: int
    engine: str = "vector"
    store: ChunkStore = field(default_factory=MemoryStore)
    trace: str | None = None
    network: Network = field(init=False)
    ranges: list[range] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.network = compile_network(self.scenario)


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    engine: str = "vector",
    chunk_size: int | None = None,
    progress: Progress | None = None,
    trace: str | Path | None = None,
    *,
    workers: int | None = 1,
    scheduler: Any = None,
    backend: Backend | None = None,
    store: ChunkStore | None = None,
    precision: float | None = None,
    max_replications: int | None = None,
    memory_budget: int | None = None,
) -> Run:
    """Run `scenario` for `replications` (default: the scenario's) and return the result.

    `workers` local processes (1: this process; None: every core) or a Dask
    `scheduler` run the chunks, or an open `backend` (left open for more runs); `store`
    keeps finished chunks (default: in memory; a :class:`~sim.runs.checkpoint.Checkpoint` to
    resume). With `precision`, replications are
    added until every headline metric is that precise (:mod:`sim.execution.precision`),
    up to `max_replications`. `trace` (DES only) is a CSV file for replication 0's events.
    """
    study = Study(
        scenario,
        scenario.seed if seed is None else seed,
        engine,
        store if store is not None else MemoryStore(),
        None if trace is None else str(Path(trace).resolve()),
    )
    return run_studies(
        [study],
        scenario.replications if replications is None else replications,
        chunk_size=chunk_size,
        progress=progress,
        workers=workers,
        scheduler=scheduler,
        backend=backend,
        precision=precision,
        max_replications=max_replications,
        memory_budget=memory_budget,
    )[0]


def run_studies(
    studies: Sequence[Study],
    replications: int,
    *,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    workers: int | None = 1,
    scheduler: Any = None,
    backend: Backend | None = None,
    precision: float | None = None,
    max_replications: int | None = None,
    memory_budget: int | None = None,
) -> list[Run]:
    """Run every study for the same replications on one backend; a sweep's variants.

    With `precision` the studies advance together, so that they keep the same
    replications (a sweep's comparisons stay paired); the rounds stop when every
    study's headline metrics are precise enough.
    """
    if scheduler is not None and any(study.trace for study in studies):
        raise ValueError("an event trace is written by this machine; run it without a scheduler")
    for count in (replications, max_replications or 1):
        problem = replications_problem(count)
        if problem:
            raise ValueError(f"replications {problem}")
    for study in studies:  # refuse what would not fit before any backend starts
        fit_chunk_size(study.network, BLOCK, BLOCK)
        check_engine(study.network, study.engine)
    began = time.perf_counter()
    maximum = max_replications or max(replications, DEFAULT_MAX_REPLICATIONS)
    replications = min(replications, maximum)
    headlines: list[list[str]] = []
    if precision is not None:
        headlines = [
            headline_metrics(s.network, metric_names(s.network, s.seed, s.engine)) for s in studies
        ]
    owned = backend is None
    active = open_backend(workers, scheduler) if backend is None else backend
    rounds: list[int] = []
    try:
        total = replications
        while True:
            rounds.append(total)
            _execute(studies, total, active, chunk_size, progress)
            if precision is None:
                break
            checks = [
                check(summarise_store(s.store, s.ranges, only=names).metrics, names, precision)
                for s, names in zip(studies, headlines, strict=True)
            ]
            flat = [entry for entries in checks for entry in entries]
            if all(entry.met for entry in flat) or total >= maximum:
                break
            total = next_total(total, flat, maximum)
    finally:
        if owned:
            active.close()
    budget = MEMORY_BUDGET if memory_budget is None else memory_budget
    runs = [_finish(study, began, budget) for study in studies]
    if precision is not None:
        for result, entries in zip(runs, checks, strict=True):
            result.precision = {
                "target": precision,
                "rule": "95 % CI half-width <= precision × max(|mean|, 1) per headline metric",
                "max_replications": maximum,
                "replications": total,
                "rounds": rounds,
                "met": all(entry.met for entry in entries),
                "metrics": {entry.metric: entry.as_dict() for entry in entries},
            }
    return runs


def _execute(
    studies: Sequence[Study],
    replications: int,
    backend: Backend,
    chunk_size: int | None,
    progress: Progress | None,
) -> None:
    """Bring every study's store to `replications` replications: run what is missing."""
    size = chunk_size or automatic_chunk_size(replications, backend.slots, studies[0].engine)
    for study in studies:  # the same numbers whatever the size: only memory changes
        size = fit_chunk_size(study.network, size, BLOCK)
    tasks = []
    finished = planned = chunks_saved = chunks_planned = 0
    for number, study in enumerate(studies):
        saved = study.store.saved()
        study.ranges = plan_chunks(replications, saved, size)
        planned += replications
        chunks_planned += len(study.ranges)
        for chunk in study.ranges:
            if chunk in saved:
                finished += len(chunk)
                chunks_saved += 1
                continue
            trace = study.trace if chunk.start == 0 else None
            table = not isinstance(study.store, MemoryStore)
            tasks.append(
                ChunkTask(study.network, study.seed, chunk, study.engine, trace, number, table)
            )
    if progress is not None:
        progress(finished, planned)

    running: dict[int, int] = {}
    """Replications done so far of each running task (by its id), as its worker reports."""

    def done(task: ChunkTask, result: ChunkResult) -> None:
        nonlocal finished, chunks_saved
        studies[task.study].store.save(result)
        finished += len(task.replications)
        chunks_saved += 1
        running.pop(id(task), None)
        if progress is not None:
            progress(finished + sum(running.values()), planned)

    def advance(task: ChunkTask, share: float) -> None:
        # a chunk tried again after a failure reports from 0: the bar does not go back
        done_now = int(share * len(task.replications))
        running[id(task)] = max(running.get(id(task), 0), done_now)
        if progress is not None:
            progress(finished + sum(running.values()), planned)

    try:
        backend.run(tasks, done, None if progress is None else advance)
    except KeyboardInterrupt:
        raise RunInterrupted(chunks_saved, chunks_planned) from None
    except ChunkFailed as error:
        error.saved, error.planned = chunks_saved, chunks_planned
        raise


def _finish(study: Study, began: float, memory_budget: int) -> Run:
    """The run of `study`: per-replication values when they fit the budget, else summaries."""
    first = study.store.load(study.ranges[0])
    width = 8 * len(first.metric_names) + first.series.dtype.itemsize * first.series.shape[0]
    replications = sum(len(r) for r in study.ranges)
    outcomes = None
    if width * replications <= memory_budget:
        outcomes = join_chunks((study.store.load(r) for r in study.ranges), replications)
    if outcomes is None:
        summaries = summarise_store(study.store, study.ranges)
    else:  # the same numbers, without reading the chunks again
        summaries = summarise_outcomes(outcomes)
    keep = None if isinstance(study.store, MemoryStore) and outcomes is not None else study.store
    return Run(
        scenario=study.scenario,
        network=study.network,
        kept_outcomes=outcomes,
        seed=study.seed,
        engine=study.engine,
        wall_seconds=time.perf_counter() - began,
        kept_summaries=summaries,
        store=keep,
        ranges=list(study.ranges),
    )
