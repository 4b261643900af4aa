"""Whatever validation accepts, the database stores: 201 on both databases, never 500 or 503.

A value that passes the checks but does not fit its column fails at the INSERT, where
it used to fail the whole batch (a 32-character consent version plus "\\n" did, on
PostgreSQL). These properties draw every sign-up field from alphabets made of what
breaks things: characters NFKC widens, invisible and control characters, lone
surrogates, full-width digits, lengths around each limit. Each example is sent
through the API (as a tablet) and through the phone form, and must be stored exactly
as validation cleaned it, or refused with 422 naming the fields.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kiosk.extensions import db
from kiosk.models import Signup
from kiosk.signups.fields import FIELDS, Field
from kiosk.signups.validation import validate_signup
from tests.conftest import World

PROPERTY = settings(
    max_examples=60,
    derandomize=True,  # the same examples on every run: CI never fails by luck
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SURROGATES = {chr(0xD800), chr(0xDFFF)}  # lone halves of a pair
# Characters that change length or vanish when cleaned, or that databases refuse.
TRICKY = [
    "㍿",  # NFKC: 株式会社 (one character becomes four)
    "ﷺ",  # NFKC: eighteen characters
    "ﬃ",
    "Ａ",
    "１",
    "\u200b",  # zero-width space
    "\ufeff",
    "\u202e",  # right-to-left override
    "\x00",
    "\x1f",
    "\x7f",
    "\t",
    "\n",
    "\r",
    "\u3000",  # ideographic space
    "\xa0",
    "·",
    "•",
    "・",
    "-",
    "—",
    "'",
    "\u0301",  # a combining accent
    "𠀋",  # outside the Basic Multilingual Plane
    "😀",
    *SURROGATES,  # JSON can carry them as escapes
    "=",
    "+",
    "@",
]
# Letters that survive cleaning, some widened by NFKC, and separators a name may hold.
NAME_LIKE = ["张", "三", "李", "ﬃ", "㍿", "Ａ", "é", "e\u0301", "𠀋", "·", "•", " ", "-", "'"]


def alphabet(form: bool) -> st.SearchStrategy[str]:
    """Tricky characters, anything UTF-8 can carry, and plain Chinese; a form has no surrogates."""
    tricky = [c for c in TRICKY if not (form and c in SURROGATES)]
    return st.sampled_from(tricky) | st.characters(codec="utf-8") | st.sampled_from("张三李四王")


def text_near(limit: int, form: bool) -> st.SearchStrategy[str]:
    """Text mostly around `limit` characters, where off-by-one mistakes live."""
    chars = alphabet(form)
    return st.text(chars, min_size=max(limit - 3, 0), max_size=limit + 3) | st.text(
        chars, max_size=limit * 2
    )


def phone(form: bool) -> st.SearchStrategy[str]:
    """A mobile number as people type it: +86, full-width digits, spaces, dashes."""
    digits = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    decorated = st.tuples(
        st.sampled_from(["", "+86", "0086", "+86 ", "＋８６"]),
        digits,
        st.sampled_from(["", " ", "-", "\u200b", "\n"]),
    ).map(lambda parts: parts[0] + parts[2].join([parts[1][:3], parts[1][3:7], parts[1][7:]]))
    full_width = digits.map(
        lambda d: d.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    )
    return decorated | full_width


def plausible(field: Field, form: bool) -> st.SearchStrategy[object]:
    """What a person might really type: it usually passes, so storage is exercised."""
    limit = field.max_length or 40
    keys = st.sampled_from(list(field.choices)) if field.choices else st.nothing()
    if field.kind == "phone":
        return phone(form)
    if field.kind == "name":
        pieces = st.sampled_from(NAME_LIKE) | st.sampled_from(["\u200b", "\ufeff", "\x00"])
        return st.lists(pieces, min_size=1, max_size=limit).map("".join)
    if field.kind == "choice":
        return keys
    if field.kind == "choices":
        return st.lists(keys, max_size=len(field.choices) + 2)
    return st.text(alphabet(form), max_size=limit) | st.none()


def hostile(field: Field, form: bool) -> st.SearchStrategy[object]:
    """Around the limit, with anything in it: it may pass or fail."""
    limit = field.max_length or 40
    if field.kind == "choices":
        keys = st.sampled_from(list(field.choices))
        return st.lists(keys | text_near(3, form), max_size=3)
    if field.kind == "choice":
        return st.sampled_from(["", "other"]) | text_near(5, form)
    return text_near(limit, form)


def client_times() -> st.SearchStrategy[str | None]:
    """Around now, in any offset and precision: backdating is another test's business."""
    offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    moments = st.builds(
        lambda seconds, micro, tz: (
            (datetime.now(UTC) - timedelta(seconds=seconds))
            .replace(microsecond=micro)
            .astimezone(tz)
            .isoformat()
        ),
        st.integers(min_value=0, max_value=3000),
        st.integers(min_value=0, max_value=999_999),
        offsets,
    )
    return st.none() | moments | moments.map(lambda t: t[:19] + "Z")


@st.composite
def sign_ups(draw: st.DrawFn, session_code: str, *, form: bool = False) -> dict:
    payload: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "session": session_code,
        "consent": True,
        "consent_version": draw(
            st.from_regex(r"[\w.\-]{1,32}", fullmatch=True)
            | st.from_regex(r"[\w.\-]{32}\n?", fullmatch=True)  # at the column's width
            | text_near(32, form)
            | st.none()
        ),
        "client_time": draw(client_times()),
    }
    # A few fields hostile, the rest plausible: about half the examples are accepted.
    wild = draw(st.sets(st.sampled_from([f.name for f in FIELDS]), max_size=2))
    for field in FIELDS:
        strategy = hostile(field, form) if field.name in wild else plausible(field, form)
        payload[field.name] = draw(strategy)
    return payload


def stored(app: Flask, signup_id: str) -> Signup | None:
    with app.app_context():
        return db.session.get(Signup, uuid.UUID(signup_id))


def expect(app: Flask, payload: dict) -> tuple[dict, set[str]]:
    """What validation makes of it: the cleaned person and the fields it refuses."""
    with app.test_request_context():
        clean, errors = validate_signup(payload)
    return clean.person | {"consent_version": clean.consent_version}, set(errors)


def assert_stored_as_cleaned(app: Flask, payload: dict, cleaned: dict) -> None:
    row = stored(app, payload["id"])
    assert row is not None
    for name, value in cleaned.items():
        if name == "consent_version" and value is None:
            continue  # the server fills in the notice's current version
        assert getattr(row, name) == value, name


@PROPERTY
@given(data=st.data())
def test_the_api_stores_whatever_validation_accepts(
    app: Flask, tablet: FlaskClient, world: World, data: st.DataObject
) -> None:
    payload = data.draw(sign_ups(world.session_code))
    cleaned, refused = expect(app, payload)
    event("refused" if refused else "accepted")
    # ensure_ascii: lone surrogates travel as \\ud800 escapes, as a hostile client sends them.
    body = json.dumps(payload, ensure_ascii=True)
    response = tablet.post("/api/signups", data=body, content_type="application/json")
    if refused:
        assert response.status_code == 422, response.json
        assert set(response.json["errors"]) == refused
        assert stored(app, payload["id"]) is None
    else:
        assert response.status_code == 201, response.json
        assert_stored_as_cleaned(app, payload, cleaned)


def as_form(payload: dict) -> dict:
    """What a browser posts: strings only, a ticked box as "on", nothing for None."""
    form = {k: v for k, v in payload.items() if v is not None and k != "session"}
    form["consent"] = "on"
    return form


@PROPERTY
@given(data=st.data())
def test_the_phone_form_stores_whatever_validation_accepts(
    app: Flask, client: FlaskClient, world: World, data: st.DataObject
) -> None:
    payload = data.draw(sign_ups(world.session_code, form=True))
    form = as_form(payload)
    cleaned, refused = expect(app, {**form, "session": world.session_code})
    event("refused" if refused else "accepted")
    response = client.post(f"/s/{world.session_code}", data=form)
    if refused:
        assert response.status_code == 422
        assert stored(app, payload["id"]) is None
    else:
        assert response.status_code == 302, response.get_data(as_text=True)[-500:]
        assert_stored_as_cleaned(app, payload, cleaned)


@pytest.mark.parametrize("suffix", ["\n", "\r\n", " ", "\x00"])
def test_a_consent_version_with_anything_after_it_is_422_not_503(
    app: Flask, tablet: FlaskClient, world: World, suffix: str
) -> None:
    """The probe's case: 32 characters and a newline passed a `$` match and overflowed."""
    from tests.conftest import signup_payload

    payload = signup_payload(world.session_code, consent_version="v" * 32 + suffix)
    response = tablet.post("/api/signups", json=payload)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"consent_version"}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Signup.id))) == 0
