"""The report reads metrics through the catalogue: a misspelt name is an error, not a dash."""

from __future__ import annotations

import pytest

from sim import catalogue
from sim.catalogue import UnknownMetric
from sim.report.facts import MissingMetric, mean, metric, reported

SUMMARY = {"unit": "days", "mean": 3.0, "n": 10}
REPORT = {"metrics": {"ships.delay_days": SUMMARY, "line.a.starved_days": {"mean": None}}}


def test_a_reported_metric_is_found_by_family_or_by_name():
    assert metric(REPORT, catalogue.SHIPS.delay_days) is SUMMARY
    assert metric(REPORT, "ships.delay_days") is SUMMARY
    assert mean(REPORT, catalogue.LINE_STARVED_DAYS, line="a") == 0.0


def test_a_misspelt_name_raises_rather_than_showing_a_dash():
    with pytest.raises(UnknownMetric, match=r"ships\.dealy_days"):
        metric(REPORT, "ships.dealy_days")
    with pytest.raises(UnknownMetric):
        reported(REPORT, "ships.dealy_days")


def test_a_known_metric_this_run_lacks_raises_unless_asked_for_as_optional():
    with pytest.raises(MissingMetric, match="does not report"):
        metric(REPORT, catalogue.SHIPS.wait_days)
    assert reported(REPORT, catalogue.SHIPS.wait_days) is None
    with pytest.raises(KeyError):
        mean(REPORT, catalogue.ITEM_SHORTFALL, item="SRM")
