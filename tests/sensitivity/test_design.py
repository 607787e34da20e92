"""Running the model at a design's values: exact, chunk-proof, and leaving the rest alone."""

from __future__ import annotations

import numpy as np

from sim.network import compile_network
from sim.runs.montecarlo import run
from sim.sensitivity.design import DesignSampler, chunks, simulate_rows
from sim.sensitivity.inputs import run_inputs
from sim.streams import BLOCK, Sampler
from tests.sensitivity.scenarios import DRIVER, UNRELATED, by_name, two_lines

SEED = 5


def same(a, b) -> bool:
    return set(a) == set(b) and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


def test_an_ordinary_run_gives_the_numbers_and_draws_of_sim_run():
    scenario = two_lines(disrupted=True)
    network = compile_network(scenario)
    outcomes, named = simulate_rows(network, SEED, range(300), chunk_size=BLOCK)
    assert same(outcomes.metrics, run(scenario, 300, SEED).outcomes.metrics)
    assert same(named, run_inputs(network, SEED, range(300)))


def test_a_design_of_the_streams_own_uniforms_changes_nothing():
    scenario = two_lines(disrupted=True)
    network = compile_network(scenario)
    own = Sampler(SEED, 0, 2).uniforms(DRIVER)[:400]
    designed, _ = simulate_rows(network, SEED, range(400), {DRIVER: own})
    assert same(designed.metrics, run(scenario, 400, SEED).outcomes.metrics)


def test_design_values_reach_only_their_input_and_only_their_rows():
    network = compile_network(two_lines(disrupted=True))
    rows = range(300, 420)
    design = {DRIVER: np.linspace(0.01, 0.99, len(rows))}
    _, named = simulate_rows(network, SEED, rows, design)
    named = by_name(named)
    expected = 100 + 100 * design[DRIVER]
    assert np.allclose(named[DRIVER], expected)
    assert np.array_equal(named[UNRELATED], by_name(run_inputs(network, SEED, rows))[UNRELATED])
    sampler = DesignSampler(SEED, 1, 1, design=design, first_row=rows.start)
    block = sampler.uniforms(DRIVER)
    untouched = Sampler(SEED, 1, 1).uniforms(DRIVER)
    inside = slice(rows.start - BLOCK, rows.stop - BLOCK)
    assert np.array_equal(block[inside], design[DRIVER])
    outside = np.ones(BLOCK, dtype=bool)
    outside[inside] = False
    assert np.array_equal(block[outside], untouched[outside])


def test_results_do_not_depend_on_chunking():
    network = compile_network(two_lines(disrupted=True))
    rows = range(100, 700)
    design = {DRIVER: np.random.default_rng(1).random(len(rows))}
    small, _ = simulate_rows(network, SEED, rows, design, chunk_size=BLOCK)
    large, _ = simulate_rows(network, SEED, rows, design, chunk_size=8 * BLOCK)
    assert same(small.metrics, large.metrics)


def test_chunks_are_cut_on_block_multiples():
    assert [(c.start, c.stop) for c in chunks(range(100, 700), BLOCK)] == [
        (100, 250),
        (250, 500),
        (500, 700),
    ]
    assert list(chunks(range(0, 0))) == []
