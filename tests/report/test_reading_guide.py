"""'How to read this report' explains only what the report shows.

The guide's paragraphs follow what the run models — production, stockpiles, ship repair,
engine repair, conflicts — so a repair-only report says nothing of starved lines and a
production-only report nothing of ships.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.report.blocks import Paragraph
from sim.report.document import build_document
from sim.report.json import build_report
from sim.report.sentences import Modelled, reading_guide
from sim.runs.montecarlo import Run, run
from sim.scenario.model import Scenario
from tests.conftest import build_scenario
from tests.report.sections import ENGINES, SHIPS

PRODUCTION = {
    "items": {"PAC-3 MSE": {}},
    "lines": {"pac3-us": {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 10}}},
    "stockpiles": {"PAC-3 MSE": {"US": 100}},
}
CRISIS = {"name": "crisis", "start": "2027-01-01", "days": 90}

PRODUCTION_TERMS = ("starved", "funding", "disrupt", "deliveries", "stock", "shortfall")
SHIP_TERMS = ("ship", "yard", "berth", "availabilities")
ENGINE_TERMS = ("engine", "firewall", "depot", "aircraft")


def guide(scenario: Scenario, tmp_path: Path) -> str:
    """The guide section of `scenario`'s report, as one lower-case text."""
    finished: Run = run(scenario, replications=10, seed=1)
    document = build_document(finished, build_report(finished), [])
    (section,) = [s for s in document.sections if s.title == "How to read this report"]
    assert section is document.sections[-1]
    return " ".join(
        part for block in section.blocks if isinstance(block, Paragraph) for part in block.parts
    ).lower()


def mentions(text: str, terms: tuple[str, ...]) -> list[str]:
    return [term for term in terms if term in text]


def test_a_repair_only_guide_has_no_production_terms(tmp_path):
    text = guide(build_scenario(ship_repair=SHIPS, engine_repair=ENGINES), tmp_path)
    assert mentions(text, PRODUCTION_TERMS) == []
    assert "conflict" not in text
    assert mentions(text, SHIP_TERMS) == list(SHIP_TERMS)
    assert mentions(text, ENGINE_TERMS) == list(ENGINE_TERMS)
    assert "queueing for a berth" in text and "bare firewall" in text
    assert "1 − bare firewalls ÷ engine positions" in text


def test_a_production_only_guide_has_no_repair_terms(tmp_path):
    text = guide(build_scenario(**PRODUCTION), tmp_path)
    assert mentions(text, SHIP_TERMS) == [] and mentions(text, ENGINE_TERMS) == []
    assert mentions(text, PRODUCTION_TERMS) == list(PRODUCTION_TERMS)


@pytest.mark.parametrize(
    ("parts", "present", "absent"),
    [
        ({"ship_repair": SHIPS}, SHIP_TERMS, ENGINE_TERMS + PRODUCTION_TERMS),
        ({"engine_repair": ENGINES}, ENGINE_TERMS, SHIP_TERMS + PRODUCTION_TERMS),
    ],
)
def test_each_repair_part_alone_is_explained_alone(tmp_path, parts, present, absent):
    text = guide(build_scenario(**parts), tmp_path)
    assert mentions(text, present) == list(present)
    assert mentions(text, absent) == []


def test_conflicts_are_explained_by_what_they_do(tmp_path):
    crisis = {
        **CRISIS,
        "probability": 0.5,
        "consumption_per_day": {"PAC-3 MSE": {"US": 1}},
        "ship_damage_per_year": 4,
        "engine_removal_factor": 3,
    }
    scenario = build_scenario(
        **PRODUCTION, ship_repair=SHIPS, engine_repair=ENGINES, conflicts=[crisis]
    )
    text = guide(scenario, tmp_path)
    assert "whether and when conflicts happen" in text
    assert "draws extra items from stock" in text
    assert "battle-damage repairs" in text
    assert "multiplies engine removals by its removal factor" in text


def test_a_conflict_that_only_consumes_says_nothing_of_repair():
    text = " ".join(
        reading_guide(
            Modelled(production=True, stock=True, conflicts=True, conflict_consumption=True)
        )
    ).lower()
    assert "draws extra items from stock" in text
    assert mentions(text, SHIP_TERMS) == [] and mentions(text, ENGINE_TERMS) == []
    assert "whether and when conflicts happen" not in text  # certain, fixed dates


def test_repair_conflict_effects_need_their_part():
    modelled = Modelled(
        engines=True, conflicts=True, conflict_removals=True, conflict_ship_damage=False
    )
    text = " ".join(reading_guide(modelled)).lower()
    assert "multiplies engine removals" in text and "battle-damage" not in text
    assert mentions(text, SHIP_TERMS) == []
