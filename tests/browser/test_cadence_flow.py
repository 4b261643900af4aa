"""A union's month in the browser: plan it, see it on the calendar, hold it, report it."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from kiosk.cadence.months import Month, local_date
from kiosk.extensions import db
from kiosk.models import FollowUp, OutreachSession
from tests.admin.conftest import (
    add_signup,
    cheap_scrypt,  # noqa: F401 - autouse: fast password hashing
)
from tests.browser.conftest import screenshot
from tests.browser.taps import tap
from tests.browser_support import PHONE, TABLET
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEXT = Month.current().next()  # wholly in the future: the plan creates every slot
PEOPLE = [
    ("张三", "13800138000", "courier", "顺丰"),
    ("李四", "13900139000", "food_delivery", "美团"),
    ("王五", "13700137000", "courier", "京东物流"),
    ("赵六", "13600136000", "delivery", "饿了么"),
    ("孙七", "13500135000", "food_delivery", "美团"),
]


def _login(page, base: str, username: str = "staff") -> None:
    page.goto(f"{base}/admin/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    tap(page, "form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def _logout(page) -> None:
    tap(page, ".admin-user button")
    page.wait_for_url("**/admin/login**")


def _shoot_both(page, name: str) -> None:
    page.set_viewport_size(TABLET)
    page.reload()
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, f"{name}-phone")
    page.set_viewport_size(TABLET)


def _status(page) -> str:
    return page.inner_text('tr[data-org="瀛海镇总工会"] .status-cell')


def test_plan_hold_and_report_a_month(live_server, page, world):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, base)

    # The cadence page: nothing planned next month, so it cannot be met.
    tap(page, "nav.admin-nav >> text=月度达标")
    page.wait_for_url(f"{base}/admin/cadence")
    page.fill("input[name=month]", str(NEXT))
    tap(page, ".month-nav button[type=submit]")
    page.wait_for_url(f"**month={NEXT}")
    assert _status(page) == "有风险"

    # Plan it: the example rows (every Tuesday, the 2nd and 4th Wednesday) at 首航超市.
    tap(page, ".page-head >> text=排期")
    page.wait_for_url(f"**/admin/plan?month={NEXT}")
    page.select_option("#rule-0-site", "首航超市")
    tap(page, "#plan-preview-button")
    page.wait_for_selector("#plan-preview")
    tuesdays = sum(1 for d in NEXT.days() if d.weekday() == 1)
    assert f"将创建 {tuesdays + 2} 场" in page.inner_text("#plan-preview h2")
    _shoot_both_preview(page)
    tap(page, "#plan-create")
    page.wait_for_selector(f"text=已创建 {tuesdays + 2} 场沟通会")

    # The calendar shows them, coloured by kind; a tap opens the session.
    assert page.locator(".month-grid .chip.k-worker").count() == tuesdays
    assert page.locator(".month-grid .chip.k-enterprise").count() == 2
    _seed_signups(live_server.app, world)
    _shoot_both(page, "admin-calendar")

    # Back on the cadence page: planned, not yet held.
    page.goto(f"{base}/admin/cadence?month={NEXT}")
    assert _status(page) == "进行中"

    # Hold them: open each session and close it again, as staff do at the booth.
    with live_server.app.app_context():
        ids = db.session.scalars(
            sa.select(OutreachSession.id)
            .where(OutreachSession.organisation_id == world.town_id)
            .where(OutreachSession.starts_at >= NEXT.starts_at)
            .order_by(OutreachSession.starts_at)
        ).all()
    workers = 0
    for session_id in ids:
        page.goto(f"{base}/admin/sessions/{session_id}")
        tap(page, ".page-head >> text=开始登记")
        page.wait_for_selector("text=沟通会已开始，可以登记了")
        tap(page, ".page-head >> text=结束沟通会")
        page.wait_for_selector("text=沟通会已结束")
        workers += "职工沟通会" in page.inner_text(".meta")
        if workers == 4 and "企业" not in page.inner_text(".meta"):
            page.goto(f"{base}/admin/cadence?month={NEXT}")
            assert _status(page) == "进行中"  # the enterprise sessions are still to come
    page.goto(f"{base}/admin/cadence?month={NEXT}")
    assert _status(page) == "已达标"

    # The district's view: every union below it, shortfalls first.
    _other_unions_month(live_server.app, world)
    _logout(page)
    _login(page, base, "district")
    page.goto(f"{base}/admin/cadence?month={NEXT}")
    orgs = page.locator("tr[data-org]").evaluate_all("rows => rows.map(r => r.dataset.org)")
    assert orgs == ["西红门镇总工会", "大兴区总工会", "瀛海镇总工会"]
    assert _status(page) == "已达标"
    _shoot_both(page, "admin-cadence")
    _logout(page)
    _login(page, base)

    # The monthly report, and its Excel download.
    tap(page, "nav.admin-nav >> text=月度报告")
    page.fill("#month", str(NEXT))
    tap(page, "text=生成报告")
    page.wait_for_selector("#summary")
    summary = page.inner_text("#summary")
    assert f"{NEXT.label}，瀛海镇总工会已召开{tuesdays + 2}场“双沟通”活动" in summary
    assert "登记6人次、5人，已联系2人" in summary and "本月已达标" in summary
    assert page.locator("svg.chart").count() == 5
    with page.expect_download() as download_info:
        tap(page, "#download-xlsx")
    download = download_info.value
    assert download.suggested_filename == f"瀛海镇总工会-{NEXT}-月度报告.xlsx"  # RFC 5987
    book = load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    figures = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=2, values_only=True)}
    assert figures["召开沟通会（场）"] == tuesdays + 2 and figures["登记（人）"] == 5
    page.emulate_media(media="print")
    assert not page.locator(".report-controls").is_visible()  # print CSS hides the controls
    page.emulate_media(media="screen")
    _shoot_both(page, "admin-report")


def _shoot_both_preview(page) -> None:
    """The planner with its preview, at both sizes (a reload would re-post the form)."""
    screenshot(page, "admin-planner")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "admin-planner-phone")
    page.set_viewport_size(TABLET)


def _other_unions_month(app, world) -> None:
    """西红门镇 falls behind; the district has its session planned on the third Thursday."""
    from datetime import datetime, time, timedelta

    from tests.cadence.conftest import add_session

    first = NEXT.first_day
    for offset, status in ((1, "closed"), (8, "closed"), (15, "cancelled")):
        day = datetime.combine(first + timedelta(days=offset), time(10))
        reason = "暴雨停办" if status == "cancelled" else None
        add_session(app, world.other_town_id, "worker", day, status=status, reason=reason)
    third = datetime.combine(NEXT.third_thursday, time(14))
    add_session(app, world.district_id, "district", third, title="大兴区区级职工沟通会")


def _seed_signups(app, world) -> None:
    """A few people at the month's first two sessions, two of them followed up."""
    with app.app_context():
        first, second = db.session.scalars(
            sa.select(OutreachSession)
            .where(OutreachSession.organisation_id == world.town_id)
            .where(OutreachSession.starts_at >= NEXT.starts_at)
            .order_by(OutreachSession.starts_at)
            .limit(2)
        ).all()
        sessions = [(first.id, first.starts_at), (second.id, second.starts_at)]
    for index, (name, phone, occupation, employer) in enumerate(PEOPLE):
        session_id, starts = sessions[index % 2]
        add_signup(
            app, session_id, name=name, phone=phone, occupation=occupation, employer=employer,
            created_at=starts,
        )  # fmt: skip
    add_signup(app, sessions[1][0], name="张三", phone="13800138000", created_at=sessions[1][1])
    with app.app_context():
        joined_on: date = local_date(sessions[0][1])
        db.session.add_all(
            [
                FollowUp(
                    organisation_id=world.town_id,
                    phone="13800138000",
                    status="joined",
                    joined_on=joined_on,
                ),  # fmt: skip
                FollowUp(organisation_id=world.town_id, phone="13900139000", status="contacted"),
            ]
        )
        db.session.commit()


def test_calendar_is_a_list_on_a_phone(live_server, page, world):
    base = live_server.url
    _login(page, base)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/admin/calendar")
    assert not page.locator(".month-grid").is_visible()
    assert page.locator(".day-list .list-item").count() >= 1
    tap(page, ".day-list .list-item")
    page.wait_for_url(f"{base}/admin/sessions/*")
    assert "瀛海镇职工沟通会" in page.inner_text("h1")
