"""The report's ship and engine repair sections and figures.

A tiny scenario whose every job is certain where it matters: four ships, a yard with
ten berths (no ship ever queues), every availability overrunning its 100 planned days by
half (so each one is exactly 50 days late); engines with 50 spares and 50 repair lines (no
aircraft waits, no engine queues), a 30-day turnaround, and a Japanese depot whose
certification always fails. Random phases and removals still vary, so counts are checked
only where they cannot.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sim.cli.main import main
from sim.loading import load_scenario
from sim.report.blocks import Document, Image, Paragraph, Section
from sim.report.document import build_document
from sim.report.facts import horizon_days
from sim.report.figures import write_figures
from sim.report.json import build_report
from sim.report.repair import engine_summary, ship_summary
from sim.report.tables import Table, format_percent_spread
from sim.report.writer import write_report
from sim.runs.montecarlo import Run, run
from tests.conftest import build_scenario
from tests.report.sections import ENGINES, SHIPS

SCENARIO = """\
name: repair-check
description: Ship and engine repair only, with spare capacity everywhere.
start_year: 2026
years: 2
ship_repair:
  routing: home
  yards:
    big-yard: {country: US, berths: 10}
  fleets:
    steady: {homeport: US, ships: 4, cycle_days: 365, planned_days: 100, overrun: 1.5}
engine_repair:
  F110:
    installed: 20
    spares: 50
    removals_per_engine_year: 0.5
    depots:
      tinker: {country: US, lines: 50, turnaround_days: 30}
      never-hub:
        country: JP
        lines: 2
        turnaround_days: 30
        certification: {days: 100, success: 0}
"""

REPAIR_FIGURES = {"ship-waits", "yard-utilisation", "bare-firewalls", "depot-waits"}


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "repair-check.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def finished(scenario_file: Path) -> Run:
    return run(load_scenario(scenario_file), replications=200, seed=5)


@pytest.fixture(scope="module")
def out(finished: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(finished, tmp_path_factory.mktemp("written") / "out")


@pytest.fixture(scope="module")
def document(finished: Run, tmp_path_factory: pytest.TempPathFactory) -> Document:
    report = build_report(finished)
    figures = write_figures(finished, report, tmp_path_factory.mktemp("figures"))
    return build_document(finished, report, figures)


def section(document: Document, title: str) -> Section:
    return next(section for section in document.sections if section.title == title)


def table(section: Section, first_header: str) -> dict[str, dict[str, str]]:
    """The table whose first column is `first_header`, as {row name: {column: cell}}."""
    found = next(
        block
        for block in section.blocks
        if isinstance(block, Table) and block.header[0] == first_header
    )
    return {row[0]: dict(zip(found.header, row, strict=True)) for row in found.rows}


def text(section: Section) -> str:
    return " ".join(
        part for block in section.blocks if isinstance(block, Paragraph) for part in block.parts
    )


def titles(finished: Run, tmp_path: Path) -> tuple[list[str], set[str]]:
    """Section titles of `finished`'s report and the keys of its figures."""
    report = build_report(finished)
    figures = write_figures(finished, report, tmp_path / "figures")
    document = build_document(finished, report, figures)
    return [s.title for s in document.sections], {figure.key for figure in figures}


def test_a_repair_only_report_has_repair_sections_and_no_production(document: Document):
    names = [s.title for s in document.sections]
    assert names[:4] == ["Run", "Ship repair", "Engine repair", "F110"]
    for production in ("Deliveries and stock", "Bottlenecks", "Production lines", "More figures"):
        assert production not in names


def test_repair_figures_are_written_and_placed_in_their_sections(document: Document, out: Path):
    written = {path.stem for path in (out / "figures").glob("*.png")}
    assert written & REPAIR_FIGURES == REPAIR_FIGURES
    for name in REPAIR_FIGURES:
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000, name

    def placed(title: str) -> list[str]:
        return [b.figure.key for b in section(document, title).blocks if isinstance(b, Image)]

    assert placed("Ship repair") == ["ship-waits", "yard-utilisation"]
    assert placed("Engine repair") == ["bare-firewalls", "depot-waits"]


def test_fleet_and_yard_tables_report_the_certain_numbers(document: Document, finished: Run):
    ships = section(document, "Ship repair")
    fleet = table(ships, "Fleet")["steady"]
    assert fleet["Homeport"] == "US"
    assert fleet["Wait (days)"] == "0"  # ten berths, four ships
    assert fleet["Delay (days)"] == "50"  # 100 planned days, 150 worked
    assert fleet["Late"] == "100 %"
    assert "All fleets" not in table(ships, "Fleet")  # one fleet: no total row
    yard = table(ships, "Yard")["big-yard"]
    assert (yard["Country"], yard["Berths"], yard["Wait (days)"]) == ("US", "10", "0")
    # With no queue and no transit, every ship-day away is a berth-day worked at the yard.
    ship_days = build_report(finished)["metrics"]["ships.ship_days_unavailable"]["mean"]
    expected = 100 * ship_days / (10 * horizon_days(finished))
    assert abs(int(yard["Utilisation"].split(" %")[0]) - expected) <= 0.5


def test_engine_and_depot_tables_report_the_certain_numbers(document: Document):
    engines = section(document, "Engine repair")
    f110 = table(engines, "Engine type")["F110"]
    assert f110["Installed + spares"] == "20 + 50"
    assert f110["Bare firewalls"] == "0"
    assert f110["Engine positions filled"] == "100 %"
    assert (f110["Depot wait (days)"], f110["Turnaround (days)"]) == ("0", "30")
    depots = table(section(document, "F110"), "Depot")
    assert depots["tinker"]["Opened (replications)"] == "from the start"
    assert depots["tinker"]["Turnaround (days)"] == "30"
    assert depots["never-hub"]["Opened (replications)"] == "0 %"
    assert depots["never-hub"]["Wait (days)"] == "—"  # it never opened
    assert "opens only in some replications" in text(section(document, "F110"))


def test_summaries_speak_plainly(document: Document):
    ships = text(section(document, "Ship repair"))
    assert "They waited 0 days for a berth on average; 0 % waited at all" in ships
    assert "finished late (the share GAO reports), 100 % counting emergent repairs too" in ships
    assert "the delay past planned completion averaged 50 days" in ships
    assert "ship-days" in ships and "in maintenance over the horizon" in ships
    engines = text(section(document, "F110"))
    assert "0 of 20 engine positions had no engine" in engines
    assert "so 100 % of engine positions were filled" in engines


def test_ship_summary_from_known_numbers():
    def summary(mean: float, p5: float, p95: float) -> dict[str, Any]:
        return {"mean": mean, "p5": p5, "p95": p95}

    report = {
        "years": [2026, 2027],
        "metrics": {
            "ships.availabilities": summary(40, 35, 45),
            "ships.open_end": summary(3, 1, 5),
            "ships.wait_days": summary(12, 3, 30),
            "ships.waited_over_0_days": summary(0.5, 0.3, 0.7),
            "ships.waited_over_30_days": summary(0.1, 0, 0.3),
            "ships.planned_late_share": summary(0.72, 0.55, 0.86),
            "ships.late_share": summary(0.64, 0.48, 0.79),
            "ships.delay_days": summary(38, 20, 60),
            "ships.ship_days_unavailable": summary(2570, 2100, 3000),
        },
    }
    assert ship_summary(report, 730) == (
        "In 2026–2027, 40 availabilities (35–45) were completed and 3 were still open at the "
        "end. They waited 12 days (P5–P95 3–30) for a berth on average; 50 % waited at all "
        "and 10 % more than 30 days. 72 % (55–86 %) of the planned availabilities finished "
        "late (the share GAO reports), 64 % (48–79 %) counting emergent repairs too; the "
        "delay past planned completion averaged 38 days (P5–P95 20–60) per availability. "
        "Ships spent 2,570 "
        "ship-days (2,100–3,000) in maintenance over the horizon: 3.5 ships on average at "
        "any time."
    )
    report["metrics"]["ships.availabilities"] = summary(0, 0, 0)
    assert ship_summary(report, 730) == "No availability was completed in 2026–2027."


def test_engine_summary_without_repairs_leaves_out_the_queue():
    report = {
        "years": [2026],
        "metrics": {
            "engines.F100.removals": {"mean": 0, "p5": 0, "p95": 0},
            "engines.F100.repairs": {"mean": 0, "p5": 0, "p95": 0},
            "engines.F100.bare_firewalls": {"mean": 0, "p5": 0, "p95": 0},
            "engines.F100.availability": {"mean": 1, "p5": 1, "p95": 1},
            "engines.F100.depot_wait_days": {"mean": None},
        },
    }
    assert engine_summary(report, "F100", 10) == (
        "In 2026, 0 engines were removed and 0 repaired. 0 of 10 engine positions had no "
        "engine, averaged over the horizon, so 100 % of engine positions were filled "
        "(engines alone: aircraft availability is lower, as other causes ground aircraft too)."
    )


def test_a_fraction_spread_reads_as_percentages():
    assert format_percent_spread({"mean": 0.64, "p5": 0.475, "p95": 0.79}) == "64 % (48–79 %)"
    assert format_percent_spread({"mean": 1.0, "p5": 1.0, "p95": 1.0}) == "100 %"
    assert format_percent_spread({"mean": None}) == "—"
    assert format_percent_spread(None) == "—"


def test_each_section_appears_only_with_its_part(tmp_path: Path):
    ships_only = run(build_scenario(ship_repair=SHIPS), replications=20, seed=1)
    names, figures = titles(ships_only, tmp_path / "ships")
    assert "Ship repair" in names and "Engine repair" not in names
    assert figures & REPAIR_FIGURES == {"ship-waits", "yard-utilisation"}

    engines_only = run(build_scenario(engine_repair=ENGINES), replications=20, seed=1)
    names, figures = titles(engines_only, tmp_path / "engines")
    assert "Engine repair" in names and "F100" in names and "Ship repair" not in names
    assert figures & REPAIR_FIGURES == {"bare-firewalls", "depot-waits"}

    production = build_scenario(
        items={"PAC-3 MSE": {}},
        lines={"pac3-us": {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 10}}},
    )
    names, figures = titles(run(production, replications=20, seed=1), tmp_path / "production")
    assert "Ship repair" not in names and "Engine repair" not in names
    assert not figures & REPAIR_FIGURES


def test_repair_sits_after_production_and_before_conflicts(tmp_path: Path):
    scenario = build_scenario(
        items={"PAC-3 MSE": {}},
        lines={"pac3-us": {"country": "US", "makes": "PAC-3 MSE", "capacity": {"initial": 10}}},
        stockpiles={"PAC-3 MSE": {"US": 100}},
        conflicts=[
            {
                "name": "crisis",
                "start": "2027-01-01",
                "days": 90,
                "ship_damage_per_year": 4,
                "ship_damage_fleets": ["west"],
                "engine_removal_factor": 3,
            }
        ],
        ship_repair={
            **SHIPS,
            "yards": {"san-diego": {"country": "US", "berths": {"uniform": [1, 3]}}},
        },
        engine_repair=ENGINES,
    )
    finished = run(scenario, replications=20, seed=1)
    report = build_report(finished)
    figures = write_figures(finished, report, tmp_path / "figures")
    document = build_document(finished, report, figures)
    names = [s.title for s in document.sections]
    order = ["Production lines", "Ship repair", "Engine repair", "F100", "Conflicts"]
    positions = [next(i for i, n in enumerate(names) if n.startswith(o)) for o in order]
    assert positions == sorted(positions)
    ships = section(document, "Ship repair")
    assert (
        "Conflict crisis adds battle-damage repairs at 4 a year while it lasts (fleet west)."
        in (text(ships))
    )
    assert table(ships, "Yard")["san-diego"]["Berths"] == "1–3"  # drawn per replication
    assert "Conflict crisis multiplies engine removals by 3" in text(
        section(document, "Engine repair")
    )
    shaded = {figure.key: "Grey: conflicts" in figure.caption for figure in figures}
    assert shaded["bare-firewalls"] and shaded["yard-utilisation"]


def test_conflicts_that_spare_repair_are_not_shaded(document: Document):
    """The tiny scenario has no conflict, so no repair figure claims one."""
    captions = [
        b.figure.caption for s in document.sections for b in s.blocks if isinstance(b, Image)
    ]
    assert captions and not any("Grey: conflicts" in caption for caption in captions)


class _Page(HTMLParser):
    """Headings, images and table header cells of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.images: list[str] = []
        self.header_cells = 0
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._heading = tag in ("h2", "h3")
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        elif tag == "th":
            self.header_cells += 1

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings.append(data)
            self._heading = False


def test_the_html_parses_with_repair_headings_and_embedded_figures(out: Path):
    page = _Page()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    page.close()
    assert {"Ship repair", "Engine repair", "F110"} <= set(page.headings)
    assert len(page.images) >= len(REPAIR_FIGURES)
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert page.header_cells >= 7 + 6 + 8 + 8  # fleet, yard, engine type and depot tables


def test_the_markdown_links_every_repair_figure(out: Path):
    markdown = (out / "report.md").read_text(encoding="utf-8")
    for name in REPAIR_FIGURES:
        assert f"](figures/{name}.png)" in markdown
    assert "## Ship repair" in markdown and "### F110" in markdown


def test_sim_run_summarises_a_repair_only_scenario(scenario_file: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(scenario_file), "--reps", "50", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "repair-check: 50 replications" in printed
    assert "┏" not in printed  # no empty table of items
    assert "ship-days in maintenance" in printed
    assert "F110: 0 (0–0) bare firewalls." in printed
