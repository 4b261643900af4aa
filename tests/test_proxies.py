"""Client addresses behind reverse proxies: X-Forwarded-For believed for exactly the hops set."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from kiosk import create_app
from kiosk.extensions import db
from tests.admin.conftest import audit_events
from tests.conftest import World, base_config, truncate_all

PROXY = "10.0.0.2"  # the address the server sees: nginx's


def _failed_login_address(app: Flask, forwarded_for: str | None) -> str | None:
    """The address the audit log records for a wrong password sent through the proxy."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    app.test_client().post(
        "/admin/login",
        data={"username": "staff", "password": "wrong"},
        headers=headers,
        environ_base={"REMOTE_ADDR": PROXY},
    )
    [event] = audit_events(app, "login_failed")
    return event.remote_addr


@pytest.fixture
def app(database_url: str, tmp_path: Path, hops: int) -> Iterator[Flask]:
    """The shared app fixture, with TRUSTED_PROXIES set as the test says."""
    app = create_app(base_config(database_url, TRUSTED_PROXIES=hops, KB_DIR=str(tmp_path)))
    if database_url.startswith("postgresql"):
        truncate_all(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("hops", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no proxy declared: a client could forge the header
        (1, "203.0.113.7", "203.0.113.7"),  # nginx in front: its header names the client
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # a forged first entry is ignored
        (2, "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # a load balancer, then nginx
    ],
)
def test_trusted_proxies_give_the_client_address(
    app: Flask, world: World, forwarded_for: str, expected: str
) -> None:
    assert _failed_login_address(app, forwarded_for) == expected
