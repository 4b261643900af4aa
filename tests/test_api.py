"""The sign-up API contract (POST /api/signups), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk import tablets
from kiosk.extensions import db
from kiosk.models import OutreachSession, Signup, TabletBinding, utcnow
from kiosk.templating import BEIJING
from tests.conftest import World, bind_tablet, signup_payload

URL = "/api/signups"
RECEIPT_KEYS = {"id", "session", "received_at"}


def post(client: FlaskClient, payload: dict) -> TestResponse:
    return client.post(URL, json=payload)


def stored(app: Flask, signup_id: str) -> Signup | None:
    with app.app_context():
        row = db.session.get(Signup, uuid.UUID(signup_id))
        if row is not None:
            db.session.expunge(row)  # usable after the context closes
        return row


def signup_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Signup)) or 0


def set_session(app: Flask, code: str, status: str, closed_at: datetime | None = None) -> None:
    """Set the session's state; a closing in the past moves its tablets' binding before it.

    A tablet is bound to an open session before it collects anything, so for the
    story to hold, a session closed hours ago had its tablets bound before that.
    """
    with app.app_context():
        session = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
        assert session is not None
        session.status = status
        session.closed_at = closed_at
        if closed_at is not None:
            db.session.execute(
                sa.update(TabletBinding)
                .where(TabletBinding.session_id == session.id)
                .values(bound_at=closed_at - timedelta(hours=4))
            )
        db.session.commit()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def assert_api_headers(response: TestResponse) -> None:
    """Every API answer: JSON, never cached, never a cookie."""
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers


# --- 201: stored --------------------------------------------------------------------------


def test_created_stores_the_row(app: Flask, tablet: FlaskClient, world: World) -> None:
    client_time = (utcnow() - timedelta(minutes=10)).replace(microsecond=0)
    payload = signup_payload(
        world.session_code,
        phone="+86 138-0013-8000",
        client_time=client_time.astimezone(BEIJING).isoformat(),
        consent_version="2026-11-21",
    )
    response = post(tablet, payload)

    assert response.status_code == 201
    assert_api_headers(response)
    body = response.get_json()
    assert set(body) == RECEIPT_KEYS  # the receipt only: no name, no phone
    assert body["id"] == payload["id"]
    assert body["session"] == world.session_code

    row = stored(app, payload["id"])
    assert row is not None
    assert row.session_id == world.session_id
    assert row.name == "张三"
    assert row.phone == "13800138000"
    assert row.source == "kiosk"
    assert row.occupation == "courier"
    assert row.interests == ["health_check", "legal"]
    assert row.consent_version == "2026-11-21"
    assert row.client_time == client_time
    assert row.consented_at == client_time  # the moment the person ticked the box
    assert row.created_at == datetime.fromisoformat(body["received_at"])
    with app.app_context():
        binding = db.session.scalar(sa.select(TabletBinding))
        assert binding is not None
        assert row.tablet_id == binding.id


def test_fullwidth_phone_is_normalised(app: Flask, tablet: FlaskClient, world: World) -> None:
    payload = signup_payload(world.session_code, phone="１３８ ００１３ ８０００")
    assert post(tablet, payload).status_code == 201
    row = stored(app, payload["id"])
    assert row is not None and row.phone == "13800138000"


def test_client_time_in_the_future_is_not_the_consent_time(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    """A tablet clock far ahead must not date the consent in the future."""
    future = utcnow() + timedelta(days=2)
    payload = signup_payload(world.session_code, client_time=iso(future))
    assert post(tablet, payload).status_code == 201
    row = stored(app, payload["id"])
    assert row is not None
    assert row.client_time == future.replace(microsecond=row.client_time.microsecond)
    assert row.consented_at <= utcnow()


def test_client_time_long_ago_is_not_the_consent_time(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    """The server's clock is the truth: a tablet saying 2020 is kept only as information."""
    payload = signup_payload(world.session_code, client_time="2020-01-01T00:00:00+00:00")
    response = post(tablet, payload)
    assert response.status_code == 201
    row = stored(app, payload["id"])
    assert row is not None
    assert row.client_time == datetime(2020, 1, 1, tzinfo=UTC)
    assert row.consented_at == row.created_at


@pytest.mark.parametrize(
    "client_time",
    [
        "2020-01-01T00:00:00+00:00",  # the probe's backdated sign-up
        "before_binding",  # before this tablet was bound to the session
    ],
)
def test_backdated_signup_for_a_closed_session_is_refused(
    app: Flask, tablet: FlaskClient, world: World, client_time: str
) -> None:
    """A tablet still bound to a closed session cannot pass off new sign-ups as queued ones."""
    closed_at = utcnow() - timedelta(hours=1)
    set_session(app, world.session_code, "closed", closed_at=closed_at)
    if client_time == "before_binding":  # bound 4 hours before closing: 5 hours ago
        client_time = iso(closed_at - timedelta(hours=5))

    response = post(tablet, signup_payload(world.session_code, client_time=client_time))

    assert response.status_code == 403
    assert response.get_json() == {"error": "session_closed"}
    assert signup_count(app) == 0


# --- replays ------------------------------------------------------------------------------


def test_replay_returns_the_identical_receipt(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    payload = signup_payload(world.session_code)
    first = post(tablet, payload)
    again = post(tablet, payload)

    assert first.status_code == 201
    assert again.status_code == 200
    assert_api_headers(again)
    assert again.get_json() == first.get_json()
    assert signup_count(app) == 1


def test_replay_with_the_same_number_written_differently_is_a_replay(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    payload = signup_payload(world.session_code, phone="13800138000")
    assert post(tablet, payload).status_code == 201
    assert post(tablet, {**payload, "phone": "138 0013 8000"}).status_code == 200
    assert signup_count(app) == 1


def test_same_id_with_different_content_is_a_conflict(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    payload = signup_payload(world.session_code)
    assert post(tablet, payload).status_code == 201
    response = post(tablet, {**payload, "name": "李四"})

    assert response.status_code == 409
    assert_api_headers(response)
    assert response.get_json() == {"error": "id_reused", "id": payload["id"]}
    row = stored(app, payload["id"])
    assert row is not None and row.name == "张三"  # the first sign-up is untouched
    assert signup_count(app) == 1


# --- 422: field errors --------------------------------------------------------------------

INVALID_CASES = [
    ({"phone": ""}, "phone", "请填写手机号"),
    ({"phone": None}, "phone", "请填写手机号"),
    ({"phone": 13800138000}, "phone", "请填写手机号"),
    ({"phone": "1380013800a"}, "phone", "手机号只能包含数字"),
    ({"phone": "12345"}, "phone", "手机号应为11位数字，现在是5位"),
    ({"phone": "138001380001"}, "phone", "手机号应为11位数字，现在是12位"),
    ({"phone": "12800138000"}, "phone", "这不是大陆手机号，手机号以13至19开头"),
    ({"phone": "010-6512-3456"}, "phone", "这不是大陆手机号，手机号以13至19开头"),
    ({"name": ""}, "name", "请填写姓名"),
    ({"name": " · "}, "name", "请填写姓名"),
    ({"name": None}, "name", "请填写姓名"),
    ({"name": "张三3"}, "name", "姓名只能包含文字和间隔号 ·"),
    ({"name": "<b>张三</b>"}, "name", "姓名只能包含文字和间隔号 ·"),
    ({"name": "张" * 31}, "name", "姓名不能超过 30 个字"),
    ({"consent": False}, "consent", "请阅读并同意隐私说明后再提交"),
    ({"consent": None}, "consent", "请阅读并同意隐私说明后再提交"),
    ({"consent": "false"}, "consent", "请阅读并同意隐私说明后再提交"),
    ({"occupation": ""}, "occupation", "请选择职业"),
    ({"occupation": "astronaut"}, "occupation", "请从列表中选择职业"),
    ({"occupation": ["courier"]}, "occupation", "请从列表中选择职业"),
    ({"occupation": "other"}, "occupation_other", "选择“其他”时请写明职业"),
    (
        {"occupation": "other", "occupation_other": "  "},
        "occupation_other",
        "选择“其他”时请写明职业",
    ),
    ({"occupation_other": "x" * 41}, "occupation_other", "不能超过 40 个字"),
    ({"interests": ["karaoke"]}, "interests", "请从列表中选择"),
    ({"interests": [1]}, "interests", "格式不正确"),
    ({"interests": {"legal": True}}, "interests", "格式不正确"),
    ({"employer": "x" * 61}, "employer", "不能超过 60 个字"),
    ({"area": 5}, "area", "格式不正确"),
    ({"id": "not-a-uuid"}, "id", "缺少有效的登记编号"),
    ({"id": None}, "id", "缺少有效的登记编号"),
    ({"id": 12345}, "id", "缺少有效的登记编号"),
    ({"session": ""}, "session", "缺少沟通会编号"),
    ({"session": "x" * 17}, "session", "缺少沟通会编号"),
    ({"consent_version": "v 1!"}, "consent_version", "格式不正确"),
    ({"consent_version": "2026-11-21\n"}, "consent_version", "格式不正确"),  # "$" allowed it
    ({"client_time": "yesterday"}, "client_time", "时间格式不正确"),
    ({"client_time": 1763690400}, "client_time", "时间格式不正确"),
    ({"client_time": "2026-11-21T10:00:00"}, "client_time", "时间需要带时区"),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    INVALID_CASES,
    ids=[f"{field}-{i}" for i, (_, field, _m) in enumerate(INVALID_CASES)],
)
def test_invalid_field_is_422_with_its_message(
    app: Flask, tablet: FlaskClient, world: World, overrides: dict, field: str, message: str
) -> None:
    response = post(tablet, signup_payload(world.session_code, **overrides))

    assert response.status_code == 422
    assert_api_headers(response)
    assert response.get_json() == {"errors": {field: message}}
    assert signup_count(app) == 0


def test_missing_fields_are_all_reported(app: Flask, tablet: FlaskClient) -> None:
    response = post(tablet, {})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == {"id", "session", "name", "phone", "occupation", "consent"}
    assert all(isinstance(message, str) and message for message in errors.values())


# --- sessions: unknown, not open, closed and the sync grace --------------------------------


def test_unknown_session_is_404(app: Flask, tablet: FlaskClient) -> None:
    response = post(tablet, signup_payload("zzzzzzzzzz"))
    assert response.status_code == 404
    assert_api_headers(response)
    assert response.get_json() == {"error": "unknown_session"}


def test_planned_session_is_403(app: Flask, tablet: FlaskClient, world: World) -> None:
    set_session(app, world.session_code, "planned")
    response = post(tablet, signup_payload(world.session_code, client_time=iso(utcnow())))
    assert response.status_code == 403
    assert response.get_json() == {"error": "session_not_open"}
    assert signup_count(app) == 0


def test_closed_session_is_403_without_client_time(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    set_session(app, world.session_code, "closed", closed_at=utcnow() - timedelta(minutes=10))
    response = post(tablet, signup_payload(world.session_code, client_time=None))
    assert response.status_code == 403
    assert response.get_json() == {"error": "session_closed"}
    assert signup_count(app) == 0


def _grace_case(hours_since_close: float, minutes_collected_before_close: float) -> tuple:
    closed_at = utcnow() - timedelta(hours=hours_since_close)
    return closed_at, closed_at - timedelta(minutes=minutes_collected_before_close)


@pytest.mark.parametrize(
    ("hours_since_close", "collected_before_close", "status"),
    [
        (1, 10, 201),  # queued while offline, delivered an hour later: accepted
        (71, 10, 201),  # still inside the 72-hour grace
        (73, 10, 403),  # the grace is over
        (1, -30, 403),  # collected half an hour after closing: refused
        (1, -3, 201),  # within the 5-minute clock-skew allowance
    ],
)
def test_closed_session_grace_for_queued_kiosk_signups(
    app: Flask,
    tablet: FlaskClient,
    world: World,
    hours_since_close: float,
    collected_before_close: float,
    status: int,
) -> None:
    assert app.config["SYNC_GRACE_HOURS"] == 72
    closed_at, client_time = _grace_case(hours_since_close, collected_before_close)
    set_session(app, world.session_code, "closed", closed_at=closed_at)

    response = post(tablet, signup_payload(world.session_code, client_time=iso(client_time)))

    assert response.status_code == status
    if status == 403:
        assert response.get_json() == {"error": "session_closed"}
    assert signup_count(app) == (1 if status == 201 else 0)


def test_grace_follows_the_setting(app: Flask, tablet: FlaskClient, world: World) -> None:
    app.config["SYNC_GRACE_HOURS"] = 1
    closed_at, client_time = _grace_case(2, 10)
    set_session(app, world.session_code, "closed", closed_at=closed_at)
    response = post(tablet, signup_payload(world.session_code, client_time=iso(client_time)))
    assert response.status_code == 403


def test_replay_after_closing_still_gets_its_receipt(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    """A tablet that lost the first answer must not be told 403 for a stored sign-up."""
    payload = signup_payload(world.session_code, client_time=iso(utcnow()))
    first = post(tablet, payload)
    set_session(app, world.session_code, "closed", closed_at=utcnow() - timedelta(hours=100))
    again = post(tablet, payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()


# --- the tablet binding --------------------------------------------------------------------


def test_without_binding_cookie_is_403(app: Flask, client: FlaskClient, world: World) -> None:
    response = post(client, signup_payload(world.session_code))
    assert response.status_code == 403
    assert_api_headers(response)
    assert response.get_json() == {"error": "tablet_not_bound"}
    assert signup_count(app) == 0


def test_forged_binding_cookie_is_403(app: Flask, client: FlaskClient, world: World) -> None:
    client.set_cookie(tablets.COOKIE, str(uuid.uuid4()))
    response = post(client, signup_payload(world.session_code))
    assert response.get_json() == {"error": "tablet_not_bound"}


def test_revoked_binding_is_403(app: Flask, tablet: FlaskClient, world: World) -> None:
    with app.app_context():
        binding = db.session.scalar(sa.select(TabletBinding))
        assert binding is not None
        tablets.revoke(binding)
    response = post(tablet, signup_payload(world.session_code))
    assert response.status_code == 403
    assert response.get_json() == {"error": "tablet_not_bound"}
    assert signup_count(app) == 0


def test_tablet_bound_to_another_session_is_403(
    app: Flask, client: FlaskClient, world: World
) -> None:
    bind_tablet(app, client, world.other_session_code)
    response = post(client, signup_payload(world.session_code))
    assert response.status_code == 403
    assert response.get_json() == {"error": "tablet_bound_to_other_session"}
    assert signup_count(app) == 0


# --- the HTTP envelope ---------------------------------------------------------------------


def test_non_json_content_type_is_415(app: Flask, tablet: FlaskClient, world: World) -> None:
    body = json.dumps(signup_payload(world.session_code))
    response = tablet.post(URL, data=body, content_type="text/plain")
    assert response.status_code == 415
    assert_api_headers(response)
    assert response.get_json() == {"error": "expected_json"}
    form = tablet.post(URL, data={"name": "张三"})
    assert form.status_code == 415


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe{}"])
def test_malformed_json_is_400(app: Flask, tablet: FlaskClient, body: bytes) -> None:
    response = tablet.post(URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert_api_headers(response)
    assert response.get_json() == {"error": "malformed_json"}


def test_body_above_the_limit_is_413_json(app: Flask, tablet: FlaskClient, world: World) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 16 * 1024
    payload = signup_payload(world.session_code, employer="x" * (16 * 1024))
    response = post(tablet, payload)

    assert response.status_code == 413
    assert_api_headers(response)  # the blueprint's error handler answered, not an HTML page
    assert response.get_json() == {"error": "request_entity_too_large"}
    assert signup_count(app) == 0


def test_body_just_under_the_limit_is_read(app: Flask, tablet: FlaskClient, world: World) -> None:
    payload = signup_payload(world.session_code, padding="")
    size = len(json.dumps(payload).encode())
    payload["padding"] = "x" * (16 * 1024 - size)  # unknown keys are ignored
    response = tablet.post(URL, data=json.dumps(payload), content_type="application/json")
    assert response.status_code == 201


def test_other_methods_are_not_allowed(app: Flask, tablet: FlaskClient) -> None:
    assert tablet.get(URL).status_code == 405


def test_health_is_trivial_and_uncached(client: FlaskClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}
    assert_api_headers(response)
