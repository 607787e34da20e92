"""The written report: every file, its contract, its content, and the atomic swap.

One small scenario is run once per module (300 replications take well under a second)
and written once; each test reads what it needs. The scenario is built so that one line
is clearly the bottleneck: ``pac3-us`` can start 500 missiles a year but its only
supplier, ``srm-us``, makes 120 rocket motors.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

import sim.report.figures
from sim.loading import load_scenario
from sim.report.writer import write_report
from sim.runs.montecarlo import Run, run
from sim.runs.output_folder import OutputFolderError

SCENARIO = """\
name: report-check
description: Two interceptors; rocket motors limit one of them.
start_year: 2026
years: 4
sources:
  iiss-2023:
    {title: "The Military Balance 2023", url: "https://www.iiss.org/mb2023", date: 2023-06-01}
  budget: {title: "Budget <FY2025> & justification", url: "https://example.org/p1?a=1&b=2"}
items:
  PAC-3 MSE: {unit: missiles, unit_cost_musd: 4.1}
  SM-3 IIA: {unit: missiles}
  SRM: {unit: motors}
lines:
  srm-us:
    country: US
    makes: SRM
    capacity: {initial: 120}
    routes: {line: {pac3-us: 1.0}}
    disruptions: {per_year: 1, days: 30, capacity_lost: 0.5}
    source: [iiss-2023]
  pac3-us:
    country: US
    makes: PAC-3 MSE
    capacity: {initial: 500}
    inputs: {SRM: 1}
    flow_days: {triangular: [100, 150, 200]}
    source: [iiss-2023]
  sm3-jp:
    country: JP
    makes: SM-3 IIA
    capacity: {initial: 60, growth_cap: {uniform: [0.1, 0.3]}, target: 120}
    funded_per_year: 80
    routes: {stock: {US: 0.5, JP: 0.5}}
    source: [budget]
shipping_days: {JP-US: 30}
stockpiles:
  PAC-3 MSE: {US: 800}
  SM-3 IIA: {US: 40, JP: 20}
demand:
  - {item: PAC-3 MSE, owner: US, per_year: 100}
conflicts:
  - name: strait crisis
    start: {uniform: [2027-01-01, 2027-06-30]}
    days: 90
    consumption_per_day: {PAC-3 MSE: {US: 3}, SM-3 IIA: {US: 0.2}}
"""

END_ITEMS = ("PAC-3 MSE", "SM-3 IIA")
LINES = ("srm-us", "pac3-us", "sm3-jp")
SOURCE_URLS = ("https://www.iiss.org/mb2023", "https://example.org/p1?a=1&b=2")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SUMMARY_FIELDS = {"unit", "mean", "sd", "ci95", "p5", "p50", "p95"}


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("scenario")
    (folder / "report-check.yaml").write_text(SCENARIO, encoding="utf-8")
    return run(load_scenario(folder / "report-check.yaml"), replications=300, seed=1)


@pytest.fixture(scope="module")
def out(finished: Run, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(finished, tmp_path_factory.mktemp("written") / "out")


@pytest.fixture(scope="module")
def markdown(out: Path) -> str:
    return (out / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(out: Path) -> PageStructure:
    structure = PageStructure()
    structure.feed((out / "report.html").read_text(encoding="utf-8"))
    structure.close()
    return structure


def test_every_file_is_written(out: Path):
    for name in ("report.json", "report.md", "report.html", "replications.csv"):
        assert (out / name).is_file(), name
    figures = sorted(path.name for path in (out / "figures").glob("*.png"))
    assert figures == [
        "bottlenecks.png",
        "deliveries.png",
        "drivers.png",
        "line-output.png",
        "spending.png",
        "stock.png",
        "unit-cost.png",
    ]
    for name in figures:
        data = (out / "figures" / name).read_bytes()
        assert data.startswith(PNG_MAGIC), name
        assert len(data) > 10_000, name


def test_every_metric_has_its_summary(out: Path):
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]
    for name, summary in report["metrics"].items():
        assert set(summary) >= SUMMARY_FIELDS, name


def test_markdown_names_every_end_item_and_line(markdown: str):
    for name in (*END_ITEMS, *LINES):
        assert name in markdown, name


def test_markdown_blames_the_starved_line_and_names_its_input_and_supplier(markdown: str):
    verdict = next(line for line in markdown.splitlines() if "was starved of" in line)
    assert verdict.startswith("pac3-us was starved of SRM (from srm-us) on ")
    assert " of 1,461 days on average (95 % CI " in verdict
    row = next(line for line in markdown.splitlines() if line.startswith("| 1 | pac3-us |"))
    assert "| SRM (srm-us), " in row
    assert "Limiting input (supplier)" in markdown


def test_markdown_splits_the_stock_of_an_item_two_countries_hold(markdown: str):
    headers = [line for line in markdown.splitlines() if line.startswith("| Year | Deliveries")]
    # PAC-3 MSE is held by the US alone, SM-3 IIA by the US and Japan
    assert ["of which US" in header for header in headers] == [False, True]
    assert "| of which US (missiles) | of which JP (missiles) |" in headers[1]


def test_markdown_links_each_figure_and_source(markdown: str, out: Path):
    for png in (out / "figures").glob("*.png"):
        assert f"](figures/{png.name})" in markdown
    for url in SOURCE_URLS:
        assert f"(<{url}>)" in markdown


def test_markdown_reports_recovery_and_guide(markdown: str):
    assert "## Conflicts and stockpile recovery" in markdown
    assert "strait crisis" in markdown
    assert "## How to read this report" in markdown


def test_html_has_one_title_and_a_head(page: PageStructure):
    assert page.doctype == "DOCTYPE html"
    assert page.count("html") == 1 and page.attributes("html")[0]["lang"] == "en"
    assert page.attributes("meta")[0] == {"charset": "utf-8"}
    assert page.count("title") == 1
    assert page.count("h1") == 1


def test_html_tables_have_header_rows(page: PageStructure):
    assert page.tables
    for table in page.tables:
        assert table["header_cells"] > 0
        assert table["rows"] > 0


def test_html_embeds_every_figure(page: PageStructure):
    sources = [attributes["src"] for attributes in page.attributes("img")]
    assert len(sources) == 7
    assert all(src.startswith("data:image/png;base64,") for src in sources)


def test_html_links_sources_and_loads_nothing(page: PageStructure):
    links = {attributes.get("href") for attributes in page.attributes("a")}
    assert set(SOURCE_URLS) <= links
    assert not any("src" in attributes for attributes in page.attributes("script"))
    assert not any(attributes.get("rel") == "stylesheet" for attributes in page.attributes("link"))


def test_html_escapes_scenario_text(out: Path):
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Budget &lt;FY2025&gt; &amp; justification" in html
    assert "<FY2025>" not in html


def test_writing_again_replaces_the_folder(finished: Run, tmp_path: Path):
    out = write_report(finished, tmp_path / "out")
    (out / "figures" / "stale.png").write_bytes(PNG_MAGIC)  # inside what sim wrote
    write_report(finished, out)
    assert not (out / "figures" / "stale.png").exists()
    assert (out / "report.html").is_file()
    assert _leftovers(tmp_path) == []


def test_a_folder_holding_a_users_file_is_not_replaced(finished: Run, tmp_path: Path):
    out = write_report(finished, tmp_path / "out")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match=r"holds notes\.txt, which sim did not write"):
        write_report(finished, out)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert _leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_report(
    finished: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = write_report(finished, tmp_path / "out")
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}

    def fail_midway(run: Run, report: dict, folder: Path, *step: object) -> list:
        folder.mkdir(parents=True)
        (folder / "half.png").write_bytes(PNG_MAGIC)
        raise RuntimeError("disk gone")

    monkeypatch.setattr(sim.report.figures, "write_figures", fail_midway)
    with pytest.raises(RuntimeError, match="disk gone"):
        write_report(finished, out)
    after = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    assert after == before
    assert not (out / "figures" / "half.png").exists()
    assert _leftovers(tmp_path) == []


def _leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.startswith((".tmp-", ".old-"))]


class PageStructure(HTMLParser):
    """The parts of an HTML page the tests look at: tags, attributes, tables."""

    def __init__(self) -> None:
        super().__init__()
        self.doctype: str | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[dict[str, int]] = []
        self._section: str | None = None

    def handle_decl(self, declaration: str) -> None:
        self.doctype = declaration

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append({"header_cells": 0, "rows": 0})
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "th" and self._section == "thead":
            self.tables[-1]["header_cells"] += 1
        elif tag == "tr" and self._section == "tbody":
            self.tables[-1]["rows"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("thead", "tbody"):
            self._section = None

    def count(self, tag: str) -> int:
        return len(self.attributes(tag))

    def attributes(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]
