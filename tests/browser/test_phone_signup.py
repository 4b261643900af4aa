"""The phone form at /s/<code>: a worker's own phone, 390×844, with or without JavaScript."""

from __future__ import annotations

import pytest

from kiosk.extensions import db
from kiosk.models import OutreachSession
from tests.browser.conftest import screenshot
from tests.browser.kiosk_support import signups
from tests.browser_support import PHONE
from tests.conftest import fail_signup_inserts

pytestmark = pytest.mark.browser


# Tests take `phone` after `live_server`, so the browser context closes first and the
# server does not wait on its keep-alive connections when it stops.
@pytest.fixture
def phone(browser):
    """A phone-sized page with JavaScript off: the form must work as plain HTML."""
    ctx = browser.new_context(
        viewport=PHONE, locale="zh-CN", java_script_enabled=False, is_mobile=True, has_touch=True
    )
    page = ctx.new_page()
    yield page
    ctx.close()


def test_phone_form_works_without_javascript(live_server, world, phone):
    page = phone
    page.goto(f"{live_server.url}/s/{world.session_code}")
    assert page.inner_text("h1") == "瀛海镇职工沟通会"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-form")

    page.fill("#name", "周九")
    page.fill("#phone", "138001380")
    page.check("input[name=occupation][value=food_delivery]")
    page.click("form.signup button[type=submit]")
    assert page.inner_text("#phone-error") == "手机号应为11位数字，现在是9位"
    assert page.inner_text("#consent-error") == "请阅读并同意隐私说明后再提交"
    assert page.input_value("#name") == "周九"
    assert page.input_value("#phone") == "138001380"
    assert page.is_checked("input[name=occupation][value=food_delivery]")
    page.locator("#phone").scroll_into_view_if_needed()
    screenshot(page, "phone-form-errors")

    page.fill("#phone", "138 0013 8000")
    page.check("input[name=consent]")
    page.click("form.signup button[type=submit]")
    page.wait_for_url("**/thanks")
    assert "登记成功" in page.inner_text("h1")
    screenshot(page, "phone-thanks")
    [row] = signups(live_server.app)
    assert (row.name, row.phone, row.source) == ("周九", "13800138000", "phone")


def test_closed_session_says_so_and_links_to_the_knowledge_base(live_server, world, phone):
    with live_server.app.app_context():
        db.session.get(OutreachSession, world.session_id).status = "closed"
        db.session.commit()
    page = phone
    page.goto(f"{live_server.url}/s/{world.session_code}")
    assert "这场沟通会现在不接受登记" in page.inner_text("main")
    assert page.locator("form").count() == 0
    assert page.get_attribute("a.button", "href").endswith("/kb/")
    screenshot(page, "phone-closed")


def test_a_database_failure_keeps_the_form_and_a_second_tap_stores_once(
    live_server, world, phone, monkeypatch
):
    page = phone
    page.goto(f"{live_server.url}/s/{world.session_code}")
    page.fill("#name", "吴十")
    page.fill("#phone", "13900139000")
    page.check("input[name=occupation][value=courier]")
    page.check("input[name=consent]")
    with monkeypatch.context() as patch:
        fail_signup_inserts(live_server.app, patch)
        page.click("form.signup button[type=submit]")
        assert "暂时没能保存，请稍等片刻再点一次“提交登记”。" in page.inner_text("main")
        assert page.input_value("#name") == "吴十"
        assert page.input_value("#phone") == "13900139000"
        screenshot(page, "phone-form-try-again")
        assert signups(live_server.app) == []
    page.click("form.signup button[type=submit]")
    page.wait_for_url("**/thanks")
    [row] = signups(live_server.app)
    assert (row.name, row.phone) == ("吴十", "13900139000")
