"""The long form of per-replication values: in memory, in Parquet, and in a notebook."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas
import pyarrow.parquet as parquet
import pytest

from sim import api
from sim.errors import RunError
from sim.report import tidy
from tests.command_line import sim
from tests.conftest import build_scenario

ROOT = Path(__file__).resolve().parents[2]
ITEMS = {"PAC-3 MSE": {"unit": "missiles"}}
LINE = {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 300, "target": 600}}


@pytest.fixture(scope="module")
def result() -> api.Result:
    scenario = build_scenario(
        years=2,
        items=ITEMS,
        lines={"pac3": {**LINE, "capacity": {**LINE["capacity"], "growth_cap": 0.2}}},
        stockpiles={"PAC-3 MSE": {"US": 100}},
    )
    return api.run(scenario, reps=6, seed=3, workers=1)


def test_a_yearly_metric_splits_into_its_family_and_year():
    families, codes, years = tidy.split_names(
        ["item.PAC-3 MSE.deliveries.2026", "item.PAC-3 MSE.deliveries.2027", "line.pac3.output"]
    )
    assert families == ["item.PAC-3 MSE.deliveries", "line.pac3.output"]
    assert list(codes) == [0, 0, 1]
    assert list(years) == [2026, 2027, tidy.NO_YEAR]


def test_the_long_frame_holds_every_value_of_the_wide_one(result):
    wide, long = result.to_frame(), result.to_frame("long")
    assert list(long.columns) == ["replication", "metric", "year", "value"]
    assert len(long) == wide.shape[0] * wide.shape[1]
    for row in long.sample(50, random_state=1).itertuples():
        name = row.metric if pandas.isna(row.year) else f"{row.metric}.{row.year}"
        expected = wide.loc[row.replication, name]
        assert row.value == expected or (math.isnan(row.value) and math.isnan(expected))
    deliveries = long[(long.metric == "item.PAC-3 MSE.deliveries") & (long.replication == 0)]
    # each year's deliveries, and the horizon's total without a year
    assert list(deliveries.year.dropna()) == [2026, 2027]
    assert deliveries.year.isna().sum() == 1
    with pytest.raises(ValueError, match="wide' or 'long"):
        result.to_frame("tall")


def test_sim_run_parquet_writes_the_long_form_of_the_csv(tmp_path):
    out = tmp_path / "run"
    finished = sim(
        "run", "scenarios/baseline.yaml", "--reps", "30", "--parquet", "--out", str(out),
        cwd=ROOT,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    table = parquet.read_table(out / tidy.PARQUET).to_pandas()
    with (out / "replications.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = [name for name in rows[0] if name != "replication"]
    assert len(table) == len(rows) * len(header)
    names = [
        metric if pandas.isna(year) else f"{metric}.{int(year)}"
        for metric, year in zip(table.metric, table.year, strict=True)
    ]
    csv_values = np.array(
        [float(row[name]) if row[name] else np.nan for row in rows for name in header]
    )
    assert names == header * len(rows)
    np.testing.assert_array_equal(table.value.to_numpy(), csv_values)
    report = (out / "report.json").read_text(encoding="utf-8")
    assert f'"replications_long": "{tidy.PARQUET}"' in report


def test_without_pyarrow_parquet_is_refused_before_any_work(monkeypatch):
    real = tidy.importlib.import_module

    def missing(name: str):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name)

    monkeypatch.setattr(tidy.importlib, "import_module", missing)
    with pytest.raises(RunError, match="--parquet needs pyarrow: pip install pyarrow"):
        tidy.require_parquet()


def test_a_notebook_shows_the_run_and_its_headline_metrics(result):
    page = result._repr_html_()
    assert "6 replications" in page and "seed 3" in page
    assert "<code>item.PAC-3 MSE.stock_end.2027</code>" in page
    assert "<script" not in page
