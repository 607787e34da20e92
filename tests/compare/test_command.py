"""``sim compare`` end to end: the files, their shapes, the HTML, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from sim.cli.main import main
from tests.compare.runs import write_folder


@pytest.fixture(scope="module")
def written(real_runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("compare") / "out"
    runs = [str(folder) for folder in real_runs[:2]]
    assert main(["compare", *runs, "--out", str(out), "--quiet"]) == 0
    return out


def test_two_runs_write_every_file(written):
    for name in ("comparison.json", "comparison.md", "comparison.html"):
        assert (written / name).is_file(), name
    assert (written / "figures" / "forest.png").read_bytes().startswith(b"\x89PNG")
    assert (written / "figures" / "differences.png").is_file()
    assert not list(written.parent.glob(".tmp-*"))


def test_two_runs_have_the_design_shape_at_the_top_level(written):
    document = json.loads((written / "comparison.json").read_text())
    assert document["method"] == "paired"
    assert document["run_a"]["scenario"] == "crn-a" and document["run_b"]["scenario"] == "crn-b"
    stock = document["metrics"]["item.Beta.stock_end.2028"]
    assert set(stock) >= {"a", "b", "diff", "ci95", "paired"}
    assert stock["paired"] is True and stock["ci95"][0] <= stock["diff"] <= stock["ci95"][1]


def test_the_markdown_leads_with_plain_language(written):
    markdown = (written / "comparison.md").read_text()
    assert "## Largest effects" in markdown
    assert "Line beta-us total output, 2026–2028: +" in markdown
    assert "missiles (95 % CI +" in markdown
    assert "![crn-b − crn-a: headline differences](figures/forest.png)" in markdown


class _Page(HTMLParser):
    """Collects what a self-contained page must (not) have."""

    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.headings = 0
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes.get("src") or "")
        if tag in ("h1", "h2", "h3"):
            self.headings += 1
        if tag == "table":
            self.tables += 1
        assert tag not in ("script", "link"), tag


def test_the_html_parses_and_embeds_its_figures(written):
    page = _Page()
    page.feed((written / "comparison.html").read_text())
    page.close()
    assert len(page.images) == 2
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert page.headings > 5 and page.tables >= 3


def test_three_runs_compare_each_with_the_first(real_runs, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["compare", *map(str, real_runs), "--quiet"]) == 0
    out = tmp_path / "results" / "compare-crn-a-vs-crn-b-vs-crn-c"
    document = json.loads((out / "comparison.json").read_text())
    assert document["reference"]["scenario"] == "crn-a"
    first, second = document["comparisons"]
    assert (first["run_b"]["scenario"], first["method"]) == ("crn-b", "paired")
    assert (second["run_b"]["scenario"], second["method"]) == ("crn-c", "welch")
    assert second["metrics"]["line.beta-us.output"]["paired"] is False
    assert (out / "figures" / "crn-c-vs-crn-a-forest.png").is_file()
    assert (out / "figures" / "crn-b-vs-crn-a-differences.png").is_file()


def test_a_folder_that_is_not_a_run_exits_2_in_one_line(real_runs, tmp_path):
    not_a_run = tmp_path / "notes"
    not_a_run.mkdir()
    completed = subprocess.run(
        [sys.executable, "-m", "sim", "compare", str(real_runs[0]), str(not_a_run)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert completed.returncode == 2
    assert completed.stderr == f"sim: {not_a_run}: not a run folder of `sim run` (no report.json)\n"
    assert not (tmp_path / "results").exists()


def test_a_corrupt_report_exits_2(tmp_path, capsys):
    folder = write_folder(tmp_path / "run", {"line.x.output": [1.0, 2.0]})
    (folder / "report.json").write_text("{")
    assert main(["compare", str(folder), str(folder), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("sim: ") and "not valid JSON" in error and "Traceback" not in error


def test_the_output_may_not_replace_a_run(real_runs, capsys):
    runs = [str(folder) for folder in real_runs[:2]]
    for out in (runs[0], str(real_runs[0].parent)):
        assert main(["compare", *runs, "--out", out, "--quiet"]) == 2
        assert "would replace the run folder" in capsys.readouterr().err
    assert (real_runs[0] / "report.json").is_file()
