"""Playwright on Debian's /usr/bin/chromium, shared by the kiosk and knowledge-base tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium")

# Without these flags Chromium phones home at start-up; on a closed network that
# shows up as refused connections and slows every launch.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

ROOT = Path(__file__).resolve().parents[1]
# Test runs write here (git-ignored); KIOSK_SCREENSHOT_DIR=screenshots refreshes the
# README's images on purpose, so an ordinary test run never dirties the work tree.
SCREENSHOTS = ROOT / os.environ.get("KIOSK_SCREENSHOT_DIR", "test-results/screenshots")

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
TABLET_PORTRAIT = {"width": 768, "height": 1024}


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(reason: str) -> None:
    """On CI a missing prerequisite is a failure; on a laptop it is a skip."""
    if on_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def launch_browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        require_or_skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        require_or_skip("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
