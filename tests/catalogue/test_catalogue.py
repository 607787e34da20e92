"""The metrics catalogue: names parse back into their family, and every name is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import catalogue
from sim.catalogue import FAMILIES, SERIES, UnknownMetric, family_of, series_family_of
from sim.loading import load_scenario
from sim.network import compile_network
from sim.simulation import metric_names, simulate_chunk

SCENARIOS = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))

EXAMPLES = {
    "item.PAC-3 MSE.deliveries.2030": (
        catalogue.ITEM_DELIVERIES_IN_YEAR,
        {"item": "PAC-3 MSE", "year": 2030},
    ),
    "item.PAC-3 MSE.owner.US.stock_end.2027": (
        catalogue.ITEM_OWNER_STOCK_END,
        {"item": "PAC-3 MSE", "owner": "US", "year": 2027},
    ),
    "item.SM-3 IIA.conflict.shortfall": (catalogue.ITEM_CONFLICT_SHORTFALL, {"item": "SM-3 IIA"}),
    "item.SM-3 IIA.shortfall": (catalogue.ITEM_SHORTFALL, {"item": "SM-3 IIA"}),
    "line.pac3-us.output": (catalogue.LINE_OUTPUT, {"line": "pac3-us"}),
    "ships.delay_days": (catalogue.SHIPS.delay_days, {}),
    "ships.fleet.west.waited_over_30_days": (catalogue.FLEET.waited_over[30], {"fleet": "west"}),
    "ships.ship_days_unavailable.2029": (
        catalogue.SHIPS.ship_days_unavailable_in_year,
        {"year": 2029},
    ),
    "ships.yard.maizuru.utilisation.2028": (
        catalogue.YARD_UTILISATION_IN_YEAR,
        {"yard": "maizuru", "year": 2028},
    ),
    "engines.F110.availability": (catalogue.ENGINE_AVAILABILITY, {"engine": "F110"}),
    "engines.F110.depot.japan-hub.opened": (
        catalogue.DEPOT_OPENED,
        {"engine": "F110", "depot": "japan-hub"},
    ),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_name_parses_back_into_its_family_and_fields(name):
    family, values = EXAMPLES[name]
    assert family_of(name) == (family, values)
    assert family.name(**values) == name


@pytest.mark.parametrize("family", FAMILIES + SERIES, ids=lambda f: f.pattern)
def test_every_family_round_trips(family):
    values = {key: 2031 if key == "year" else "x-1 y" for key in family.fields}
    if "threshold" in family.fields:
        values["threshold"] = 7
    name = family.name(**values)
    assert family.match(name) == values


def test_family_patterns_are_unique():
    assert len({f.pattern for f in FAMILIES}) == len(FAMILIES)


@pytest.mark.parametrize(
    "name", ["item.PAC-3 MSE.delivery.2030", "ships.dely_days", "line.x", "engines.F110", ""]
)
def test_a_misspelt_name_is_an_error(name):
    with pytest.raises(UnknownMetric, match="no metric family"):
        family_of(name)
    with pytest.raises(KeyError):
        family_of(name)


def test_a_name_needs_all_its_fields():
    with pytest.raises(TypeError, match="takes item, year"):
        catalogue.ITEM_DELIVERIES_IN_YEAR.name(item="SRM")


def test_units_are_the_familys_or_the_items():
    assert catalogue.LINE_STARVED_DAYS.unit_for("missiles") == "days"
    assert catalogue.ITEM_DELIVERIES.unit_for("missiles") == "missiles"
    with pytest.raises(ValueError):
        catalogue.ITEM_DELIVERIES.unit_for()


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_metric_and_series_of_a_shipped_scenario_has_exactly_one_family(path):
    network = compile_network(load_scenario(path))
    outcomes = simulate_chunk(network, 1, range(1), "vector")
    for name, unit in outcomes.units.items():
        family, values = family_of(name)  # raises unless exactly one family matches
        assert family.name(**values) == name
        if family.unit is not None:
            assert unit == family.unit, name
    for name in outcomes.series:
        family, values = series_family_of(name)
        assert family.name(**values) == name
    assert metric_names(network, 1, "des") == list(outcomes.metrics)


def test_in_year_and_without_year_are_inverses():
    assert catalogue.in_year("item.SRM.deliveries", 2027) == "item.SRM.deliveries.2027"
    assert catalogue.without_year("item.SRM.deliveries.2027") == "item.SRM.deliveries"
    assert catalogue.without_year("item.SRM.deliveries") is None
    with pytest.raises(UnknownMetric):
        catalogue.in_year("item.SRM.delivery", 2027)


def test_every_yearly_family_ends_with_its_year():
    for family in FAMILIES:
        assert family.yearly == family.pattern.endswith(".{year}"), family.pattern


def test_headline_roles():
    """One definition of the headlines: a comparison leads with `shown` and `lead`;
    sensitivity and --precision default to `lead`, in the last year."""
    assert catalogue.is_lead("item.SRM.stock_end.2035", 2035)
    assert not catalogue.is_lead("item.SRM.stock_end.2034", 2035)
    assert catalogue.is_lead("ships.delay_days", 2035)
    assert not catalogue.is_lead("ships.fleet.west.delay_days", 2035)
    assert catalogue.is_lead("engines.F110.availability", 2035)
    assert catalogue.FLEET.delay_days.headline == "shown"
    assert catalogue.ITEM_OWNER_STOCK_END.headline is None
