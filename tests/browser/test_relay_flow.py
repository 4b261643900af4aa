"""上报 on a booth laptop and 上报凭证 on the city server, as staff use them."""

from __future__ import annotations

import re

import pytest

from tests.admin.conftest import cheap_scrypt  # noqa: F401 - autouse: fast password hashing
from tests.browser.taps import tap
from tests.browser.test_admin_flow import _login, _shoot_both
from tests.relay.conftest import Laptop, laptop, stored_ids, token, upstream  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_an_admin_issues_a_credential_and_sees_it_once(upstream, page, world):  # noqa: F811
    _login(page, upstream.url, "admin")
    page.goto(f"{upstream.url}/admin/orgs")
    tap(page, "a.btn:has-text('上报凭证')")
    page.wait_for_url(f"{upstream.url}/admin/relay/credentials")
    page.select_option("#organisation_id", label="瀛海镇总工会")
    page.fill("#label", "瀛海镇现场笔记本")
    tap(page, "form.grid-form button[type=submit]")
    page.wait_for_selector("#new-token")
    shown = page.inner_text("[data-token]")
    assert re.fullmatch(r"relay_[\w-]{43}", shown)
    _shoot_both(page, "admin-relay-credential-issued")
    page.goto(f"{upstream.url}/admin/relay/credentials")
    assert shown not in page.content()  # once only
    _shoot_both(page, "admin-relay-credentials")


def test_booth_staff_see_pending_sign_ups_and_push_them_now(
    app,
    laptop: Laptop,  # noqa: F811 - the fixture
    page,
) -> None:
    laptop.sign_up(3)
    laptop.app.config["RELAY_BATCH_SIZE"] = 2  # two batches, as a long day would need
    _login(page, laptop.server.url, "booth")
    page.goto(f"{laptop.server.url}/admin/relay")
    assert page.inner_text("#relay-pending .num") == "3"
    assert page.inner_text("#relay-connected .num") == "尚未连接"
    # 上报 joins the menu on a laptop only, and every item stays in view at 1024 px.
    assert page.evaluate(
        "(n => n.scrollWidth <= n.clientWidth)(document.querySelector('nav.admin-nav'))"
    )
    _shoot_both(page, "admin-relay-status-pending")
    tap(page, "button:has-text('立即上传')")
    page.wait_for_selector("text=已上传：确认 3 条，被拒 0 条")
    assert page.inner_text("#relay-pending .num") == "0"
    assert page.inner_text("#relay-connected .num") == "已连接"
    assert len(stored_ids(app)) == 3
    _shoot_both(page, "admin-relay-status-pushed")
