"""A report as a reader's browser shows it: headless Chromium driven by Selenium.

Debian's ``chromium`` and ``chromium-driver`` packages (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) and Selenium (in the ``test`` extra) are needed;
:func:`missing` says what is not there, so a test can skip in an instant on a machine
without them (CI has no Chromium). Why Selenium: docs/design.md, "The report
in a real browser".

Used by ``tests/test_browser.py`` and ``tools/report_screenshot.py``.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # without these, Chromium calls home at start-up (component updates, sync, field
    # trials), which a closed network refuses and a test must not depend on
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
FIRST_SCREEN = (1280, 800)
"""Width and height of the window, in CSS pixels: a laptop's first screen."""
LOAD_SECONDS = 30.0


def missing() -> str | None:
    """Why a browser test cannot run here, or None when it can."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.is_file():
            return f"{path} not found: apt-get install {package}"
    if importlib.util.find_spec("selenium") is None:
        return "selenium not installed: pip install -e '.[test]'"
    return None


@contextmanager
def headless_chromium(size: tuple[int, int] = FIRST_SCREEN) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, closed (and its profile removed) after."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"):
            options.add_argument(flag)
        # the console and the network as Chromium logs them, read back after a load
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        # the window's size includes what a headed browser would spend on its toolbars:
        # set the page's own (the viewport) to `size`, as a screenshot shows it
        metrics = {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        try:
            yield driver
        finally:
            driver.quit()


@dataclass(frozen=True)
class Loaded:
    """What a page did when it was opened."""

    images: list[dict[str, Any]]
    """Each <img>: its src (start of), whether it finished loading and its naturalWidth."""
    requests: list[str]
    """Every URL the page asked for, itself included."""
    console: list[str]
    """Console messages at error level (and uncaught exceptions)."""

    def broken_images(self) -> list[str]:
        """The images that did not decode."""
        return [image["src"] for image in self.images if image["naturalWidth"] <= 0]

    def foreign_requests(self, page: Path) -> list[str]:
        """Requests for anything but the page itself and data: URIs."""
        own = page.resolve().as_uri()
        return [url for url in self.requests if url != own and not url.startswith("data:")]


def load(driver: Any, page: Path) -> Loaded:
    """Open `page` (a local file) and wait until it and every image have loaded."""
    for log in ("browser", "performance"):
        driver.get_log(log)  # drain what the start page logged
    uri = page.resolve().as_uri()
    driver.get(uri)
    deadline = time.monotonic() + LOAD_SECONDS
    script = (
        "return document.readyState === 'complete' && [...document.images].every(i => i.complete)"
    )
    while not driver.execute_script(script):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page} did not finish loading in {LOAD_SECONDS:.0f} s")
        time.sleep(0.05)
    images = driver.execute_script(
        "return [...document.images].map(i => ({src: (i.getAttribute('src') || '').slice(0, 60),"
        " complete: i.complete, naturalWidth: i.naturalWidth}))"
    )
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            parameters = message["params"]
            # the page's own requests (the browser's start page makes its own)
            if parameters.get("documentURL") == uri:
                requests.append(parameters["request"]["url"])
    console = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return Loaded(images, requests, console)
