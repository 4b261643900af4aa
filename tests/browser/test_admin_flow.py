"""The staff member's flow in the admin area, as a person does it in the browser."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from kiosk.admin.forms import to_local
from kiosk.extensions import db
from kiosk.models import AuditEvent, FollowUp, utcnow
from tests.admin.conftest import (
    add_signup,
    cheap_scrypt,  # noqa: F401 - autouse: fast password hashing
)
from tests.browser.conftest import screenshot
from tests.browser_support import PHONE, TABLET
from tests.conftest import PASSWORD, signup_payload

pytestmark = pytest.mark.browser

LOCAL = "%Y-%m-%dT%H:%M"
# A few more people so the screenshots show a realistic list.
CROWD = [
    ("李四", "13900139000", "food_delivery", "美团"),
    ("王五", "13700137000", "courier", "京东物流"),
    ("赵六", "13600136000", "ride_hailing", "滴滴出行"),
    ("阿卜杜·热合曼", "15800158000", "delivery", "饿了么"),
]


def _login(page, base: str, username: str = "staff") -> None:
    page.goto(f"{base}/admin/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _sign_up(page, base: str, code: str, **fields: object) -> None:
    response = page.request.post(f"{base}/api/signups", data=signup_payload(code, **fields))
    assert response.status == 201, response.text()


def _shoot_both(page, name: str) -> None:
    page.set_viewport_size(TABLET)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    page.reload()  # as a phone opens it: layout decisions made on load see the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(TABLET)


def test_staff_flow(live_server, page, world):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts

    # Log in.
    _login(page, base)
    assert page.inner_text("h1") == "概览"

    # Create a session (Beijing time in, shown back the same) and open it.
    start = to_local(utcnow() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    page.click("text=新建沟通会")
    page.select_option("#kind", "worker")
    page.select_option("#site_id", str(world.site_id))
    page.fill("#starts_at", start.strftime(LOCAL))
    page.fill("#ends_at", (start + timedelta(hours=2)).strftime(LOCAL))
    page.fill("#notes", "首航超市门口，带宣传折页和互助卡申请表")
    page.click("form.grid-form button[type=submit]")
    page.wait_for_selector("text=沟通会已创建")
    assert page.inner_text("h1").startswith("瀛海镇总工会职工沟通会")
    session_url = page.url
    page.click("text=开始登记")
    page.wait_for_selector("text=沟通会已开始，可以登记了")
    code = page.inner_text(".meta code")

    # The phone QR code on the page decodes to this session's sign-up link.
    import zxingcpp

    png = page.locator(".qr-card img").screenshot()
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert barcode.text == f"{base}/s/{code}"

    # Bind this browser as the tablet through the setup link and the real form.
    page.click("text=在这台设备上开始沟通会")
    assert page.url == f"{base}/kiosk/setup?code={code}"
    page.fill("#username", "staff")
    page.fill("#password", PASSWORD)
    page.fill("#label", "一号平板")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/kiosk/")

    # Two sign-ups with the same phone, then a few other people.
    _sign_up(page, base, code, phone="13800138000")
    _sign_up(page, base, code, phone="138 0013 8000", interests=["mutual_aid"])
    for name, phone, occupation, employer in CROWD:
        _sign_up(
            page,
            base,
            code,
            name=name,
            phone=phone,
            occupation=occupation,
            employer=employer,
            interests=["health_check"],
        )

    # The session page: one person for the two sign-ups, and the bound tablet.
    page.goto(session_url)
    assert page.inner_text('[data-count="people"]') == "5"
    assert page.inner_text('[data-count="signups"]') == "6"
    assert "一号平板" in page.inner_text(".tablets")
    zhang = page.locator("table.rows tr", has_text="张三")
    assert zhang.count() == 1
    assert "2 次" in zhang.inner_text()
    assert "138****8000" in zhang.inner_text()

    # Set the follow-up status on the person page.
    zhang.locator("a").first.click()
    page.select_option("#status", "contacted")
    page.fill("#note", "已电话联系，周六来站点入会")
    page.click("text=保存跟进状态")
    page.wait_for_selector("text=跟进状态已保存")
    with live_server.app.app_context():
        row = db.session.scalar(sa.select(FollowUp).where(FollowUp.phone == "13800138000"))
        assert row.status == "contacted"
    _shoot_both(page, "admin-person")

    # Export the session: the download is the CSV with both sign-ups of 张三.
    page.goto(session_url)
    page.locator("table.rows tr", has_text="李四").locator("a").first.click()
    page.select_option("#status", "joined")
    page.click("text=保存跟进状态")
    page.goto(session_url)
    with page.expect_download() as download_info:
        page.click("text=导出 CSV")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    data = open(download.path(), "rb").read()  # noqa: SIM115 - a temporary file
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["沟通会", "日期", "姓名", "手机号"]
    assert [r[3] for r in rows[1:]].count("13800138000") == 2
    assert len(rows) == 7
    with live_server.app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
        assert event.detail["rows"] == 6

    # Screenshots of the main screens, at tablet and phone width; no script errors
    # and no CSP violations on any of them.
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(session_url)
    _shoot_both(page, "admin-session")
    page.goto(f"{base}/admin/signups")
    _shoot_both(page, "admin-signups")
    page.goto(f"{base}/admin/")
    _shoot_both(page, "admin-dashboard")
    assert problems == []


def test_login_page_at_phone_width(live_server, page, world):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/login")
    assert page.locator("form button[type=submit]").bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "admin-login-phone")


def test_signup_filters_fold_away_on_a_phone(live_server, page, world):
    """On a phone the list starts on the first screen; on a tablet every filter shows."""
    for name, phone, occupation, employer in CROWD:
        add_signup(
            live_server.app,
            world.session_id,
            name=name,
            phone=phone,
            occupation=occupation,
            employer=employer,
        )
    _login(page, live_server.url)
    more = page.locator("details.more-filters")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/signups")
    screenshot(page, "admin-signups-filters-folded-phone")
    assert not page.is_visible("#f-occupation")
    first_row = page.locator("table.rows tbody tr").first.bounding_box()
    assert first_row["y"] + 100 < PHONE["height"]  # the list starts on the first screen
    assert page.locator("details.more-filters > summary").bounding_box()["height"] >= 44

    page.click("details.more-filters > summary")
    page.select_option("#f-occupation", "ride_hailing")
    page.click("form.filters button[type=submit]")
    assert more.get_attribute("open") is not None  # a chosen filter stays in view
    assert "（已选 1 项）" in page.inner_text("details.more-filters > summary")
    assert page.input_value("#f-occupation") == "ride_hailing"
    assert "赵六" in page.inner_text("table.rows") and "李四" not in page.inner_text("table.rows")

    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/admin/signups")
    assert page.is_visible("#f-occupation") and page.is_visible("#f-status")
    screenshot(page, "admin-signups-filters-tablet")


def test_admin_adds_a_town_union_under_the_district(live_server, page, world):
    _login(page, live_server.url, username="admin")
    page.click(".admin-nav >> text=工会")
    page.click("text=添加工会组织")
    page.fill("#name", "旧宫镇总工会")
    page.select_option("#level", "subdistrict")
    page.select_option("#parent_id", str(world.district_id))
    page.set_viewport_size(PHONE)
    screenshot(page, "admin-org-form-phone")
    page.click("form.grid-form button[type=submit]")
    page.wait_for_selector("text=已添加工会组织 旧宫镇总工会")
    towns = page.locator("td.org-name.depth-1").all_inner_texts()
    assert sorted(t.lstrip("└ ").strip() for t in towns) == [
        "旧宫镇总工会",
        "瀛海镇总工会",
        "西红门镇总工会",
    ]
    _shoot_both(page, "admin-orgs")
