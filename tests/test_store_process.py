"""The writer process (SIGNUP_WRITER_PROCESS, what `serve` uses): same answers, other process."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app, signup_writer, store_process, tablets
from kiosk.batch_store import BatchStore
from kiosk.extensions import db
from kiosk.models import Signup
from kiosk.store_process import StoreProcess
from tests.conftest import World, base_config, signup_payload, truncate_all

# The race tests again, with this module's `app`: sign-ups stored by the writer process.
from tests.test_concurrency import (  # noqa: F401 - collected here on purpose
    test_different_ids_in_parallel_are_all_stored,
    test_same_id_posted_in_parallel_is_stored_once,
)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """conftest's `app`, with the writer process on."""
    config = base_config(database_url, KB_DIR=str(tmp_path / "site"), SIGNUP_WRITER_PROCESS=True)
    app = create_app(config)
    if database_url.startswith("postgresql"):
        truncate_all(app)
    yield app
    with app.app_context():
        signup_writer.writer().close()
        db.engine.dispose()


def the_writer(app: Flask) -> signup_writer.SignupWriter:
    with app.app_context():
        return signup_writer.writer()


def child(app: Flask) -> StoreProcess:
    store = the_writer(app).store
    assert isinstance(store, StoreProcess)
    return store


def stored(app: Flask) -> list[uuid.UUID]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Signup.id)))


def test_the_writer_process_stores_and_replays(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    payload = signup_payload(world.session_code)
    first = tablet.post("/api/signups", json=payload)
    again = tablet.post("/api/signups", json=payload)
    reused = tablet.post("/api/signups", json={**payload, "name": "李四"})

    assert (first.status_code, again.status_code, reused.status_code) == (201, 200, 409)
    assert again.json == first.json
    pid = child(app).pid
    assert pid is not None and pid != os.getpid()
    assert stored(app) == [uuid.UUID(payload["id"])]


def test_refusals_come_back_from_the_writer_process(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    other = tablet.post("/api/signups", json=signup_payload(world.other_session_code))
    unknown = tablet.post("/api/signups", json=signup_payload("NOSUCHCODE"))
    assert (other.status_code, other.json) == (403, {"error": "tablet_bound_to_other_session"})
    assert (unknown.status_code, unknown.json) == (404, {"error": "unknown_session"})
    assert stored(app) == []


def test_a_killed_writer_process_is_replaced_by_the_next_sign_up(
    app: Flask, tablet: FlaskClient, world: World
) -> None:
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    before = child(app).pid
    assert before is not None
    os.kill(before, signal.SIGKILL)

    payload = signup_payload(world.session_code)
    assert tablet.post("/api/signups", json=payload).status_code == 201
    assert child(app).pid not in (None, before)
    assert uuid.UUID(payload["id"]) in stored(app)


def test_a_hung_writer_process_answers_503_and_the_retry_stores_once(
    app: Flask, tablet: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    monkeypatch.setattr(store_process, "REPLY_SECONDS", 1)
    hung = child(app).pid
    assert hung is not None
    os.kill(hung, signal.SIGSTOP)  # alive, but it will never answer

    payload = signup_payload(world.session_code)
    refused = tablet.post("/api/signups", json=payload)
    assert (refused.status_code, refused.json) == (503, {"error": "try_again"})
    assert refused.headers["Retry-After"] == "5"
    with pytest.raises(ProcessLookupError):
        os.kill(hung, 0)  # killed and collected, not left behind

    assert tablet.post("/api/signups", json=payload).status_code == 201
    assert stored(app).count(uuid.UUID(payload["id"])) == 1


def test_a_database_that_cannot_be_opened_is_503_and_the_process_stays(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'kiosk.sqlite3'}"
    app = create_app(base_config(url, SIGNUP_WRITER_PROCESS=True))
    client = app.test_client()
    with app.test_request_context():
        # Only the cookie's signature is checked on the way in; the writer finds the database.
        client.set_cookie(tablets.COOKIE, tablets._serializer().dumps(str(uuid.uuid4())))
    try:
        first = client.post("/api/signups", json=signup_payload("ABCDEFGH"))
        pid = child(app).pid
        second = client.post("/api/signups", json=signup_payload("ABCDEFGH"))
        assert (first.status_code, second.status_code) == (503, 503)
        assert child(app).pid == pid  # an outage does not cost a restart per batch
    finally:
        the_writer(app).close()


def test_close_ends_the_writer_process(app: Flask, tablet: FlaskClient, world: World) -> None:
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    pid = child(app).pid
    the_writer(app).close()
    assert child(app).pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid or 0, 0)
    assert tablet.post("/api/signups", json=signup_payload(world.session_code)).status_code == 201
    assert len(stored(app)) == 2


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_keeps_the_writer_in_the_web_process(url: str) -> None:
    """Another process would open a different, empty database."""
    app = create_app(base_config(url, SIGNUP_WRITER_PROCESS=True))
    assert isinstance(the_writer(app).store, BatchStore)
