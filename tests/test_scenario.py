"""Scenario files as models (sim.scenario.model): loading, defaults, routes, schema."""

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.errors import ScenarioError
from sim.loading import load_scenario, parse_scenario
from sim.scenario.distributions import Fixed, date_distribution
from sim.scenario.model import Routes
from sim.scenario.schema import json_schema
from sim.scenario.yamlsource import read_yaml

SCENARIOS = Path(__file__).parent.parent / "scenarios"

MINIMAL = """\
name: minimal
start_year: 2026
years: 5
"""

ONE_LINE = """\
name: one-line
start_year: 2026
years: 5
items:
  PAC-3 MSE: {}
lines:
  pac3-us:
    country: US
    makes: PAC-3 MSE
    capacity: {initial: 450}
"""


def load_text(text: str, tmp_path: Path, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def parse_text(text: str):
    data, source = read_yaml("s.yaml", text)
    return parse_scenario(data, source)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_text(text)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_scenario_and_its_defaults(tmp_path):
    scenario = load_text(MINIMAL, tmp_path)
    assert scenario.name == "minimal"
    assert scenario.time_step_days == 7
    assert scenario.replications == 1000
    assert scenario.seed == 0
    assert scenario.description == ""
    assert scenario.lines == {} and scenario.items == {} and scenario.sources == {}
    assert scenario.demand == [] and scenario.conflicts == []
    assert scenario.shipping_days == {} and scenario.stockpiles == {}


def test_horizon(tmp_path):
    scenario = load_text(MINIMAL, tmp_path)
    assert scenario.start == dt.date(2026, 1, 1)
    assert scenario.end == dt.date(2031, 1, 1)
    assert scenario.year_list() == [2026, 2027, 2028, 2029, 2030]


def test_file_and_sha256_are_recorded(tmp_path):
    scenario = load_text(MINIMAL, tmp_path)
    path = tmp_path / "s.yaml"
    assert scenario.file == str(path)
    assert scenario.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sha256_is_of_the_bytes_on_disk(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(MINIMAL.replace("\n", "\r\n").encode("utf-8"))
    assert load_scenario(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_line_defaults(tmp_path):
    line = load_text(ONE_LINE, tmp_path).lines["pac3-us"]
    assert line.yield_ == Fixed(value=1)
    assert line.flow_days == Fixed(value=0)
    assert line.capacity.initial == Fixed(value=450)
    assert line.capacity.target is None
    assert line.capacity.growth_cap == Fixed(value=0)
    assert line.capacity.ramp_start is None
    assert line.opens is None
    assert line.inputs == {}
    assert line.funded_per_year is None
    assert line.disruptions is None
    assert line.source == []
    assert line.routes is None
    assert line.destination() == Routes(stock="US")
    assert line.destination().stock_shares() == {"US": 1.0}


def test_omitted_values_equal_the_documented_defaults_written_out():
    written = ONE_LINE + "    yield: 1\n    flow_days: 0\n    routes: {stock: US}\n"
    implicit = parse_text(ONE_LINE).lines["pac3-us"]
    explicit = parse_text(written).lines["pac3-us"]
    assert implicit.yield_ == explicit.yield_
    assert implicit.flow_days == explicit.flow_days
    assert implicit.destination() == explicit.destination()


def test_yield_is_read_from_its_yaml_name():
    scenario = parse_text(ONE_LINE + "    yield: {pert: [0.9, 0.98, 1.0]}\n")
    assert scenario.lines["pac3-us"].yield_.mean() == pytest.approx((0.9 + 4 * 0.98 + 1) / 6)


def test_stock_split_between_owners():
    text = ONE_LINE.replace("country: US", "country: JP").replace("pac3-us", "pac3-jp")
    line = parse_text(text + "    routes: {stock: {JP: 0.8, US: 0.2}}\n").lines["pac3-jp"]
    assert line.destination().stock_shares() == {"JP": 0.8, "US": 0.2}
    assert line.destination().line_shares() == {}


def test_stock_split_between_line_countries_needs_a_lane():
    text = (
        ONE_LINE
        + "    routes: {stock: {US: 0.8, JP: 0.2}}\n"
        + "  pac3-jp:\n    country: JP\n    makes: PAC-3 MSE\n    capacity: {initial: 30}\n"
    )
    assert problems_of(text) == [
        "s.yaml:11: lines.pac3-us.routes.stock: goods from US to JP need shipping_days.US-JP"
    ]
    scenario = parse_text(text + "shipping_days: {US-JP: {uniform: [20, 40]}}\n")
    assert scenario.lines["pac3-us"].destination().stock_shares() == {"US": 0.8, "JP": 0.2}


COMPONENTS = """\
name: components
start_year: 2026
years: 5
items:
  SRM: {}
  PAC-3 MSE: {}
  SM-3 IIA: {}
lines:
  srm-us:
    country: US
    makes: SRM
    capacity: {initial: 900}
    routes: ROUTES
  pac3-us:
    country: US
    makes: PAC-3 MSE
    capacity: {initial: 450}
    inputs: {SRM: 1}
  sm3-us:
    country: US
    makes: SM-3 IIA
    capacity: {initial: 60}
    inputs: {SRM: 2}
"""


def test_routes_split_output_between_lines():
    text = COMPONENTS.replace("ROUTES", "{line: {pac3-us: 0.75, sm3-us: 0.25}}")
    routes = parse_text(text).lines["srm-us"].destination()
    assert routes.line_shares() == {"pac3-us": 0.75, "sm3-us": 0.25}
    assert routes.lines() == ["pac3-us", "sm3-us"]
    assert routes.stock_shares() == {}


def test_shared_supplier_serves_a_list_of_lines():
    text = COMPONENTS.replace("ROUTES", "{line: [sm3-us, pac3-us], allocation: priority}")
    routes = parse_text(text).lines["srm-us"].destination()
    assert routes.lines() == ["sm3-us", "pac3-us"]
    assert routes.line_shares() == {}
    assert routes.allocation == "priority"


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ("{stock: US, line: {pac3-us: 1}}", "give exactly one of 'stock' or 'line'"),
        ("{}", "give exactly one of 'stock' or 'line'"),
        ("{line: [sm3-us, pac3-us]}", "a list of lines needs allocation: priority or proportional"),
        ("{line: [pac3-us, pac3-us], allocation: priority}", "a line is listed twice"),
        (
            "{line: {pac3-us: 0.5, sm3-us: 0.5}, allocation: priority}",
            "allocation 'priority' takes a list of lines, not fixed fractions",
        ),
        ("{stock: US, allocation: priority}", "'allocation' applies to routes to lines only"),
        (
            "{line: {pac3-us: 0.5, sm3-us: 0.6}}",
            "line split fractions must sum to 1, they sum to 1.1",
        ),
        ("{stock: {}}", "'stock' lists nothing"),
    ],
)
def test_bad_routes(routes, message):
    assert problems_of(COMPONENTS.replace("ROUTES", routes)) == [
        f"s.yaml:13: lines.srm-us.routes: {message}"
    ]


def test_line_cannot_route_to_itself():
    problems = problems_of(COMPONENTS.replace("ROUTES", "{line: {srm-us: 1}}"))
    assert "s.yaml:13: lines.srm-us.routes.line.srm-us: a line cannot route output to itself" in (
        problems
    )


def test_consumer_must_take_the_routed_item():
    text = COMPONENTS.replace("ROUTES", "{line: {pac3-us: 1}}").replace(
        "inputs: {SRM: 1}", "inputs: {SM-3 IIA: 1}"
    )
    problems = problems_of(text)
    assert (
        "s.yaml:13: lines.srm-us.routes.line.pac3-us: line 'pac3-us' does not take SRM as an input"
        in problems
    )


def test_uncertain_dates_become_days_since_the_start():
    text = ONE_LINE + "    opens: {uniform: [2027-01-01, 2028-01-01]}\n"
    scenario = parse_text(text)
    opens = date_distribution(scenario.lines["pac3-us"].opens, scenario.start)
    assert opens.support() == (365.0, 730.0)
    assert opens.mean() == pytest.approx(547.5)


def test_demand_and_conflict_dates():
    text = MINIMAL + (
        "items: {PAC-3 MSE: {}}\n"
        "demand:\n"
        "  - {item: PAC-3 MSE, owner: US, per_year: 250, start: 2027-01-01, end: 2026-06-01}\n"
        "  - {item: PAC-3 MSE, owner: US, per_year: 250, start: 2031-01-01}\n"
        "conflicts:\n"
        "  - {name: c, start: 2028-01-01, days: 180}\n"
        "  - {name: c, start: 2029-01-01, days: 90}\n"
    )
    assert problems_of(text) == [
        "s.yaml:6: demand.0: end 2026-06-01 is before start 2027-01-01",
        "s.yaml:8: conflicts: conflict names must be unique: c",
    ]
    text = text.replace("end: 2026-06-01", "end: 2028-06-01")
    text = text.replace("{name: c, start: 2029", "{name: d, start: 2029")
    assert problems_of(text) == [
        "s.yaml:7: demand.1.start: starts after the horizon ends (2031-01-01)"
    ]


def test_conflict_defaults():
    text = MINIMAL + "conflicts:\n  - {name: war, start: 2028-01-01, days: 180}\n"
    (conflict,) = parse_text(text).conflicts
    assert conflict.probability == Fixed(value=1)
    assert conflict.consumption_per_day == {}


def test_design_example_line_validates():
    """The production part of the DESIGN §4 example, as written there."""
    text = """\
name: co-production
start_year: 2026
years: 10
sources:
  iiss-2023: {title: "...", url: "https://...", date: 2023-06-01}
items:
  PAC-3 MSE: {unit_cost_musd: 4.1}
  SRM: {}
lines:
  srm-us:
    country: US
    makes: SRM
    capacity: {initial: 2000}
    routes: {line: {pac3-us: 1.0}}
  pac3-us:
    country: US
    makes: PAC-3 MSE
    capacity: {initial: 600, target: 2000, growth_cap: {uniform: [0.15, 0.20]},
               ramp_start: 2026-01-01}
    opens: 2026-01-01
    inputs: {SRM: 1}
    yield: 0.98
    flow_days: {triangular: [270, 365, 450]}
    funded_per_year: null
    disruptions: {per_year: 0.2, days: {lognormal: {median: 45, sigma: 0.6}}, capacity_lost: 1.0}
    routes: {stock: US}
    source: [iiss-2023]
shipping_days: {JP-US: {uniform: [20, 40]}, US-JP: {uniform: [20, 40]}}
stockpiles:
  PAC-3 MSE: {US: 1500, JP: 300}
demand:
  - {item: PAC-3 MSE, owner: US, per_year: 250, start: 2026-01-01, priority: 1}
conflicts:
  - {name: contingency, start: 2028-01-01, days: 180, probability: 1.0,
     consumption_per_day: {PAC-3 MSE: {US: 6}}}
"""
    scenario = parse_text(text)
    line = scenario.lines["pac3-us"]
    assert line.disruptions.days.mean() == pytest.approx(45 * 2.718281828459045 ** (0.6**2 / 2))
    assert line.capacity.growth_cap.support() == (0.15, 0.20)
    assert scenario.stockpiles["PAC-3 MSE"]["JP"] == Fixed(value=300)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_scenarios_validate(path, capsys):
    assert main(["validate", str(path)]) == 0, capsys.readouterr().err


def test_json_schema():
    schema = json_schema()
    assert isinstance(schema, dict)
    text = json.dumps(schema)
    assert json.loads(text) == schema
    assert {"name", "lines", "items", "demand", "conflicts"} <= set(schema["properties"])
    assert {"name", "start_year", "years"} <= set(schema["$defs"]["Scenario"]["required"])
    assert schema["additionalProperties"] is False
    line = schema["$defs"]["Line"]
    assert "yield" in line["properties"] and "yield_" not in line["properties"]
    assert set(line["required"]) == {"country", "makes", "capacity"}


def test_sim_schema_prints_the_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(json_schema()))
