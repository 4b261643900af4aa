"""Two `serve` processes on one PostgreSQL with Redis, as a city deployment runs them.

A sign-up storm spread over both servers, every sign-up sent to each of them at
once, stores each exactly once. A login limit reached on one server holds on the
other, because the counters live in Redis.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from kiosk import create_app
from kiosk.extensions import db
from tests.conftest import POSTGRES_URL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench_common import (  # noqa: E402 - a script's module, found on scripts/
    HOST,
    PASSWORD,
    Server,
    postgres_database,
    realistic_payload,
    seed,
    serve,
)

REDIS_URL = os.environ.get("KIOSK_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
SIGNUPS = 200


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(not POSTGRES_URL, reason="KIOSK_TEST_POSTGRES_URL is not set"),
    pytest.mark.skipif(not _redis_reachable(), reason=f"Redis at {REDIS_URL} is unreachable"),
]


@pytest.fixture
def two_servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[Server], object, str]]:
    """Migrated once, then two servers started on the same database and the same Redis."""
    assert POSTGRES_URL
    monkeypatch.setenv("KIOSK_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("KIOSK_PURGE_EVERY_HOURS", "0")
    secret = secrets.token_urlsafe(32)
    with ExitStack() as stack:
        database = stack.enter_context(postgres_database(POSTGRES_URL))
        planted = seed(database, secret, tablets=1)  # runs the migrations, once
        servers = [stack.enter_context(serve(database, secret, threads=8)) for _ in range(2)]
        yield servers, planted, database.url


def _post(port: int, cookie: str, body: bytes) -> int:
    """POST /api/signups, again (same id) after a 503 or no answer, as a tablet does."""
    for _attempt in range(20):
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            connection.request(
                "POST",
                "/api/signups",
                body=body,
                headers={"Content-Type": "application/json", "Cookie": f"kiosk_tablet={cookie}"},
            )
            status = connection.getresponse().status
        except OSError:
            continue
        finally:
            connection.close()
        if status != 503:
            return status
    return 503


def test_a_signup_storm_over_two_servers_stores_each_once(two_servers) -> None:
    servers, planted, url = two_servers
    now = datetime.now(UTC).isoformat()
    bodies = []
    for n in range(SIGNUPS):
        payload = realistic_payload(planted.session_code, n, now)
        payload["id"] = str(uuid.uuid4())
        bodies.append((payload["id"], json.dumps(payload, ensure_ascii=False).encode()))
    # Each sign-up goes to both servers at once: a tablet whose first answer was lost
    # retries, and the load balancer sends the retry to the other server.
    jobs = [(signup_id, server.port, body) for signup_id, body in bodies for server in servers]
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(
            pool.map(lambda job: (job[0], _post(job[1], planted.cookies[0], job[2])), jobs)
        )
    per_id: dict[str, list[int]] = {}
    for signup_id, status in statuses:
        per_id.setdefault(signup_id, []).append(status)
    assert Counter(tuple(sorted(found)) for found in per_id.values()) == {(200, 201): SIGNUPS}
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            ids = [str(row[0]) for row in connection.execute(sa.text("SELECT id FROM signup"))]
    finally:
        engine.dispose()
    assert sorted(ids) == sorted(signup_id for signup_id, _body in bodies)


def _login(port: int, username: str, password: str) -> int:
    """The admin login as a browser does it: the form (and its CSRF token), then the post."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    base = f"http://{HOST}:{port}/admin/login"
    page = opener.open(base, timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert token, page[:500]
    data = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "username": username, "password": password}
    ).encode()
    try:
        return opener.open(base, data=data, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302 after logging in is the answer itself


def test_a_login_limit_reached_on_one_server_holds_on_the_other(two_servers) -> None:
    servers, _planted, url = two_servers
    first, second = servers
    # An account of this run's own: Redis outlives the run, and counts per account.
    username = f"staff{secrets.token_hex(4)}"
    app = create_app({"SECRET_KEY": "test-secret", "DATABASE_URL": url})
    result = app.test_cli_runner().invoke(
        args=["user", "create", username, "--org", "瀛海镇总工会", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()

    assert _login(second.port, username, PASSWORD) == 302  # the right password works
    answers = [_login(first.port, username, "wrong-password") for _ in range(5)]
    assert 429 not in answers
    # The sixth try, at the other server, with the right password: the limit holds there.
    assert _login(second.port, username, PASSWORD) == 429
