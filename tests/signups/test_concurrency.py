"""Racing tablets against a real waitress server: exactly one row per sign-up id."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask

from kiosk import tablets
from kiosk.extensions import db
from kiosk.models import OutreachSession, Signup, StaffUser
from tests.conftest import World, signup_payload
from tests.live_server import serve_in_thread

PARALLEL = 50


def bind_tablets(app: Flask, session_code: str, count: int) -> list[str]:
    """Cookie values for `count` distinct tablets bound to one session."""
    with app.test_request_context():
        session = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == session_code)
        )
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "staff"))
        assert session is not None and staff is not None
        return [tablets.token_for(tablets.bind(session, staff, f"平板{i}")) for i in range(count)]


def post_all(url: str, cookies: list[str], bodies: list[dict]) -> list[tuple[int, dict]]:
    """POST each body from its own thread and connection, all released at once."""
    address = urlsplit(url)
    start = threading.Barrier(len(bodies))

    def send(cookie: str, body: dict) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        conn.connect()  # connect before the barrier so the requests really overlap
        start.wait(timeout=30)
        try:
            conn.request(
                "POST",
                "/api/signups",
                body=json.dumps(body).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Cookie": f"{tablets.COOKIE}={cookie}",
                },
            )
            response = conn.getresponse()
            return response.status, json.loads(response.read())
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, cookies, bodies))


def stored_ids(app: Flask) -> list[uuid.UUID]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Signup.id)))


def test_same_id_posted_in_parallel_is_stored_once(app: Flask, world: World) -> None:
    cookies = bind_tablets(app, world.session_code, PARALLEL)
    payload = signup_payload(world.session_code)

    with serve_in_thread(app) as server:
        results = post_all(server.url, cookies, [payload] * PARALLEL)

    statuses = Counter(status for status, _ in results)
    assert statuses[201] == 1, statuses
    assert statuses[200] == PARALLEL - 1, statuses
    # Every replay got the very receipt the winner got.
    receipts = {json.dumps(body, sort_keys=True) for _, body in results}
    assert len(receipts) == 1
    assert stored_ids(app) == [uuid.UUID(payload["id"])]


def test_different_ids_in_parallel_are_all_stored(app: Flask, world: World) -> None:
    cookies = bind_tablets(app, world.session_code, PARALLEL)
    payloads = [signup_payload(world.session_code) for _ in range(PARALLEL)]

    with serve_in_thread(app) as server:
        results = post_all(server.url, cookies, payloads)

    assert Counter(status for status, _ in results) == {201: PARALLEL}
    assert sorted(stored_ids(app)) == sorted(uuid.UUID(p["id"]) for p in payloads)
