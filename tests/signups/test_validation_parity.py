"""kiosk/signups/validation.py against the shared table that the kiosk's validate.js also runs.

The browser half is tests/browser/test_kiosk_validation_parity.py. Together they keep
the offline checks on the tablet and the server's checks saying the same thing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask import Flask

from kiosk import create_app
from kiosk.signups.validation import browser_rules, validate_signup
from tests.conftest import base_config

TABLE = Path(__file__).parents[1] / "validation_cases.json"
CASES = json.loads(TABLE.read_text("utf-8"))["cases"]

# A valid sign-up; each case changes one field of it.
BASE = {
    "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "session": "abcdefgh23",
    "name": "张三",
    "phone": "13800138000",
    "occupation": "courier",
    "interests": [],
    "consent": True,
}


def payload(case: dict) -> dict:
    return {**BASE, **case.get("with", {}), case["field"]: case["input"]}


def case_id(case: dict) -> str:
    return f"{case['field']}={case['input']!r}"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(base_config("sqlite://"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_server_matches_shared_table(app: Flask, case: dict, lang: str) -> None:
    field = case["field"]
    with app.test_request_context(headers={"Cookie": f"lang={lang}"}):
        clean, errors = validate_signup(payload(case))
        messages = {key: str(message) for key, message in errors.items()}
    assert set(messages) <= {field}, messages
    if "clean" in case:
        assert messages == {}
        value = clean.person[field] if field in clean.person else getattr(clean, field)
        assert value == case["clean"]
    else:
        assert messages == {field: case[lang]}


def test_table_covers_every_kiosk_message(app: Flask) -> None:
    """Each message the kiosk's JavaScript can show is exercised by at least one case."""
    with app.test_request_context():
        rules = browser_rules()
    said = {m for f in rules["fields"] for m in f["messages"].values()}
    said.add(rules["consent_required"])
    shown = [c["zh"] for c in CASES if "zh" in c]
    # 格式不正确 is for JSON of the wrong type, which a form on the page cannot produce.
    untested = sorted(
        message
        for message in said
        if message != "格式不正确"
        and not any(re.fullmatch(re.escape(message).replace(r"\{n\}", r"\d+"), m) for m in shown)
    )
    assert len(said) >= 14
    assert untested == []
