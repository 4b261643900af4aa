"""The sign-up fields are declared once; the model, the forms and the checks agree with it."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.models import Signup
from kiosk.signups.fields import FIELDS, Field
from kiosk.signups.validation import validate_signup
from tests.conftest import World, signup_payload

LIMITED = [f for f in FIELDS if f.max_length is not None and f.kind in ("name", "text")]


def test_every_field_is_a_signup_column_wide_enough() -> None:
    columns = Signup.__table__.c
    assert all(f.name in columns for f in FIELDS)
    narrow = [f.name for f in LIMITED if columns[f.name].type.length < f.max_length]
    assert narrow == []


@pytest.mark.parametrize("field", LIMITED, ids=lambda f: f.name)
def test_the_server_holds_each_field_to_its_declared_length(app: Flask, field: Field) -> None:
    extra = {"occupation": "other"} if field.other_of else {}
    with app.test_request_context():
        _, at_limit = validate_signup(
            signup_payload("abc", **extra, **{field.name: "张" * field.max_length})
        )
        _, over = validate_signup(
            signup_payload("abc", **extra, **{field.name: "张" * (field.max_length + 1)})
        )
        assert at_limit == {}
        assert set(over) == {field.name} and str(field.max_length) in str(over[field.name])


def test_the_form_carries_each_declared_field_and_limit(client: FlaskClient, world: World) -> None:
    page = client.get(f"/s/{world.session_code}").text
    for field in FIELDS:
        if field.kind in ("choice", "choices"):
            offered = re.findall(rf'name="{field.name}" value="([^"]+)"', page)
            assert offered == list(field.choices), field.name
        else:
            [tag] = re.findall(rf'<input id="{field.name}" [^>]*>', page)
            assert f'maxlength="{field.max_length}"' in tag, tag
            assert (" required " in tag) == field.required, tag


def test_the_kiosk_screen_gives_its_script_the_declared_rules(tablet: FlaskClient) -> None:
    page = tablet.get("/kiosk/").text
    [block] = re.findall(r'<script type="application/json" id="signup-rules">(.*?)</script>', page)
    rules = json.loads(block)
    assert [
        (r["name"], r["kind"], r["required"], r["max_length"], r["choices"], r["other_of"])
        for r in rules["fields"]
    ] == [(f.name, f.kind, f.required, f.max_length, list(f.choices), f.other_of) for f in FIELDS]
    assert rules["fields"][0]["messages"]["too_long"] == "姓名不能超过 30 个字"
