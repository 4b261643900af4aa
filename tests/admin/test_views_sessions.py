"""Sessions: create, edit, copy, open, close; the session page, its stats, QR and tablets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import tablets
from kiosk.extensions import db
from kiosk.models import OutreachSession, TabletBinding
from tests.admin.conftest import add_signup, audit_events
from tests.conftest import World


def _form(world: World, **overrides: object) -> dict:
    data = {
        "kind": "worker",
        "organisation_id": str(world.town_id),
        "site_id": str(world.site_id),
        "title": "",
        "starts_at": "2026-11-26T11:00",
        "ends_at": "2026-11-26T13:00",
        "notes": "带宣传折页",
    }
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def _session(app: Flask, session_id: int) -> OutreachSession:
    with app.app_context():
        session = db.session.get(OutreachSession, session_id)
        db.session.expunge(session)
        return session


def test_create_session_stores_beijing_time_as_utc(
    app: Flask, staff_client: FlaskClient, world: World
):
    response = staff_client.post("/admin/sessions/new", data=_form(world))
    assert response.status_code == 302
    session_id = int(response.headers["Location"].rsplit("/", 1)[1])
    session = _session(app, session_id)
    assert session.title == "瀛海镇总工会职工沟通会"
    assert session.starts_at == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert session.ends_at == datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
    assert session.status == "planned"
    assert session.notes == "带宣传折页"
    assert audit_events(app, "session_create")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": "2026-11-26T10:00"}, "结束时间必须晚于开始时间"),
        ({"starts_at": ""}, "请填写开始时间"),
        ({"kind": "party"}, "不是有效的选择"),
        ({"title": "长" * 101}, "标题不能超过 100 个字"),
        ({"starts_at": "11/26/2026 11:00 AM"}, "请按“2026-12-10 14:00”的格式填写（24 小时制）"),
        ({"starts_at": "2026-11-31 11:00"}, "请按“2026-12-10 14:00”的格式填写（24 小时制）"),
        ({"starts_at": "2026-11-26 25:00"}, "请按“2026-12-10 14:00”的格式填写（24 小时制）"),
        ({"public_note": "长" * 201}, "不能超过 200 个字"),
    ],
)
def test_create_session_validation(
    staff_client: FlaskClient, world: World, overrides: dict, message: str
):
    response = staff_client.post("/admin/sessions/new", data=_form(world, **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed",
    [
        "2026-11-26 11:00",
        "2026-11-26T11:00",
        "2026/11/26 11:00",
        "２０２６－１１－２６　１１：００",  # a Chinese keyboard's full-width digits
    ],
)
def test_dates_and_times_are_typed_in_24_hour_form(
    app: Flask, staff_client: FlaskClient, world: World, typed: str
):
    response = staff_client.post(
        "/admin/sessions/new", data=_form(world, starts_at=typed, public_note="宣传折页和口袋书")
    )
    assert response.status_code == 302
    session = _session(app, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert session.starts_at == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
    assert session.public_note == "宣传折页和口袋书"


def test_the_form_shows_24_hour_inputs_whatever_the_browsers_locale(
    staff_client: FlaskClient, world: World
):
    html = staff_client.get("/admin/sessions/new").get_data(as_text=True)
    assert 'type="datetime-local"' not in html
    assert 'placeholder="2026-12-10 14:00"' in html
    assert "24 小时制，北京时间，例如 2026-12-10 14:00" in html


@pytest.mark.parametrize("field", ["organisation_id", "site_id"])
def test_cannot_create_a_session_for_another_union(
    app: Flask, client: FlaskClient, auth, world: World, field: str
):
    auth.login("outsider")
    data = _form(world, organisation_id=world.other_town_id, site_id=0)
    data[field] = str(world.town_id if field == "organisation_id" else world.site_id)
    assert client.post("/admin/sessions/new", data=data).status_code == 422


def test_edit_session(app: Flask, staff_client: FlaskClient, world: World):
    page = staff_client.get(f"/admin/sessions/{world.session_id}/edit").get_data(as_text=True)
    assert 'value="瀛海镇职工沟通会"' in page
    response = staff_client.post(
        f"/admin/sessions/{world.session_id}/edit",
        data=_form(world, title="瀛海镇首航超市沟通会", kind="enterprise"),
    )
    assert response.status_code == 302
    session = _session(app, world.session_id)
    assert (session.title, session.kind) == ("瀛海镇首航超市沟通会", "enterprise")


def test_public_note_is_kept_copied_and_shown(app: Flask, staff_client: FlaskClient, world: World):
    note = "北京银行工作人员到场办卡"
    response = staff_client.post(
        f"/admin/sessions/{world.session_id}/edit", data=_form(world, public_note=f" {note} ")
    )
    assert response.status_code == 302
    assert _session(app, world.session_id).public_note == note
    assert f"公开说明：{note}" in staff_client.get(f"/admin/sessions/{world.session_id}").text
    copied = staff_client.get(f"/admin/sessions/new?copy={world.session_id}").text
    assert f'value="{note}"' in copied
    staff_client.post(f"/admin/sessions/{world.session_id}/edit", data=_form(world))
    assert _session(app, world.session_id).public_note is None


def test_copy_prefills_a_week_later(app: Flask, staff_client: FlaskClient, world: World):
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.starts_at = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
        session.ends_at = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)
        db.session.commit()
    html = staff_client.get(f"/admin/sessions/new?copy={world.session_id}").get_data(as_text=True)
    assert 'value="2026-12-03 11:00"' in html
    assert 'value="2026-12-03 13:00"' in html
    with app.app_context():  # copying is only a prefilled form: nothing stored yet
        assert db.session.scalar(sa.select(sa.func.count(OutreachSession.id))) == 2


def test_close_and_reopen(app: Flask, staff_client: FlaskClient, world: World):
    staff_client.post(f"/admin/sessions/{world.session_id}/close")
    session = _session(app, world.session_id)
    assert session.status == "closed"
    assert session.closed_at is not None
    staff_client.post(f"/admin/sessions/{world.session_id}/open")
    session = _session(app, world.session_id)
    assert (session.status, session.closed_at) == ("open", None)
    assert [e.action for e in audit_events(app) if e.action.startswith("session_")] == [
        "session_close",
        "session_open",
    ]


def test_session_page(app: Flask, staff_client: FlaskClient, world: World):
    add_signup(app, world.session_id, phone="13800138000")
    add_signup(app, world.session_id, phone="13800138000")
    add_signup(app, world.session_id, phone="13900139000", name="李四")
    html = staff_client.get(f"/admin/sessions/{world.session_id}").get_data(as_text=True)
    assert f'href="/kiosk/setup?code={world.session_code}"' in html
    assert "在这台设备上开始沟通会" in html
    assert f"http://kiosk.test/s/{world.session_code}" in html
    assert "138****8000" in html and "13800138000" not in html
    assert "2 次" in html  # one person, two sign-ups


def test_session_list_is_scoped(client: FlaskClient, auth, world: World):
    auth.login("staff")
    html = client.get("/admin/sessions").get_data(as_text=True)
    assert "瀛海镇职工沟通会" in html
    assert "西红门镇职工沟通会" not in html


def test_stats_json(app: Flask, staff_client: FlaskClient, world: World):
    add_signup(app, world.session_id, phone="13800138000")
    add_signup(app, world.session_id, phone="13800138000")
    response = staff_client.get(f"/admin/sessions/{world.session_id}/stats.json")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json == {
        "signups": 2,
        "people": 1,
        "status": "open",
        "statuses": {"pending": 1, "contacted": 0, "joined": 0, "unreachable": 0, "declined": 0},
    }


def test_qr_code_is_the_sessions_phone_link(staff_client: FlaskClient, world: World):
    from kiosk import qr

    response = staff_client.get(f"/admin/sessions/{world.session_id}/qr.svg")
    assert response.mimetype == "image/svg+xml"
    # Decoded for real from a screenshot in the browser test.
    assert response.data == qr.svg(f"http://kiosk.test/s/{world.session_code}")


def test_revoke_tablet(app: Flask, staff_client: FlaskClient, world: World):
    with app.test_request_context():
        from kiosk.models import StaffUser

        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        session = db.session.get(OutreachSession, world.session_id)
        binding_id = tablets.bind(session, staff, "一号平板").id
    html = staff_client.get(f"/admin/sessions/{world.session_id}").get_data(as_text=True)
    assert "一号平板" in html
    response = staff_client.post(f"/admin/sessions/{world.session_id}/tablets/{binding_id}/revoke")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(TabletBinding, binding_id).revoked_at is not None
    [event] = audit_events(app, "tablet_revoke")
    assert event.detail["tablet"] == str(binding_id)
