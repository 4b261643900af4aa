"""Every admin page renders for an admin, with no inline script or style (the CSP forbids them)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin.conftest import add_signup
from tests.conftest import World

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle=|<style", re.IGNORECASE)


@pytest.fixture
def pages(app: Flask, world: World) -> list[str]:
    signup_id = add_signup(app, world.session_id)
    return [
        "/admin/",
        "/admin/sessions",
        "/admin/sessions?show=closed",
        "/admin/sessions/new",
        f"/admin/sessions/new?copy={world.session_id}",
        f"/admin/sessions/{world.session_id}",
        f"/admin/sessions/{world.session_id}/edit",
        "/admin/sites",
        "/admin/sites/new",
        f"/admin/sites/{world.site_id}/edit",
        "/admin/signups",
        "/admin/signups?q=8000&status=pending&from=2026-01-01&to=2026-12-31",
        f"/admin/people/{signup_id}",
        "/admin/delete",
        "/admin/attention",
        "/admin/audit",
        "/admin/audit?action=login&user=admin&from=2026-01-01",
        "/admin/users",
        "/admin/users/new",
        "/admin/password",
    ]


def test_every_page_renders_without_inline_code(admin_client: FlaskClient, pages: list[str]):
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_login_page_has_no_inline_code(client: FlaskClient):
    html = client.get("/admin/login").get_data(as_text=True)
    assert "工作人员登录" in html
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_every_admin_page_links_to_the_staff_guide(staff_client: FlaskClient, client: FlaskClient):
    """The staff guide is out of the riders' navigation and search; staff reach it from here."""
    link = '<a href="/kb/staff/editing/">知识库编辑指南</a>'
    assert link in staff_client.get("/admin/").get_data(as_text=True)
    assert link in staff_client.get("/admin/signups").get_data(as_text=True)
    staff_client.post("/admin/logout")
    assert link not in client.get("/admin/login").get_data(as_text=True)
