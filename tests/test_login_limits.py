"""Staff sign-in limits: per account and address, a slower one per account, one per address.

Run with the counters in memory and in Redis (127.0.0.1:6379), as several servers share them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
import sqlalchemy as sa
from flask import Flask
from werkzeug.security import generate_password_hash

from kiosk import create_app
from kiosk.extensions import db, limiter
from kiosk.models import AuditEvent
from tests import conftest
from tests.conftest import PASSWORD, World, base_config, truncate_all
from tests.test_credentials import WRONG, setup_form

BOOTH, ATTACKER, ELSEWHERE = "10.1.1.1", "10.6.6.6", "10.7.7.7"


@pytest.fixture(params=["memory", "redis"])
def app(request: pytest.FixtureRequest, database_url: str) -> Iterator[Flask]:
    """An app with the limits on (small ones), counting in memory or in Redis."""
    extra: dict[str, object] = {
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "3 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "7 per hour",
        "LOGIN_ADDRESS_RATE_LIMIT": "4 per minute",
    }
    prefix = f"kiosk-test-{uuid.uuid4().hex[:12]}"
    if request.param == "redis":
        connection = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        try:
            connection.ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        extra |= {"REDIS_URL": "redis://127.0.0.1:6379/0", "RATELIMIT_KEY_PREFIX": prefix}
    app = create_app(base_config(database_url, **extra))
    if database_url.startswith("postgresql"):
        truncate_all(app)
    if request.param == "memory":
        limiter.reset()  # one limiter object serves every app this process creates
    yield app
    if request.param == "redis":
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)


@pytest.fixture(autouse=True)
def cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world's accounts hashed at a small scrypt cost: these tests check many passwords."""
    cheap = generate_password_hash(PASSWORD, "scrypt:1024:8:1")
    monkeypatch.setattr(conftest, "password_hash", lambda: cheap)


def attempt(
    app: Flask, address: str, password: str = WRONG, username: str = "staff", where: str = "login"
) -> int:
    client = app.test_client()
    environ = {"REMOTE_ADDR": address}
    data = {"username": username, "password": password}
    if where == "setup":
        return client.post(
            "/kiosk/setup", data={**data, "code": "zzzzzzzzzz"}, environ_base=environ
        ).status_code
    return client.post("/admin/login", data=data, environ_base=environ).status_code


def test_someone_elsewhere_cannot_lock_out_the_booth(app: Flask, world: World) -> None:
    assert [attempt(app, ATTACKER) for _ in range(4)] == [200, 200, 200, 429]
    # The attacker's pair is stopped, even with the right password...
    assert attempt(app, ATTACKER, PASSWORD) == 429
    # ...and the staff member at the booth still signs in.
    assert attempt(app, BOOTH, PASSWORD) == 302


def test_every_login_like_route_counts_towards_the_same_limit(app: Flask, world: World) -> None:
    assert attempt(app, ATTACKER, where="setup") == 200
    assert attempt(app, ATTACKER, PASSWORD, where="setup") == 200  # right password, bad code
    assert attempt(app, ATTACKER) == 200
    assert attempt(app, ATTACKER, PASSWORD) == 429
    assert attempt(app, ATTACKER, PASSWORD, where="setup") == 429


def test_many_addresses_reach_the_slower_limit_per_account(app: Flask, world: World) -> None:
    """Seven failures an hour from anywhere: then the account waits, wherever it is."""
    for number in range(7):
        assert attempt(app, f"10.9.0.{number}") == 200
    assert attempt(app, BOOTH, PASSWORD) == 429
    assert attempt(app, BOOTH, PASSWORD, username="district") == 302  # others unaffected


def test_one_address_trying_many_accounts_is_stopped(app: Flask, world: World) -> None:
    statuses = [attempt(app, ELSEWHERE, username=name) for name in ("admin", "staff", "outsider")]
    assert statuses + [attempt(app, ELSEWHERE, username="staff")] == [200] * 4
    assert attempt(app, ELSEWHERE, PASSWORD, username="district") == 429
    assert attempt(app, BOOTH, PASSWORD, username="district") == 302


def test_success_is_not_counted(app: Flask, world: World) -> None:
    assert [attempt(app, BOOTH, PASSWORD) for _ in range(6)] == [302] * 6


def test_counters_are_kept_where_configured(app: Flask, world: World) -> None:
    attempt(app, ATTACKER)
    if app.config["REDIS_URL"]:
        keys = redis.Redis.from_url(app.config["REDIS_URL"]).scan_iter(
            f"*{app.config['RATELIMIT_KEY_PREFIX']}*"
        )
        assert len(list(keys)) == 3  # per account and address, per account, per address
    else:
        assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_throttling_is_audited_and_said_in_chinese(app: Flask, world: World) -> None:
    for _ in range(3):
        attempt(app, ATTACKER)
    client = app.test_client()
    response = client.post(
        "/kiosk/setup",
        data=setup_form(world.session_code, PASSWORD),
        environ_base={"REMOTE_ADDR": ATTACKER},
    )
    assert response.status_code == 429 and "尝试次数过多" in response.text
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert actions.count("login_failed") == 3 and "login_throttled" in actions
