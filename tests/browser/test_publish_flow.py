"""An admin publishes the knowledge base, sees the change under /kb/, and rolls it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from kiosk import create_app
from kiosk.extensions import db
from tests.admin.conftest import cheap_scrypt  # noqa: F401 - autouse: fast password hashing
from tests.browser.conftest import screenshot
from tests.browser.taps import tap
from tests.browser_support import PHONE, TABLET
from tests.conftest import PASSWORD, base_config
from tests.publishing.conftest import content  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

ADDED = "这一段是刚刚发布的新内容。"


@pytest.fixture
def app(database_url: str, tmp_path: Path, content: Path):  # noqa: F811
    """Publishing a copy of docs/ into tmp_path/sites; /kb/ serves what is published."""
    app = create_app(
        base_config(database_url, DOCS_DIR=str(content), SITES_DIR=str(tmp_path / "sites"))
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def publish_and_wait(page) -> None:
    tap(page, "#publish-button")
    # The page reloads itself every 2 s while the publish runs.
    page.wait_for_selector("#publish-status.state-done", timeout=600_000)


def test_publish_see_the_change_and_roll_back(
    live_server,
    page,
    world,
    content: Path,  # noqa: F811
    app: Flask,
) -> None:
    base = live_server.url
    page.goto(f"{base}/admin/login")
    page.fill("#username", "admin")
    page.fill("#password", PASSWORD)
    tap(page, "form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    tap(page, "nav.admin-nav >> text=发布")
    page.wait_for_url(f"{base}/admin/content/publish")
    assert "还没有发布过" in page.text_content("#publish")

    publish_and_wait(page)
    steps = page.locator("#publish-status .step.done").all_text_contents()
    assert [text[:4] for text in steps] == ["检查内容", "生成网站", "切换网站"]
    assert all(text.endswith("秒") for text in steps)
    page.goto(f"{base}/kb/faq/")
    assert ADDED not in page.text_content("article")

    faq = content / "faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + f"\n{ADDED}\n", encoding="utf-8")
    page.goto(f"{base}/admin/content/publish")
    publish_and_wait(page)
    page.set_viewport_size(TABLET)
    screenshot(page, "admin-publish")
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "admin-publish-phone")
    page.set_viewport_size(TABLET)
    page.goto(f"{base}/kb/faq/")
    assert ADDED in page.text_content("article")

    page.goto(f"{base}/admin/content/publish")
    tap(page, "#rollback-button")
    page.wait_for_selector(".flash.success")
    assert "读者现在看到的就是它" in page.text_content(".flash.success")
    page.goto(f"{base}/kb/faq/")
    assert ADDED not in page.text_content("article")
