"""Regenerate docs/report-first-screen.png: the first screen of co-production's report.

    python tools/report_screenshot.py [--reps N] [--out PNG]

Runs ``sim run scenarios/co-production.yaml`` (against its counterfactual, as a user
would) into a temporary folder, opens its report.html in headless Chromium at a
laptop's first screen (1280 × 800) and saves what a reader sees before scrolling. Needs
Debian's chromium and chromium-driver and Selenium (the ``test`` extra); see
tests/browser.py. The screenshot shows the README where it describes the report.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.browser, shared with the browser tests

from tests import browser  # noqa: E402


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=1000, help="replications (default 1000)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report-first-screen.png")
    options = parser.parse_args(arguments)
    why = browser.missing()
    if why is not None:
        print(f"cannot take the screenshot: {why}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="report-screenshot-") as folder:
        run = Path(folder) / "co-production"
        command = [sys.executable, "-m", "sim", "run", "scenarios/co-production.yaml"]
        command += ["--reps", str(options.reps), "--quiet", "--out", str(run)]
        subprocess.run(command, cwd=ROOT, check=True)
        with browser.headless_chromium() as driver:
            loaded = browser.load(driver, run / "report.html")
            if loaded.broken_images() or loaded.console:
                print(f"the report did not open cleanly: {loaded}", file=sys.stderr)
                return 1
            driver.save_screenshot(str(options.out))
    print(f"wrote {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
