"""The write path: one writer thread, group commit, and what a failing database does."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app, settings, tablets
from kiosk.database import engine_config
from kiosk.extensions import db
from kiosk.models import Signup, utcnow
from kiosk.signups import validation
from kiosk.signups.fields import FIELDS
from kiosk.signups.refusal import Submission
from kiosk.signups.store import REFUSED, Outcome, Writer, store_batch, submission
from kiosk.signups.validation import validate_signup
from tests.conftest import (
    World,
    base_config,
    fail_signup_inserts,
    refuse_name_in_database,
    signup_payload,
)
from tests.views.test_public import form_data


def signup_ids(app: Flask) -> list[uuid.UUID]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Signup.id)))


def as_submission(app: Flask, payload: dict) -> Submission:
    with app.test_request_context():
        clean, errors = validate_signup(payload)
        assert not errors
        return submission(clean, source="phone", binding_id=None, now=utcnow())


def statuses(outcomes: list) -> list[int | str]:
    return [o.status if isinstance(o, Outcome) else type(o).__name__ for o in outcomes]


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
        first = store_batch(connection, [as_submission(app, stored)])
    with app.app_context(), db.engine.begin() as connection:
        outcomes = store_batch(connection, batch)

    assert statuses(first) == [201]
    assert statuses(outcomes) == [201, 200, 200, 404, 409]
    assert outcomes[1].body == first[0].body  # the replay gets the first receipt
    assert outcomes[2].body == outcomes[0].body
    assert outcomes[3].body == {"error": "unknown_session"}
    assert sorted(signup_ids(app)) == sorted([uuid.UUID(stored["id"]), uuid.UUID(new["id"])])


def _on_signup_insert(app: Flask, monkeypatch: pytest.MonkeyPatch, act: Callable) -> list[str]:
    """Run `act(cursor)` just before the driver executes each INSERT INTO signup."""
    with app.app_context():
        dialect = db.engine.dialect
    seen: list[str] = []

    def spy(original: Callable[..., None]) -> Callable[..., None]:
        def execute(cursor: object, statement: str, *args: object) -> None:
            if statement.startswith("INSERT INTO signup "):
                seen.append(statement)
                act(cursor, len(seen))
            original(cursor, statement, *args)

        return execute

    monkeypatch.setattr(dialect, "do_execute", spy(dialect.do_execute))
    monkeypatch.setattr(dialect, "do_executemany", spy(dialect.do_executemany))
    return seen


def test_a_connection_dropped_mid_batch_is_replaced_without_losing_the_sign_up(
    app: Flask, tablet: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        engine = db.engine

    def drop_first(cursor: object, attempt: int) -> None:
        if attempt > 1:
            return
        driver_connection = cursor.connection  # type: ignore[attr-defined]
        if engine.dialect.name == "postgresql":  # the server ends the session, as a restart does
            pid = driver_connection.info.backend_pid
            with engine.connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        else:
            driver_connection.close()

    inserts = _on_signup_insert(app, monkeypatch, drop_first)
    payload = signup_payload(world.session_code)
    response = tablet.post("/api/signups", json=payload)

    assert response.status_code == 201
    assert len(inserts) == 2  # the batch, then the same batch once more on a new connection
    assert signup_ids(app) == [uuid.UUID(payload["id"])]


def test_a_failing_database_is_503_and_the_retry_stores_once(
    app: Flask, tablet: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = signup_payload(world.session_code)
    with monkeypatch.context() as patch:
        fail_signup_inserts(app, patch)
        refused = tablet.post("/api/signups", json=payload)
    assert refused.status_code == 503
    assert refused.json == {"error": "try_again"}
    assert refused.headers["Retry-After"] == "5"
    assert signup_ids(app) == []

    retried = tablet.post("/api/signups", json=payload)
    assert retried.status_code == 201
    assert signup_ids(app) == [uuid.UUID(payload["id"])]


def test_phone_form_keeps_what_was_typed_when_the_database_fails(
    app: Flask, client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = form_data(client, world.session_code)
    with monkeypatch.context() as patch:
        fail_signup_inserts(app, patch)
        refused = client.post(f"/s/{world.session_code}", data=data)
    assert refused.status_code == 503
    assert "暂时没能保存，请稍等片刻再点一次“提交登记”。" in refused.text
    assert 'value="李四"' in refused.text and f'value="{data["id"]}"' in refused.text
    assert client.post(f"/s/{world.session_code}", data=data).status_code == 302
    assert signup_ids(app) == [uuid.UUID(data["id"])]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/kiosk?connect_timeout=1",  # nothing listens
        "sqlite:///{tmp}/no-such-folder/kiosk.sqlite3",  # the file cannot be created
    ],
    ids=["postgres-closed-port", "sqlite-missing-folder"],
)
def test_a_database_that_cannot_be_reached_is_503_at_once(url: str, tmp_path) -> None:
    app = create_app(base_config(url.format(tmp=tmp_path)))
    client = app.test_client()
    with app.test_request_context():
        # Only the cookie's signature is checked on the way in; the writer finds the database.
        client.set_cookie(tablets.COOKIE, tablets._serializer().dumps(str(uuid.uuid4())))
    started = time.monotonic()
    first = client.post("/api/signups", json=signup_payload("abcdefgh23"))
    second = client.post("/api/signups", json=signup_payload("abcdefgh23"))
    assert (first.status_code, second.status_code) == (503, 503)
    assert first.json == {"error": "try_again"} and first.headers["Retry-After"] == "5"
    assert time.monotonic() - started < 5


def test_postgres_connections_give_up_after_five_seconds_unless_the_url_says() -> None:
    app = Flask(__name__)
    app.config.from_mapping(settings.defaults())
    app.config["DATABASE_URL"] = "postgresql+psycopg://kiosk@db.internal/kiosk"
    assert engine_config(app)["connect_args"] == {"connect_timeout": 5}
    assert engine_config(app)["pool_timeout"] == 5  # every thread waiting: 503, not a queue
    app.config["DATABASE_URL"] += "?connect_timeout=20"
    assert "connect_args" not in engine_config(app)


@pytest.fixture
def refused_name(app: Flask) -> Iterator[str]:
    remove = refuse_name_in_database(app, "拒收")
    yield "拒收"
    remove()


def test_a_row_the_database_refuses_does_not_fail_its_batch(
    app: Flask, world: World, refused_name: str
) -> None:
    good = [signup_payload(world.session_code) for _ in range(2)]
    bad = signup_payload(world.session_code, name=refused_name)
    batch = [as_submission(app, good[0]), as_submission(app, bad), as_submission(app, good[1])]
    with app.app_context():
        outcomes = Writer(db.engine).write(batch)

    assert statuses(outcomes) == [201, 422, 201]
    assert outcomes[1] is REFUSED
    assert sorted(signup_ids(app)) == sorted(uuid.UUID(p["id"]) for p in good)


def test_a_row_the_database_refuses_is_422_with_a_message(
    app: Flask, tablet: FlaskClient, world: World, refused_name: str
) -> None:
    response = tablet.post("/api/signups", json=signup_payload(world.session_code, name="拒收"))
    assert response.status_code == 422
    assert response.json == {"errors": {"signup": "这条登记无法保存，请检查填写的内容。"}}
    assert signup_ids(app) == []
    english = tablet.post(
        "/api/signups?lang=en", json=signup_payload(world.session_code, name="拒收")
    )
    assert english.json["errors"]["signup"].startswith("This sign-up could not be saved")


def test_the_phone_form_says_so_when_the_database_refuses_the_row(
    app: Flask, client: FlaskClient, world: World, refused_name: str
) -> None:
    data = form_data(client, world.session_code, name=refused_name)
    response = client.post(f"/s/{world.session_code}", data=data)
    assert response.status_code == 422
    assert "这条登记无法保存，请检查填写的内容。" in response.text
    assert f'value="{refused_name}"' in response.text
    assert signup_ids(app) == []


def test_a_value_too_long_for_its_column_is_422_and_the_batch_goes_on(
    app: Flask, world: World, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation lets through more than the column holds (a mistake): PostgreSQL refuses it.

    SQLite does not enforce VARCHAR lengths, so there both rows are stored.
    """
    wider = [replace(f, max_length=200) if f.name == "employer" else f for f in FIELDS]
    monkeypatch.setattr(validation, "FIELDS", tuple(wider))
    good = signup_payload(world.session_code)
    long = signup_payload(world.session_code, employer="美团" * 40)  # 80 characters, column 60
    with app.app_context():
        outcomes = Writer(db.engine).write([as_submission(app, good), as_submission(app, long)])
    if database_url.startswith("postgresql"):
        assert statuses(outcomes) == [201, 422]
        assert signup_ids(app) == [uuid.UUID(good["id"])]
    else:
        assert statuses(outcomes) == [201, 201]
        assert len(signup_ids(app)) == 2
