"""The city's relay endpoints: a credential reads its subtree's sessions and creates sign-ups."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from kiosk.models import AuditEvent, OutreachSession, RelayCredential, Signup, utcnow
from kiosk.relay import credentials
from tests.conftest import World, signup_payload
from tests.relay.conftest import issue_token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def relayed(session_code: str, **overrides: object) -> dict:
    item = signup_payload(session_code, source="kiosk", tablet=str(uuid.uuid4()))
    item.update(received_at=utcnow().isoformat(), consented_at="2026-11-21T02:00:00+00:00")
    item.update(overrides)
    return item


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer relay_not-a-real-token"},
        {"Authorization": "Basic cmVsYXk6eA=="},
        {"Authorization": "Bearer " + "relay_" + "x" * 200},
    ],
)
def test_without_a_live_credential_everything_is_401(
    client: FlaskClient, world: World, headers: dict
) -> None:
    for method, path in (("get", "/api/relay/sessions"), ("post", "/api/relay/signups")):
        response = getattr(client, method)(path, headers=headers, json={"signups": []})
        assert response.status_code == 401
        assert response.get_json() == {"error": "invalid_credential"}


def test_a_revoked_credential_is_401(app: Flask, client: FlaskClient, world: World) -> None:
    token = issue_token(app, world.town_id)
    with app.app_context():
        credentials.revoke(db.session.scalar(sa.select(RelayCredential)))
    assert client.get("/api/relay/sessions", headers=bearer(token)).status_code == 401


def test_the_token_is_stored_only_as_its_hash(app: Flask, world: World) -> None:
    token = issue_token(app, world.town_id)
    with app.app_context():
        stored = db.session.scalar(sa.select(RelayCredential))
        assert stored.token_hash == credentials.token_hash(token) and token not in str(
            stored.__dict__
        )


def test_the_session_list_is_the_subtree_upcoming_open_and_recently_closed(
    app: Flask, client: FlaskClient, world: World
) -> None:
    token = issue_token(app, world.town_id)
    now = utcnow()
    with app.app_context():
        for title, status, closed in (
            ("昨天结束的", "closed", now - timedelta(days=1)),
            ("上个月结束的", "closed", now - timedelta(days=30)),
            ("下周的", "planned", None),
        ):
            db.session.add(
                OutreachSession(
                    title=title,
                    kind="worker",
                    organisation_id=world.town_id,
                    starts_at=now - timedelta(days=40),
                    ends_at=now - timedelta(days=39),
                    status=status,
                    closed_at=closed,
                )
            )
        db.session.commit()
    body = client.get("/api/relay/sessions", headers=bearer(token)).get_json()
    titles = sorted(s["title"] for s in body["sessions"])
    assert titles == sorted(["瀛海镇职工沟通会", "昨天结束的", "下周的"])  # not 西红门镇's
    assert body["organisation"] == "瀛海镇总工会"
    assert body["organisations"] == [
        {"name": "瀛海镇总工会", "level": "subdistrict", "parent": None}
    ]


def test_a_district_credential_sees_its_towns(app: Flask, client: FlaskClient, world: World):
    token = issue_token(app, world.district_id)
    body = client.get("/api/relay/sessions", headers=bearer(token)).get_json()
    assert {s["code"] for s in body["sessions"]} == {world.session_code, world.other_session_code}
    assert [o["name"] for o in body["organisations"]][0] == "大兴区总工会"


def test_sign_ups_are_stored_once_with_the_same_answers_as_the_tablet_api(
    app: Flask, client: FlaskClient, world: World
) -> None:
    token = issue_token(app, world.town_id)
    first = relayed(world.session_code)
    reused = relayed(world.session_code, id=first["id"], name="李四")
    invalid = relayed(world.session_code, phone="12")
    elsewhere = relayed(world.other_session_code)
    body = {"signups": [first, first, reused, invalid, elsewhere]}
    response = client.post("/api/relay/signups", headers=bearer(token), json=body)
    assert response.status_code == 200
    statuses = [r["status"] for r in response.get_json()["results"]]
    # The same id twice in one push: stored once, both acknowledged as that one row.
    assert statuses == [201, 201, 409, 422, 404]
    again = client.post("/api/relay/signups", headers=bearer(token), json={"signups": [first]})
    assert again.get_json()["results"][0]["status"] == 200
    with app.app_context():
        stored = db.session.scalars(sa.select(Signup)).all()
        assert [str(s.id) for s in stored] == [first["id"]]
        assert str(stored[0].tablet_id) == first["tablet"]
        assert stored[0].consented_at.isoformat() == "2026-11-21T02:00:00+00:00"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "relay_push"))
        assert event.detail["answers"] == {"201": 2, "409": 1, "422": 1, "404": 1}


def test_there_is_no_way_to_read_sign_ups_back(app: Flask, client: FlaskClient, world: World):
    token = issue_token(app, world.town_id)
    assert client.get("/api/relay/signups", headers=bearer(token)).status_code == 405
    # The token is not a staff login.
    response = client.get("/admin/signups", headers=bearer(token))
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_sessions_made_offline_are_created_once_in_the_subtree_only(
    app: Flask, client: FlaskClient, world: World
) -> None:
    token = issue_token(app, world.town_id)
    made = {
        "code": "local2345ab",
        "title": "笔记本上加开的沟通会",
        "kind": "worker",
        "status": "open",
        "organisation": "西红门镇总工会",  # not in this credential's subtree: its own org
        "starts_at": "2026-12-02T09:00:00+00:00",
        "ends_at": "2026-12-02T11:00:00+00:00",
    }
    other = {"code": world.other_session_code, "status": "open"}
    answer = client.post(
        "/api/relay/sessions", headers=bearer(token), json={"sessions": [made, made, other]}
    ).get_json()
    assert [r["status"] for r in answer["results"]] == [201, 200, 404]
    with app.app_context():
        created = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == "local2345ab")
        )
        assert created.organisation_id == world.town_id


@pytest.mark.parametrize(
    "body",
    [None, [], {"signups": "x"}, {"signups": [1] * 1001}, {"other": []}],
)
def test_malformed_pushes_are_400(app: Flask, client: FlaskClient, world: World, body) -> None:
    token = issue_token(app, world.town_id)
    response = client.post("/api/relay/signups", headers=bearer(token), json=body)
    assert response.status_code == 400


def test_a_push_item_that_is_not_an_object_is_422(app: Flask, client: FlaskClient, world: World):
    token = issue_token(app, world.town_id)
    body = {"signups": [1, "x", relayed(world.session_code, source="fax")]}
    response = client.post("/api/relay/signups", headers=bearer(token), json=body)
    assert [r["status"] for r in response.get_json()["results"]] == [422, 422, 422]
