"""A content editor edits a benefit page in the browser: a broken front matter is refused
with the error next to its field and the text kept; fixed, it saves and is published to
/kb/; the old revision is restored and published again; and what was typed survives an
expired login.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.admin.conftest import cheap_scrypt  # noqa: F401 - autouse: fast password hashing
from tests.admin.content_support import PAGE, copy_docs, make_content_editor
from tests.browser.conftest import screenshot
from tests.browser.taps import tap
from tests.browser_support import PHONE, TABLET
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ADDED = "体检前一天晚上早点休息。"


def shoot_both(page, name: str) -> None:
    page.set_viewport_size(TABLET)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(TABLET)


def unexpected(message) -> bool:
    """A console error other than the refused save's own 422 (the editor shown again with
    its errors) and Chromium's favicon guess."""
    if message.type != "error":
        return False
    url = message.location.get("url", "")
    refused_save = "422" in message.text and "/admin/content/" in url
    return not (url.endswith("/favicon.ico") or refused_save)


def log_in(page, base: str) -> None:
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    tap(page, "form button[type=submit]")


def publish(page, base: str) -> None:
    """发布 from the menu, as the content editor, and wait until the switch is done."""
    tap(page, "nav.admin-nav >> text=发布")
    page.wait_for_url(f"{base}/admin/content/publish")
    tap(page, "#publish-button")
    # The page reloads itself every 2 s while the publish runs.
    page.wait_for_selector("#publish-status.state-done", timeout=600_000)


def published_page(page, base: str) -> str:
    page.goto(f"{base}/kb/benefits/health-check/")
    return page.text_content("article") or ""


def test_content_editor_flow(live_server, page, world, tmp_path: Path):
    base = live_server.url
    app = live_server.app
    docs = copy_docs(app, tmp_path)
    # /kb/ serves what is published, as in production (the app fixture serves a fixed site).
    app.config["KB_DIR"] = str(Path(app.config["SITES_DIR"]) / "current")
    make_content_editor(app)
    original = (docs / PAGE).read_text(encoding="utf-8")
    page.on("dialog", lambda dialog: dialog.accept())
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if unexpected(msg) else None)

    page.goto(f"{base}/admin/login")
    log_in(page, base)
    page.wait_for_url(f"{base}/admin/")
    tap(page, "nav.admin-nav >> text=网站内容")
    page.wait_for_url(f"{base}/admin/content/")
    shoot_both(page, "admin-content-list")

    # Open the benefit page; the preview renders it with the site's extensions.
    tap(page, f"tr:has-text('{PAGE}') >> text=编辑")
    page.wait_for_url(f"{base}/admin/content/edit/{PAGE}")
    page.wait_for_selector("#preview h2#是什么")
    shoot_both(page, "admin-content-editor")
    page.wait_for_selector("#preview h2#是什么")

    # Edit: a new paragraph shows in the preview as it is typed.
    body = page.input_value("#body")
    page.fill("#body", body.replace("## 是什么\n", f"## 是什么\n\n{ADDED}\n", 1))
    page.wait_for_selector(f"#preview >> text={ADDED}")

    # A broken front matter: refused, the error next to its field, the text kept.
    tap(page, "details.front > summary")
    page.fill("#reviewed", "2026-13-45")
    tap(page, ".save-bar button[type=submit]")
    page.wait_for_selector("#f-reviewed .error")
    page.locator("#f-reviewed").scroll_into_view_if_needed()
    assert "reviewed 日期“2026-13-45”不对" in page.inner_text("#f-reviewed")
    assert ADDED in page.input_value("#body")
    assert page.input_value("#reviewed") == "2026-13-45"
    assert (docs / PAGE).read_text(encoding="utf-8") == original
    page.set_viewport_size(TABLET)
    screenshot(page, "admin-content-editor-error")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "admin-content-editor-error-phone")
    page.set_viewport_size(TABLET)

    # Fixed: saved, checked, written.
    page.fill("#reviewed", "2026-11-21")
    tap(page, ".save-bar button[type=submit]")
    page.wait_for_selector("text=已保存，检查通过")
    assert ADDED in (docs / PAGE).read_text(encoding="utf-8")

    # Publish: readers see the change under /kb/.
    publish(page, base)
    assert ADDED in published_page(page, base)
    page.goto(f"{base}/admin/content/edit/{PAGE}")

    # Restore the version before the edit from the page's history.
    tap(page, "text=历史版本")
    page.wait_for_url(f"{base}/admin/content/history/{PAGE}")
    shoot_both(page, "admin-content-history")
    tap(page, "tr:has-text('原有内容') >> button:has-text('恢复这个版本')")
    page.wait_for_selector("text=已恢复这个版本，检查通过")
    assert (docs / PAGE).read_text(encoding="utf-8") == original
    assert ADDED not in page.input_value("#body")

    # Publish again: the site is back to the restored text.
    publish(page, base)
    assert ADDED not in published_page(page, base)
    page.goto(f"{base}/admin/content/edit/{PAGE}")

    # The login expires while typing: the save goes to the login page, and after logging
    # in the editor comes back with what was typed.
    tap(page, "details.front > summary")
    page.fill("#summary", "登录过期前输入的摘要。")
    page.context.clear_cookies()
    tap(page, ".save-bar button[type=submit]")
    page.wait_for_url(f"{base}/admin/login?next=*")
    log_in(page, base)
    page.wait_for_url(f"{base}/admin/content/edit/{PAGE}")
    page.wait_for_selector("#restored-note:not([hidden])")
    assert page.input_value("#summary") == "登录过期前输入的摘要。"
    tap(page, ".save-bar button[type=submit]")
    page.wait_for_selector("text=已保存，检查通过")
    assert "summary: 登录过期前输入的摘要。\n" in (docs / PAGE).read_text(encoding="utf-8")
    assert page.locator("#restored-note").is_hidden()

    # A service station without opening hours is refused, with the reason on the field.
    tap(page, "text=返回列表")
    tap(page, "a.btn:has-text('服务站点')")
    page.wait_for_url(f"{base}/admin/content/data/stations")
    shoot_both(page, "admin-content-stations")
    page.fill("#s-0-name", "瀛海镇小哥户外暖心驿站")
    page.fill("#s-0-organisation", "瀛海镇总工会")
    tap(page, "label.check:has-text('饮用水')")
    tap(page, ".save-bar button[type=submit]")
    page.wait_for_selector("text=站点“瀛海镇小哥户外暖心驿站”没有开放时间（hours）")
    assert page.input_value("#s-0-name") == "瀛海镇小哥户外暖心驿站"
    screenshot(page, "admin-content-stations-error")
    page.fill("#s-0-hours", "每天 8:00–20:00")
    tap(page, ".save-bar button[type=submit]")
    page.wait_for_selector("text=服务站点已保存，检查通过")
    assert "facilities: [饮用水]" in (docs / "data" / "stations.yml").read_text(encoding="utf-8")
    page.goto(f"{base}/admin/content/data/synonyms")
    shoot_both(page, "admin-content-synonyms")

    assert problems == []
