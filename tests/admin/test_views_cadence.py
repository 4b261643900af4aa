"""月度达标, 日历, 排期, 月度报告, 达标要求 and 日历订阅, through the web."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from kiosk.cadence.months import Month
from kiosk.extensions import db
from kiosk.models import AuditEvent, CalendarFeed, OutreachSession, Quota
from tests.admin.conftest import audit_events
from tests.cadence.conftest import add_session
from tests.conftest import World

NEXT = Month.current().next()  # wholly in the future: nothing in it has been held


def _day(n: int, hour: int = 14) -> datetime:
    """Day n of next month at `hour`, Beijing time (naive: add_session reads it so)."""
    return datetime.combine(NEXT.first_day + timedelta(days=n - 1), time(hour))


def _status_of(html: str, org: str) -> str:
    row = re.search(rf'<tr class="cs-row-(\w+)" data-org="{org}">', html)
    assert row, org
    return row.group(1)


def test_cadence_page_moves_with_the_plan(app: Flask, staff_client: FlaskClient, world: World):
    url = f"/admin/cadence?month={NEXT}"
    html = staff_client.get(url).get_data(as_text=True)
    assert _status_of(html, "瀛海镇总工会") == "at_risk"
    assert "西红门镇总工会" not in html and "大兴区总工会" not in html
    for day in (1, 8, 15, 22):
        add_session(app, world.town_id, "worker", _day(day))
    for day in (2, 16):
        add_session(app, world.town_id, "enterprise", _day(day, 10))
    html = staff_client.get(url).get_data(as_text=True)
    assert _status_of(html, "瀛海镇总工会") == "on_track"
    assert "0/4" in html and "（另排 4 场）" in html


def test_district_staff_see_every_union_below_shortfalls_first(
    app: Flask, client: FlaskClient, auth, world: World
):
    for day in (1, 8, 15, 22):
        add_session(app, world.other_town_id, "worker", _day(day))
    for day in (2, 16):
        add_session(app, world.other_town_id, "enterprise", _day(day, 10))
    auth.login("district")
    html = client.get(f"/admin/cadence?month={NEXT}").get_data(as_text=True)
    order = re.findall(r'data-org="([^"]+)"', html)
    assert set(order) == {"大兴区总工会", "瀛海镇总工会", "西红门镇总工会"}
    assert order[-1] == "西红门镇总工会"  # on track: after the unions at risk


def test_each_figure_links_to_its_sessions(app: Flask, staff_client: FlaskClient, world: World):
    planned = add_session(app, world.town_id, "worker", _day(3))
    gone = add_session(
        app, world.town_id, "worker", _day(10), status="cancelled", reason="暴雨停办"
    )
    html = staff_client.get(f"/admin/cadence?month={NEXT}").get_data(as_text=True)
    link = f"/admin/cadence/{world.town_id}/worker?month={NEXT}"
    assert link in html
    page = staff_client.get(link).get_data(as_text=True)
    assert planned in page and gone in page and "原因：暴雨停办" in page
    assert "尚未召开（1）" in page and "已取消（不计入）（1）" in page


@pytest.mark.parametrize("figure", ["worker", "enterprise", "district"])
def test_another_unions_figures_are_404(client: FlaskClient, auth, world: World, figure: str):
    auth.login("outsider")
    assert client.get(f"/admin/cadence/{world.town_id}/{figure}").status_code == 404
    assert client.get(f"/admin/cadence/{world.other_town_id}/{figure}").status_code == 200
    assert client.get(f"/admin/cadence/{world.other_town_id}/nonsense").status_code == 404


def test_calendar_grid_and_list(app: Flask, staff_client: FlaskClient, world: World):
    code = add_session(app, world.town_id, "district", _day(5), title="区级沟通会（瀛海）")
    html = staff_client.get(f"/admin/calendar?month={NEXT}").get_data(as_text=True)
    assert html.count("区级沟通会（瀛海）") == 2  # the grid's chip title and the phone list
    assert 'class="chip k-district s-planned"' in html
    assert "month-grid" in html and "day-list" in html
    with app.app_context():
        session_id = db.session.scalar(
            sa.select(OutreachSession.id).where(OutreachSession.code == code)
        )
    assert f"/admin/sessions/{session_id}" in html


def test_calendar_is_scoped(app: Flask, client: FlaskClient, auth, world: World):
    add_session(app, world.town_id, "worker", _day(5), title="瀛海镇下月场次")
    auth.login("outsider")
    assert "瀛海镇下月场次" not in client.get(f"/admin/calendar?month={NEXT}").get_data(
        as_text=True
    )
    assert client.get(f"/admin/calendar?org={world.town_id}").status_code == 404


def _plan_form(org_id: int, month: Month, *rows: tuple[str, ...]) -> dict[str, str]:
    data = {"organisation_id": str(org_id), "month": str(month)}
    for index in range(5):
        values = rows[index] if index < len(rows) else ("", "every", "1", "", "", "")
        for key, value in zip(
            ("kind", "weeks", "weekday", "start", "end", "site"), values, strict=True
        ):
            data[f"rules-{index}-{key}"] = value
    return data


WORKER_ROW = ("worker", "every", "2", "14:00", "17:00", "首航超市")


def test_planner_previews_warns_and_creates_once(
    app: Flask, staff_client: FlaskClient, world: World
):
    page = staff_client.get(f"/admin/plan?month={NEXT}").get_data(as_text=True)
    assert 'value="14:00"' in page and "预览" in page
    form = _plan_form(world.town_id, NEXT, WORKER_ROW)
    preview = staff_client.post("/admin/plan/preview", data=form).get_data(as_text=True)
    tuesdays = sum(1 for d in NEXT.days() if d.weekday() == 1)
    assert f"将创建 {tuesdays} 场" in preview
    assert "企业沟通会共 0 场，少于要求的 2 场" in preview
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(OutreachSession.id)))
    response = staff_client.post("/admin/plan/create", data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/calendar?month={NEXT}&org={world.town_id}"
    again = staff_client.post("/admin/plan/create", data=form, follow_redirects=True)
    assert "没有新建任何场次" in again.get_data(as_text=True)
    with app.app_context():
        after = db.session.scalar(sa.select(sa.func.count(OutreachSession.id)))
    assert after == before + tuesdays
    assert [e.detail["created"] for e in audit_events(app, "plan_month")] == [tuesdays, 0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("worker", "every", "9", "14:00", "17:00", ""), "星期应为"),
        (("worker", "every", "2", "17:00", "14:00", ""), "结束时间必须晚于开始时间"),
        (("worker", "every", "2", "", "17:00", ""), "开始时间应写成"),
        (("worker", "9,9", "2", "14:00", "17:00", ""), "weeks"),
        (("party", "every", "2", "14:00", "17:00", ""), "类型应为"),
    ],
)
def test_planner_refuses_bad_rows(staff_client: FlaskClient, world: World, row, message: str):
    response = staff_client.post("/admin/plan/preview", data=_plan_form(world.town_id, NEXT, row))
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_planner_refuses_another_union_and_an_empty_plan(staff_client: FlaskClient, world: World):
    response = staff_client.post(
        "/admin/plan/create", data=_plan_form(world.other_town_id, NEXT, WORKER_ROW)
    )
    assert response.status_code == 422 and "不是有效的选择" in response.get_data(as_text=True)
    response = staff_client.post("/admin/plan/create", data=_plan_form(world.town_id, NEXT))
    assert response.status_code == 422 and "排期模板里没有任何场次" in response.get_data(
        as_text=True
    )


def test_report_page_and_excel(app: Flask, staff_client: FlaskClient, world: World):
    html = staff_client.get(f"/admin/reports/month?month={NEXT}").get_data(as_text=True)
    assert f"瀛海镇总工会 · {NEXT.label}“双沟通”月度报告" in html
    assert html.count("<svg") == 5 and 'id="summary"' in html
    assert "本月新建会企业 0 家" in html
    assert "<script>" not in html and 'style="' not in html  # the CSP allows neither
    response = staff_client.get(f"/admin/reports/month.xlsx?org={world.town_id}&month={NEXT}")
    assert response.status_code == 200
    name = quote(f"瀛海镇总工会-{NEXT}-月度报告.xlsx")
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"monthly-report-{NEXT}.xlsx\"; filename*=UTF-8''{name}"
    )
    assert load_workbook(io.BytesIO(response.data)).sheetnames[0] == "概况"
    [event] = audit_events(app, "report_export")
    assert event.detail == {"month": str(NEXT), "subtree": False}


def test_reports_are_scoped(client: FlaskClient, auth, world: World):
    auth.login("outsider")
    assert client.get(f"/admin/reports/month?org={world.town_id}").status_code == 404
    assert client.get(f"/admin/reports/month.xlsx?org={world.town_id}").status_code == 404
    assert client.get(f"/admin/reports/month?org={world.district_id}&subtree=1").status_code == 404
    html = client.get("/admin/reports/month").get_data(as_text=True)
    assert "西红门镇总工会 ·" in html and "瀛海镇" not in html


def test_district_report_rolls_up(client: FlaskClient, auth, world: World):
    auth.login("district")
    html = client.get(
        f"/admin/reports/month?org={world.district_id}&month={NEXT}&subtree=1"
    ).get_data(as_text=True)
    assert "含下属 2 个工会" in html and "各工会达标情况" in html


def test_quotas_for_admins_only(app: Flask, client: FlaskClient, auth, world: World):
    auth.login("staff")
    assert client.get("/admin/quotas").status_code == 403
    auth.logout()
    auth.login("admin")
    assert "达标要求" in client.get("/admin/quotas").get_data(as_text=True)
    data = {
        "subdistrict-worker": "5",
        "subdistrict-enterprise": "3",
        "subdistrict-district_session": "y",
    }
    assert client.post("/admin/quotas/level/subdistrict", data=data).status_code == 302
    bad = client.post(
        "/admin/quotas/level/subdistrict",
        data={"subdistrict-worker": "40", "subdistrict-enterprise": "x"},
    )
    assert bad.status_code == 422 and "场数应为 0–31 的整数" in bad.get_data(as_text=True)
    override = {
        "override-organisation_id": str(world.town_id),
        "override-worker": "6",
        "override-enterprise": "0",
    }
    assert client.post("/admin/quotas/override", data=override).status_code == 302
    html = client.get(f"/admin/cadence?month={NEXT}").get_data(as_text=True)
    assert "0/6" in html and "0/5" in html  # the override, and the level for 西红门镇
    assert client.post(f"/admin/quotas/override/{world.town_id}/delete").status_code == 302
    assert client.post(f"/admin/quotas/override/{world.town_id}/delete").status_code == 404
    assert client.post("/admin/quotas/level/city").status_code == 404
    with app.app_context():
        assert [(q.level, q.worker_required) for q in db.session.scalars(sa.select(Quota))] == [
            ("subdistrict", 5)
        ]
    actions = [e.action for e in audit_events(app) if e.action.startswith("quota")]
    assert actions == ["quota_level", "quota_override", "quota_override_delete"]


def test_calendar_feed_shown_once_and_revoked(app: Flask, staff_client: FlaskClient, world: World):
    response = staff_client.post(
        "/admin/feeds", data={"organisation_id": str(world.town_id), "label": "张主任的手机"}
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    url = re.search(r'id="new-feed-url">([^<]+)<', response.get_data(as_text=True)).group(1)
    path = url.split("localhost", 1)[1]
    assert staff_client.get(path).status_code == 200
    assert url not in staff_client.get("/admin/feeds").get_data(as_text=True)  # shown once
    with app.app_context():
        feed_id = db.session.scalar(sa.select(CalendarFeed.id))
    assert staff_client.post(f"/admin/feeds/{feed_id}/revoke").status_code == 302
    assert staff_client.get(path).status_code == 404
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action.like("calendar_feed%"))
        ).all()
    assert actions == ["calendar_feed_create", "calendar_feed_revoke"]


def test_feeds_are_scoped(app: Flask, client: FlaskClient, auth, world: World):
    auth.login("outsider")
    response = client.post(
        "/admin/feeds", data={"organisation_id": str(world.town_id), "label": "x"}
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CalendarFeed.id))) == 0


def test_cancel_a_session(app: Flask, staff_client: FlaskClient, world: World):
    url = f"/admin/sessions/{world.session_id}"
    assert "取消这场沟通会" in staff_client.get(url).get_data(as_text=True)
    empty = staff_client.post(f"{url}/cancel", data={"reason": " "}, follow_redirects=True)
    assert "请填写取消原因" in empty.get_data(as_text=True)
    done = staff_client.post(f"{url}/cancel", data={"reason": "暴雨"}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "沟通会已取消" in html and "暴雨" in html and 'class="badge ss-cancelled"' in html
    reopened = staff_client.post(f"{url}/open", follow_redirects=True)
    assert "这场沟通会已经取消，不能开始登记" in reopened.get_data(as_text=True)
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        assert (session.status, session.cancel_reason) == ("cancelled", "暴雨")
    # A cancelled session is not on the public schedule.
    assert "瀛海镇职工沟通会" not in staff_client.get("/calendar/sessions.ics").get_data(
        as_text=True
    )


def test_joined_by_hand_sets_the_join_date(app: Flask, staff_client: FlaskClient, world: World):
    from kiosk.cadence.months import local_date
    from kiosk.models import FollowUp, utcnow
    from tests.admin.conftest import add_signup

    signup = add_signup(app, world.session_id)
    staff_client.post(f"/admin/people/{signup}/follow-up", data={"status": "joined", "note": ""})
    with app.app_context():
        row = db.session.scalar(sa.select(FollowUp))
        assert row.joined_on == local_date(utcnow())
    staff_client.post(f"/admin/people/{signup}/follow-up", data={"status": "contacted", "note": ""})
    with app.app_context():
        assert db.session.scalar(sa.select(FollowUp)).joined_on is None
