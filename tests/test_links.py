"""Absolute links and QR codes: from the configured public address in production, never
from the request's Host header; and never cached where another visitor could get them."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk import tablets
from tests.conftest import PASSWORD, World, bind_tablet
from tests.views.test_kiosk_screen import _decode_svg

EVIL = {"Host": "evil.example"}


def bind_at_evil(app: Flask, client: FlaskClient, world: World) -> None:
    """A bound tablet whose requests name another host (cookies follow the host)."""
    token = bind_tablet(app, client, world.session_code)
    client.set_cookie(tablets.COOKIE, token, domain="evil.example")


QR_PATHS = ["/kiosk/qr/kb.svg", "/kiosk/qr/phone.svg"]


@pytest.fixture
def production(app: Flask) -> Flask:
    app.config.update(ENV="production", PUBLIC_BASE_URL="https://outreach.example.org")
    return app


def test_production_qr_codes_ignore_the_host_header(
    production: Flask, client: FlaskClient, world: World
) -> None:
    bind_at_evil(production, client, world)
    kb = client.get("/kiosk/qr/kb.svg", headers=EVIL)
    phone = client.get("/kiosk/qr/phone.svg", headers=EVIL)
    assert _decode_svg(kb.data) == "https://outreach.example.org/kb/"
    assert _decode_svg(phone.data) == f"https://outreach.example.org/s/{world.session_code}"


def test_production_admin_links_ignore_the_host_header(
    production: Flask, client: FlaskClient, world: World
) -> None:
    login = {"username": "staff", "password": PASSWORD}
    assert client.post("/admin/login", data=login, headers=EVIL).status_code == 302
    page = client.get(f"/admin/sessions/{world.session_id}", headers=EVIL).text
    assert f"https://outreach.example.org/s/{world.session_code}" in page
    assert "evil.example" not in page
    qr = client.get(f"/admin/sessions/{world.session_id}/qr.svg", headers=EVIL)
    assert _decode_svg(qr.data) == f"https://outreach.example.org/s/{world.session_code}"


def test_production_without_a_public_address_refuses_instead_of_trusting_the_host(
    production: Flask, client: FlaskClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    production.config["PUBLIC_BASE_URL"] = None
    bind_at_evil(production, client, world)
    with caplog.at_level(logging.ERROR):
        response = client.get("/kiosk/qr/phone.svg", headers=EVIL)
    assert response.status_code == 503
    assert b"evil.example" not in response.data
    assert "KIOSK_PUBLIC_BASE_URL" in caplog.text
    # Pages that link rather than print a code need no host: the phone form still works.
    form = client.get(f"/s/{world.session_code}", headers=EVIL)
    assert form.status_code == 200 and "evil.example" not in form.text


def test_development_may_use_the_request_host(app: Flask, client: FlaskClient) -> None:
    app.config["PUBLIC_BASE_URL"] = None
    assert _decode_svg(client.get("/kiosk/qr/kb.svg").data) == "http://localhost/kb/"


@pytest.mark.parametrize("env", ["development", "production"])
@pytest.mark.parametrize("path", QR_PATHS)
def test_qr_codes_are_not_cached_publicly(
    app: Flask, client: FlaskClient, world: World, env: str, path: str
) -> None:
    app.config["ENV"] = env
    bind_tablet(app, client, world.session_code)
    cache = client.get(path).headers["Cache-Control"]
    assert "public" not in cache and "private" in cache
