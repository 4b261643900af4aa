"""Browser fixtures: a live kiosk on SQLite with the shared `world`, and Playwright pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kiosk import create_app
from tests.browser_support import SCREENSHOTS
from tests.live_server import LiveServer, serve_in_thread


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """Browser tests run on SQLite only: they test screens, not storage engines."""
    import shutil

    path = tmp_path / "kiosk.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def live_server(app: Flask, world) -> Iterator[LiveServer]:
    """The `app` fixture (with `world` seeded) served by waitress on a free port."""
    app.config["PUBLIC_BASE_URL"] = None
    with serve_in_thread(app) as server:
        yield server


@pytest.fixture
def context(browser) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Iterator[object]:
    pg = context.new_page()
    yield pg
    pg.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


__all__ = ["SCREENSHOTS", "create_app", "screenshot"]


# --- Kiosk and offline fixtures (tests/browser/test_kiosk_*, test_offline_*, test_phone_*) ---


@pytest.fixture
def fast_kiosk(live_server: LiveServer) -> LiveServer:
    """The live server with short thank-you, idle and retry timings."""
    from tests.browser.kiosk_support import FAST

    live_server.app.config.update(FAST)
    return live_server


@pytest.fixture
def kiosk(fast_kiosk: LiveServer, page, world):
    """A page on the kiosk screen, bound to the 瀛海镇 session through /kiosk/setup."""
    from tests.browser.kiosk_support import bind_in_browser

    bind_in_browser(page, fast_kiosk.url, world.session_code)
    return page


@pytest.fixture
def proxy(live_server: LiveServer):
    """A FaultyProxy in front of the live server (see faulty_proxy.py)."""
    from tests.browser.faulty_proxy import faulty_proxy

    with faulty_proxy(live_server.url) as running:
        yield running
