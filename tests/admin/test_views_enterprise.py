"""企业沟通会: attending companies and who came, the minutes, needs landing in each file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import CompanyContact, Need, OutreachSession, SessionMinutes
from tests.admin.conftest import audit_events
from tests.companies.codes import DIDI_FLEET, SF_DEPOT
from tests.companies.conftest import add_company
from tests.conftest import World

STARTS = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 09:00 Beijing, 26 November


@pytest.fixture
def meeting(app: Flask, world: World) -> int:
    """瀛海镇's 企业沟通会."""
    with app.app_context():
        session = OutreachSession(
            title="瀛海镇总工会企业沟通会",
            kind="enterprise",
            organisation_id=world.town_id,
            starts_at=STARTS,
            ends_at=STARTS + timedelta(hours=2),
            status="planned",
        )
        db.session.add(session)
        db.session.commit()
        return session.id


@pytest.fixture
def companies(app: Flask, world: World) -> dict[str, int]:
    return {
        "station": add_company(app, world.town_id),
        "depot": add_company(app, world.town_id, name="顺丰瀛海营业部", credit_code=SF_DEPOT),
        "theirs": add_company(
            app, world.other_town_id, name="滴滴西红门车队", credit_code=DIDI_FLEET
        ),
    }


def _attend(client: FlaskClient, meeting: int, company_id: int, attendees: str = "王站长"):
    return client.post(
        f"/admin/sessions/{meeting}/companies",
        data={"company_id": str(company_id), "attendees": attendees},
    )


def test_hold_an_enterprise_session(
    app: Flask, staff_client: FlaskClient, meeting: int, companies: dict[str, int]
):
    page = staff_client.get(f"/admin/sessions/{meeting}").get_data(as_text=True)
    assert "参会企业（0 家）" in page
    assert "顺丰瀛海营业部" in page and "滴滴西红门车队" not in page  # the choices
    assert _attend(staff_client, meeting, companies["station"], "王站长、李主管").status_code == 302
    assert _attend(staff_client, meeting, companies["depot"], "刘经理").status_code == 302
    staff_client.post(
        f"/admin/sessions/{meeting}/minutes", data={"text": "介绍建会流程。\n各站反映休息点不足。"}
    )
    response = staff_client.post(
        f"/admin/sessions/{meeting}/needs",
        data={
            "need-company_id": str(companies["depot"]),
            "need-titles": "骑手休息点\n工伤保障",
            "need-owner": "李干事",
            "need-due_on": "2026-12-20",
        },
    )
    assert response.headers["Location"] == f"/admin/sessions/{meeting}#enterprise"

    page = staff_client.get(f"/admin/sessions/{meeting}").get_data(as_text=True)
    assert "参会企业（2 家）" in page
    assert "王站长、李主管" in page and "刘经理" in page
    assert "各站反映休息点不足" in page
    with app.app_context():
        contacts = db.session.scalars(
            sa.select(CompanyContact).order_by(CompanyContact.company_id)
        ).all()
        assert [(c.company_id, c.kind, c.happened_on.isoformat()) for c in contacts] == [
            (companies["station"], "session", "2026-11-26"),
            (companies["depot"], "session", "2026-11-26"),
        ]
        needs = db.session.scalars(sa.select(Need).order_by(Need.id)).all()
        assert [(n.company_id, n.title, n.owner, n.contact_id) for n in needs] == [
            (companies["depot"], "骑手休息点", "李干事", contacts[1].id),
            (companies["depot"], "工伤保障", "李干事", contacts[1].id),
        ]
    # The needs and the minutes are in the right company's file.
    depot = staff_client.get(f"/admin/companies/{companies['depot']}").get_data(as_text=True)
    assert "瀛海镇总工会企业沟通会" in depot and "骑手休息点" in depot
    assert "各站反映休息点不足" in depot and "企业参会：刘经理" in depot
    station = staff_client.get(f"/admin/companies/{companies['station']}").get_data(as_text=True)
    assert "骑手休息点</a>" not in station
    assert [e.action for e in audit_events(app) if e.action.startswith("session_")] == [
        "session_attendance",
        "session_attendance",
        "session_minutes",
        "session_needs",
    ]


def test_refusals_are_flashed(
    app: Flask, staff_client: FlaskClient, meeting: int, companies: dict[str, int]
):
    # Another union's company, or one already there, cannot be added.
    _attend(staff_client, meeting, companies["theirs"])
    _attend(staff_client, meeting, companies["station"])
    _attend(staff_client, meeting, companies["station"])
    page = staff_client.get(f"/admin/sessions/{meeting}").get_data(as_text=True)
    assert "请选择参会企业" in page
    # A need for a company that did not attend, or without a title.
    staff_client.post(
        f"/admin/sessions/{meeting}/needs",
        data={"need-company_id": str(companies["depot"]), "need-titles": "休息点"},
    )
    staff_client.post(
        f"/admin/sessions/{meeting}/needs",
        data={
            "need-company_id": str(companies["station"]),
            "need-titles": " ",
            "need-due_on": "下周",
        },
    )
    page = staff_client.get(f"/admin/sessions/{meeting}").get_data(as_text=True)
    assert "请选择一家参会企业" in page
    assert "请填写诉求；办结期限格式不对，例如 2026-11-21" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CompanyContact.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(Need.id))) == 0


def test_long_minutes_are_kept(app: Flask, staff_client: FlaskClient, meeting: int):
    """Longer than the app-wide 16 KB request limit once URL-encoded."""
    text = "各企业发言：" + "站点负责人介绍骑手情况。" * 400
    response = staff_client.post(f"/admin/sessions/{meeting}/minutes", data={"text": text})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(SessionMinutes, meeting).text == text
    too_long = staff_client.post(f"/admin/sessions/{meeting}/minutes", data={"text": "纪" * 10001})
    assert too_long.status_code == 302
    assert "会议纪要不能超过10000个字" in staff_client.get(f"/admin/sessions/{meeting}").get_data(
        as_text=True
    )


def test_removing_an_attendance_keeps_the_needs(
    app: Flask, staff_client: FlaskClient, meeting: int, companies: dict[str, int]
):
    _attend(staff_client, meeting, companies["station"])
    staff_client.post(
        f"/admin/sessions/{meeting}/needs",
        data={"need-company_id": str(companies["station"]), "need-titles": "建会流程咨询"},
    )
    url = f"/admin/sessions/{meeting}/companies/{companies['station']}/remove"
    assert staff_client.post(url).status_code == 302
    assert staff_client.post(url).status_code == 404  # already removed
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CompanyContact.id))) == 0
        [need] = db.session.scalars(sa.select(Need)).all()
        assert (need.title, need.contact_id) == ("建会流程咨询", None)


def test_only_an_enterprise_session_has_companies(
    app: Flask, staff_client: FlaskClient, world: World, companies: dict[str, int]
):
    """A 职工沟通会 shows no company panel and refuses company posts."""
    page = staff_client.get(f"/admin/sessions/{world.session_id}").get_data(as_text=True)
    assert "参会企业" not in page
    for path in ("companies", "minutes", "needs", f"companies/{companies['station']}/remove"):
        response = staff_client.post(f"/admin/sessions/{world.session_id}/{path}", data={})
        assert response.status_code == 404, path
