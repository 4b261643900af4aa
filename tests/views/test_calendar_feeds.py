"""iCalendar feeds, parsed back with the icalendar package."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from kiosk.cadence import feeds
from kiosk.extensions import db
from kiosk.models import CalendarFeed, OutreachSession, StaffUser, utcnow
from tests.cadence.conftest import add_session
from tests.conftest import World


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


CANCELLED = {"status": "cancelled", "reason": "暴雨"}


def _soon(days: int) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(microsecond=0)


def test_public_feed_has_upcoming_sessions_and_public_fields_only(
    app: Flask, client: FlaskClient, world: World
) -> None:
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.notes = "内部备注：带互助卡申请表"
        db.session.commit()
    add_session(app, world.town_id, "enterprise", _soon(3), title="企业专场")
    add_session(app, world.town_id, "worker", _soon(4), title="取消的场次", **CANCELLED)
    add_session(app, world.town_id, "worker", _soon(-10), title="早已结束", status="closed")
    response = client.get("/calendar/sessions.ics")
    events = _events(response)
    assert set(events) == {"瀛海镇职工沟通会", "西红门镇职工沟通会", "企业专场"}
    event = events["瀛海镇职工沟通会"]
    assert event["location"] == "首航超市"
    assert event.decoded("dtstart").tzinfo is not None
    assert event.decoded("dtstart") == db_start(app, world.session_id).replace(microsecond=0)
    body = response.get_data(as_text=True)
    assert "内部备注" not in body and world.session_code not in body
    assert "public" in response.headers["Cache-Control"]


def db_start(app: Flask, session_id: int) -> datetime:
    with app.app_context():
        return db.session.get(OutreachSession, session_id).starts_at


def _feed(app: Flask, org_id: int) -> str:
    with app.app_context():
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        _feed_row, token = feeds.create(org_id, "手机日历", staff)
        db.session.commit()
        return token


def test_private_feed_has_the_unions_sessions_with_notes_and_cancellations(
    app: Flask, client: FlaskClient, world: World
) -> None:
    add_session(app, world.town_id, "worker", _soon(4), title="取消的场次", **CANCELLED)
    token = _feed(app, world.town_id)
    response = client.get(f"/calendar/{token}.ics")
    events = _events(response)
    assert set(events) == {"瀛海镇职工沟通会", "取消的场次"}  # not 西红门镇's
    cancelled = events["取消的场次"]
    assert str(cancelled["status"]) == "CANCELLED"
    assert "取消原因：暴雨" in str(cancelled["description"])
    assert f"编号：{world.session_code}" in str(events["瀛海镇职工沟通会"]["description"])
    assert response.headers["Cache-Control"] == "private, no-store"


def test_district_feed_covers_the_towns_below(app: Flask, client: FlaskClient, world: World):
    token = _feed(app, world.district_id)
    assert set(_events(client.get(f"/calendar/{token}.ics"))) == {
        "瀛海镇职工沟通会",
        "西红门镇职工沟通会",
    }


def test_token_is_stored_hashed_and_revocable(app: Flask, client: FlaskClient, world: World):
    token = _feed(app, world.town_id)
    with app.app_context():
        row = db.session.scalar(sa.select(CalendarFeed))
        assert row.token_hash == feeds.digest(token) and token not in row.token_hash
        feeds.revoke(row)
        db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 200}.ics").status_code == 404


def test_dtstamp_is_utc(app: Flask, client: FlaskClient, world: World) -> None:
    event = next(iter(_events(client.get("/calendar/sessions.ics")).values()))
    assert event.decoded("dtstamp").tzinfo is not None
    assert event.decoded("dtend") > event.decoded("dtstart") > datetime(2020, 1, 1, tzinfo=UTC)
