"""Every redirect target taken from a request stays on this site, and never answers 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.redirects import safe_next
from tests.conftest import PASSWORD, World

# Values an attacker puts in ?next=, as the server receives them (already %-decoded).
HOSTILE = [
    "/\t/evil.example/",  # sent as /%09/evil.example/: the browser drops the tab
    "/\n/evil.example/",
    "/\r\n/evil.example/",
    "\t//evil.example/",
    " //evil.example/",
    "\x00//evil.example/",
    "\x1f/\\evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "\\/evil.example/",
    "/\t\\evil.example/",
    "https://evil.example/",
    "https:evil.example",
    "HTTPS:/\\evil.example",
    "http:/evil.example",
    "//evil.example@kiosk.test/",
    "javascript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
    "\n",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_fall_back_to_the_default(target: str) -> None:
    assert safe_next(target, "/kiosk/") == "/kiosk/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/privacy", "/privacy"),
        ("/s/k7m3pq9x2a?lang=en#form", "/s/k7m3pq9x2a?lang=en#form"),
        (" /privacy\n", "/privacy"),  # what the browser would make of it
        ("/kb/福利/", "/kb/%E7%A6%8F%E5%88%A9/"),  # the header carries ASCII only
        ("/a\x0bb", "/a%0Bb"),  # a control character the browser would keep: escaped
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # a path, not a host
        ("/admin\r\nSet-Cookie: x=1", "/adminSet-Cookie:%20x=1"),  # no header injection
    ],
)
def test_paths_on_this_site_are_kept(target: str, expected: str) -> None:
    assert safe_next(target, "/kiosk/") == expected


def test_a_prefix_narrows_what_is_accepted() -> None:
    assert safe_next("/admin/signups", "/admin/", within="/admin/") == "/admin/signups"
    assert safe_next("/admin", "/admin/", within="/admin/") == "/admin"
    assert safe_next("/administrator", "/admin/", within="/admin/") == "/admin/"
    assert safe_next("/kiosk/", "/admin/", within="/admin/") == "/admin/"
    assert safe_next("/\t/admin/", "/admin/", within="/admin/") == "/admin/"


@pytest.mark.parametrize("target", HOSTILE)
def test_language_toggle_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    response = client.get("/lang/zh", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/kiosk/"


def test_language_toggle_from_the_raw_probe(client: FlaskClient) -> None:
    """The probe's own request, byte for byte: %09 decoded by the server is a tab."""
    response = client.get("/lang/zh?next=/%09/evil.example/")
    assert response.headers["Location"] == "/kiosk/"
    assert client.get("/lang/zh?next=/%0d%0a/evil").status_code == 302


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_login_never_leaves_the_site(client: FlaskClient, world: World, target: str) -> None:
    page = client.get("/admin/login", query_string={"next": target})
    assert page.status_code == 200
    response = client.post(
        "/admin/login",
        query_string={"next": target},
        data={"username": "staff", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.text(
        # Mostly the characters that matter here, so the hostile mixtures come up often.
        alphabet=st.sampled_from(list("/\\\t\n\r\x00\x0b :@.%ejv")) | st.characters(codec="utf-8"),
        max_size=40,
    )
)
def test_any_target_is_a_path_here_or_the_default(client: FlaskClient, target: str) -> None:
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.isascii() and location.isprintable()
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
