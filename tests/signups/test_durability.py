"""Nothing acknowledged is lost when the server dies: `serve` killed with SIGKILL mid-stream."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from kiosk import tablets
from kiosk.extensions import db
from kiosk.models import Signup
from tests.conftest import World, signup_payload
from tests.live_server import free_port
from tests.signups.test_concurrency import bind_tablets

TABLETS = 8


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_every_acknowledged_sign_up_survives_kill_9(
    app: Flask, world: World, database_url: str, tmp_path: Path
) -> None:
    cookies = bind_tablets(app, world.session_code, TABLETS)
    port = free_port()
    env = {
        **os.environ,
        "KIOSK_DATABASE_URL": database_url,
        "KIOSK_SECRET_KEY": app.config["SECRET_KEY"],
        "KIOSK_KB_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "flask", "--app", "kiosk", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    acknowledged: list[str] = []
    senders: list[threading.Thread] = []
    try:
        _wait_until_up(port, server)

        def tablet(cookie: str) -> None:
            """Send sign-ups one after another until the server is gone."""
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Content-Type": "application/json", "Cookie": f"{tablets.COOKIE}={cookie}"}
            while True:
                payload = signup_payload(world.session_code)
                try:
                    conn.request("POST", "/api/signups", json.dumps(payload), headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    return
                if response.status == 201:
                    acknowledged.append(payload["id"])

        senders += [threading.Thread(target=tablet, args=(c,), daemon=True) for c in cookies]
        for sender in senders:
            sender.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        os.kill(server.pid, signal.SIGKILL)  # mid-stream: requests are in flight
        server.wait()
    for sender in senders:
        sender.join(timeout=15)

    with app.app_context():
        stored = set(db.session.scalars(sa.select(Signup.id)))
    assert len(acknowledged) >= 100
    assert {uuid.UUID(i) for i in acknowledged} <= stored
