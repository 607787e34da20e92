"""The report in a real browser (issue 15, item 10): report.html and comparison.html
opened in headless Chromium, as a reader would.

Each page must show every image (every <img> decodes: naturalWidth > 0), ask the
network for nothing (its only requests are the file itself and data: URIs — the page is
self-contained, so it opens on a laptop without a network and leaks nothing to anyone)
and log no error to the console. The runs are made with the command line, in a
subprocess, at few replications (the figures are what matters, not the numbers); they
take about 25 s, so that test is marked slow (``pytest -m slow tests/test_browser.py``),
while the check of the checks (a broken page fails each) runs by default, in about 2 s.

Skipped, at once and with the reason, where Chromium, its driver or Selenium is missing
(:func:`tests.browser.missing`): CI machines have no Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import browser
from tests.command_line import sim

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=str(browser.missing()))

ROOT = Path(__file__).resolve().parents[1]
REPLICATIONS = "20"
PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5E"
    "rkJggg=="
)
"""A one-pixel PNG."""
BROKEN_PAGE = f"""<!doctype html><html><head><title>broken</title></head><body>
<img src="data:image/png;base64,{PIXEL}">
<img src="no-such-figure.png">
<img src="http://127.0.0.1:9/figure.png"><!-- port 9 (discard): refused at once -->
<script>console.error("something went wrong")</script>
</body></html>
"""
"""One good image, one missing, one from the network and a console error."""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """co-production (against baseline) and baseline run, and their comparison."""
    out = tmp_path_factory.mktemp("browser")
    for scenario, folder in (("co-production", "plan"), ("baseline", "base")):
        result = sim(
            "run",
            str(ROOT / "scenarios" / f"{scenario}.yaml"),
            "--reps",
            REPLICATIONS,
            "--quiet",
            "--out",
            folder,
            cwd=out,
        )
        assert result.returncode == 0, result.stderr
    result = sim("compare", "base", "plan", "--out", "comparison", cwd=out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def chromium():
    with browser.headless_chromium() as driver:
        yield driver


def test_the_checks_catch_a_broken_page(chromium, tmp_path: Path):
    """A page with a missing image, a request to the network and a console error fails
    each check, so a passing report passes for a reason."""
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE, encoding="utf-8")
    loaded = browser.load(chromium, page)
    assert len(loaded.images) == 3
    assert loaded.broken_images() == ["no-such-figure.png", "http://127.0.0.1:9/figure.png"]
    assert (tmp_path / "no-such-figure.png").as_uri() in loaded.foreign_requests(page)
    assert "http://127.0.0.1:9/figure.png" in loaded.foreign_requests(page)
    assert any("something went wrong" in message for message in loaded.console)


@pytest.mark.slow  # three runs of the command line: about 25 s on a busy machine
@pytest.mark.parametrize(
    ("page", "least_images"),
    [("plan/report.html", 15), ("comparison/comparison.html", 2)],
)
def test_a_report_opens_whole_in_a_browser(chromium, runs: Path, page: str, least_images: int):
    path = runs / page
    loaded = browser.load(chromium, path)
    assert len(loaded.images) >= least_images
    assert not loaded.broken_images()
    assert all(image["src"].startswith("data:image/png;base64,") for image in loaded.images)
    assert not loaded.foreign_requests(path)
    assert path.resolve().as_uri() in loaded.requests  # the log was read, and it was there
    assert not loaded.console
