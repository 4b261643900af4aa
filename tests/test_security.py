"""Headers on every kind of page, and the default-secret guard."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import World


@pytest.mark.parametrize("path", ["/kiosk/setup", "/privacy", "/api/health", "/admin/login"])
def test_app_pages_forbid_inline_script_and_framing(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_kiosk_screen_has_the_headers(tablet: FlaskClient) -> None:
    response = tablet.get("/kiosk/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_phone_form_has_the_headers(client: FlaskClient, world: World) -> None:
    response = client.get(f"/s/{world.session_code}")
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]


def test_templates_have_no_inline_script_or_style() -> None:
    """CSP would block them silently in the browser; catch them at test time."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "kiosk" / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # A JSON data block is never executed, so CSP allows it.
        executable = r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>"
        if re.search(executable, text) or re.search(r"\sstyle=\"", text):
            offenders.append(path.name)
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path.name} (inline handler)")
    assert offenders == []
