"""Whatever a client sends, POST /api/signups answers with a defined status, never a 500."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from tests.conftest import World, signup_payload

URL = "/api/signups"
ALLOWED = {200, 201, 400, 403, 404, 409, 413, 415, 422}
FIELDS = tuple(signup_payload("x"))

# Deterministic and bounded: the same examples on every run, a few seconds per backend.
FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=50),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)


MISSING = object()
# A few fixed ids so that some examples repeat an id: replays (200) and conflicts (409).
REUSED_IDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(3)]


def draw_payload(data: st.DataObject, world: World) -> dict:
    """A valid sign-up with up to three fields replaced by anything JSON, or removed.

    Mostly-valid payloads get past validation, so the database path is fuzzed too.
    """
    payload = signup_payload(world.session_code)
    payload["id"] = data.draw(st.sampled_from(REUSED_IDS) | st.uuids().map(str), label="id")
    payload["session"] = data.draw(
        st.sampled_from([world.session_code, world.other_session_code, "zzzzzzzzzz"]),
        label="session",
    )
    broken = data.draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=3), label="broken")
    for key in broken:
        value = data.draw(st.just(MISSING) | json_values, label=key)
        if value is MISSING:
            del payload[key]
        else:
            payload[key] = value
    extra = data.draw(
        st.dictionaries(
            st.text(max_size=10).filter(lambda k: k not in FIELDS), json_values, max_size=2
        ),
        label="extra keys",
    )
    return {**payload, **extra}


@pytest.fixture
def quiet_app(app: Flask) -> Flask:
    """A 500 shows as a status, not a raise; the logged exception is caught separately."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


class ErrorLog(logging.Handler):
    """Collects what the app logs at ERROR: Flask logs every unhandled exception there."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged_errors(quiet_app: Flask) -> Iterator[list[logging.LogRecord]]:
    handler = ErrorLog()
    quiet_app.logger.addHandler(handler)
    yield handler.records
    quiet_app.logger.removeHandler(handler)


def check(response: TestResponse, logged: list[logging.LogRecord]) -> None:
    if currently_in_test_context():  # shown by --hypothesis-show-statistics
        event(f"status {response.status_code}")
    assert not logged, [record.getMessage() for record in logged]
    assert response.status_code in ALLOWED, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    body = response.get_json()
    assert isinstance(body, dict)
    if response.status_code == 422:
        assert set(body) == {"errors"}
        errors = body["errors"]
        assert isinstance(errors, dict) and errors
        assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())


@FUZZ
@given(data=st.data())
def test_any_field_values(
    quiet_app: Flask, tablet: FlaskClient, world: World, logged_errors: list, data: st.DataObject
) -> None:
    payload = draw_payload(data, world)
    check(tablet.post(URL, json=payload), logged_errors)


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), json_values.map(json.dumps).map(str.encode)))
def test_any_body_bytes(
    quiet_app: Flask, tablet: FlaskClient, logged_errors: list, body: bytes
) -> None:
    check(tablet.post(URL, data=body, content_type="application/json"), logged_errors)


@FUZZ
@given(
    content_type=st.sampled_from(
        [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin-1",
            "application/problem+json",
            "application/jsonx",
            "",
        ]
    ),
    body=st.binary(max_size=100),
)
def test_any_content_type(
    quiet_app: Flask, tablet: FlaskClient, logged_errors: list, content_type: str, body: bytes
) -> None:
    check(tablet.post(URL, data=body, content_type=content_type), logged_errors)


# Hand-picked inputs that random generation is unlikely to reach.
NASTY_BODIES = [
    pytest.param(b"[" * 5000 + b"]" * 5000, id="deep-nesting"),
    pytest.param(b'{"a":' * 3000 + b"1" + b"}" * 3000, id="deep-objects"),
    pytest.param(b"1" * 5000, id="huge-number"),
    pytest.param(b'{"id": 1e999, "phone": -1e999}', id="infinite-numbers"),
    pytest.param(b'{"id": NaN}', id="nan"),
    pytest.param(b"x" * (17 * 1024), id="too-large"),
    pytest.param(b'{"name": "\\ud800"}', id="lone-surrogate"),
]


@pytest.mark.parametrize("body", NASTY_BODIES)
def test_nasty_bodies(
    quiet_app: Flask, tablet: FlaskClient, logged_errors: list, body: bytes
) -> None:
    check(tablet.post(URL, data=body, content_type="application/json"), logged_errors)


NASTY_FIELDS = [
    pytest.param({"session": "\x00"}, id="nul-session"),
    pytest.param({"session": "\ud800abc"}, id="surrogate-session"),
    pytest.param({"employer": "\ud800"}, id="surrogate-employer"),
    pytest.param({"area": "a\x00b"}, id="nul-area"),
    pytest.param({"occupation": "other", "occupation_other": "\udfff"}, id="surrogate-other"),
    pytest.param({"name": "张\ud800三"}, id="surrogate-name"),
    pytest.param({"client_time": "0001-01-01T00:00:00+01:00"}, id="time-underflow"),
    pytest.param({"client_time": "9999-12-31T23:59:59-01:00"}, id="time-overflow"),
    pytest.param({"client_time": "2026-11-21T10:00:00+23:59"}, id="time-odd-offset"),
    pytest.param({"id": "{12345678-1234-5678-1234-567812345678}"}, id="braced-uuid"),
    pytest.param({"interests": "legal"}, id="interest-as-string"),
    pytest.param({"consent": "on"}, id="consent-on"),
]


@pytest.mark.parametrize("overrides", NASTY_FIELDS)
def test_nasty_fields(
    quiet_app: Flask, tablet: FlaskClient, world: World, logged_errors: list, overrides: dict
) -> None:
    payload = signup_payload(world.session_code, **overrides)
    # ensure_ascii keeps lone surrogates as \\u escapes, as a hostile client could send them.
    body = json.dumps(payload, ensure_ascii=True)
    check(tablet.post(URL, data=body, content_type="application/json"), logged_errors)


def test_huge_json_body(quiet_app: Flask, tablet: FlaskClient, logged_errors: list) -> None:
    body = json.dumps({"name": "张" * 1_000_000})
    response = tablet.post(URL, data=body, content_type="application/json")
    assert response.status_code == 413
    check(response, logged_errors)


def test_the_error_check_itself_sees_a_500(quiet_app: Flask, logged_errors: list) -> None:
    """Guard against a vacuous pass: a raising view does give 500 and a logged error."""

    @quiet_app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    assert quiet_app.test_client().get("/boom").status_code == 500
    assert any(record.exc_info for record in logged_errors)
