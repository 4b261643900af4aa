"""The group-commit writer: its own connection, a dropped connection, a failing database."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import signup_writer, signups
from kiosk.admission import Submission, Verdict
from kiosk.extensions import db
from kiosk.models import Signup, utcnow
from kiosk.validation import validate_signup
from tests.conftest import World, fail_every_batch, signup_payload
from tests.views.test_public import form_data


def signup_ids(app: Flask) -> set[uuid.UUID]:
    with app.app_context():
        return set(db.session.scalars(sa.select(Signup.id)))


def writer(app: Flask) -> signup_writer.SignupWriter:
    with app.app_context():
        return signup_writer.writer()


def drop_writer_connection(app: Flask) -> None:
    """Cut the writer's connection from the database side, as a restart or a network drop would."""
    held = writer(app).store._connection
    assert held is not None, "the writer keeps its connection between batches"
    driver_connection = held.connection.driver_connection
    if app.config["DATABASE_URL"].startswith("postgresql"):
        pid = driver_connection.info.backend_pid
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    else:
        driver_connection.close()


def test_a_dropped_connection_is_replaced_without_losing_the_sign_up(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    first = tablet.post("/api/signups", json=signup_payload(world.session_code))
    drop_writer_connection(app)
    second = tablet.post("/api/signups", json=signup_payload(world.session_code))
    assert (first.status_code, second.status_code) == (201, 201)
    assert signup_ids(app) == {uuid.UUID(first.json["id"]), uuid.UUID(second.json["id"])}


def test_a_database_failure_is_503_and_the_retry_stores_once(
    app: Flask, tablet: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = signup_payload(world.session_code)
    with monkeypatch.context() as patch:
        fail_every_batch(app, patch)
        refused = tablet.post("/api/signups", json=payload)
    assert refused.status_code == 503
    assert refused.json == {"error": "try_again"}
    assert refused.headers["Retry-After"] == "5"
    assert signup_ids(app) == set()

    retried = tablet.post("/api/signups", json=payload)
    assert retried.status_code == 201
    assert signup_ids(app) == {uuid.UUID(payload["id"])}


def test_phone_form_keeps_what_was_typed_when_the_database_fails(
    app: Flask, client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = form_data(client, world.session_code)
    with monkeypatch.context() as patch:
        fail_every_batch(app, patch)
        refused = client.post(f"/s/{world.session_code}", data=data)
    assert refused.status_code == 503
    assert "暂时没能保存，请稍等片刻再点一次“提交登记”。" in refused.text
    assert 'value="李四"' in refused.text and f'value="{data["id"]}"' in refused.text
    assert client.post(f"/s/{world.session_code}", data=data).status_code == 302
    assert signup_ids(app) == {uuid.UUID(data["id"])}


def test_close_ends_the_thread_and_the_next_sign_up_starts_it_again(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    writer(app).close()
    assert not writer(app).running and writer(app).store._connection is None
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    assert len(signup_ids(app)) == 2


def as_submission(app: Flask, payload: dict) -> Submission:
    with app.app_context():
        clean, errors = validate_signup(payload)
        assert not errors
        return signups.submission(clean, source="phone", binding_id=None, now=utcnow())


def test_a_batch_mixing_new_replayed_and_refused_sign_ups(app: Flask, world: World) -> None:
    """What each submission of one batch became, and only the new rows stored."""
    stored = signup_payload(world.session_code)
    new = signup_payload(world.session_code)
    batch = [
        as_submission(app, new),
        as_submission(app, stored),  # stored by an earlier batch: a replay
        as_submission(app, new),  # the same id twice in one batch: the first one counts
        as_submission(app, signup_payload("NOSUCHCODE")),
        as_submission(app, {**stored, "name": "李四"}),  # the stored id, other content
    ]
    with app.app_context(), db.engine.begin() as connection:
        first = writer(app).store.store_batch(connection, [as_submission(app, stored)])
    with app.app_context(), db.engine.begin() as connection:
        verdicts = writer(app).store.store_batch(connection, batch)

    assert first == [Verdict.INSERTED]
    assert verdicts == [
        Verdict.INSERTED,
        Verdict.DUPLICATE,
        Verdict.DUPLICATE,
        Verdict.UNKNOWN_SESSION,
        Verdict.DUPLICATE,
    ]
    assert signup_ids(app) == {uuid.UUID(stored["id"]), uuid.UUID(new["id"])}
