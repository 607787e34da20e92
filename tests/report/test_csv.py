"""replications.csv cells (sim.report.csv): whole-array formatting gives each cell's text."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.execution.chunk import ChunkResult
from sim.execution.rows import LOOKED_UP, cell, format_rows

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-3, LOOKED_UP + 3).map(float),  # whole numbers around the looked-up ones
    st.sampled_from([-0.0, 2.0**63, -(2.0**63), 1e300, 0.1, LOOKED_UP - 0.5]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 4).flatmap(
        lambda width: st.lists(st.lists(values, min_size=width, max_size=width), max_size=6)
    ),
    st.integers(0, 10**6),
)
def test_rows_are_the_cells_of_each_value(rows: list[list[float]], first: int):
    width = len(rows[0]) if rows else 0
    metrics = np.array(rows, dtype=np.float64).reshape(len(rows), width).T
    chunk = ChunkResult(
        replications=range(first, first + len(rows)),
        metric_names=tuple(f"m{j}" for j in range(width)),
        units=("units",) * width,
        metrics=metrics,
        series_names=(),
        series_points=(),
        series_dtypes=(),
        series=np.zeros((0, len(rows))),
    )
    expected = "".join(
        ",".join([str(first + i), *(cell(value) for value in row)]) + "\r\n"
        for i, row in enumerate(rows)
    )
    assert format_rows(chunk) == expected
