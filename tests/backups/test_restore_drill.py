"""The restore drill: sign up on a laptop, back it up while it serves, restore it, forward it.

Every row must be in the restored copy, and the restored laptop, which has
forgotten that it already forwarded them, must not store anything twice upstream.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path

import httpx
import sqlalchemy as sa
from flask import Flask

from kiosk import tablets
from kiosk.backups import files
from kiosk.extensions import db
from kiosk.models import RelayReceipt, Signup
from kiosk.relay import cycle
from kiosk.relay.state import counts
from tests.conftest import World, signup_payload
from tests.relay.conftest import (  # noqa: F401 - fixtures
    Laptop,
    laptop,
    laptop_app,
    stored_ids,
    token,
    upstream,
)


def test_restore_drill(
    app: Flask,
    laptop: Laptop,  # noqa: F811 - the fixture
    world: World,
    tmp_path: Path,
) -> None:
    before = laptop.sign_up(20)
    # Tablets keep signing up while the backup is taken.
    during: list[str] = []
    stop = threading.Event()

    def keep_signing_up() -> None:
        with httpx.Client(
            base_url=laptop.server.url, cookies={tablets.COOKIE: laptop.tablet_cookie}
        ) as client:
            n = 0
            while not stop.is_set() and n < 200:
                payload = signup_payload(laptop.session_code, phone=f"137{n:08d}")
                if client.post("/api/signups", json=payload).status_code == 201:
                    during.append(payload["id"])
                n += 1

    writer = threading.Thread(target=keep_signing_up)
    writer.start()
    try:
        result = laptop.app.test_cli_runner().invoke(
            args=["backup", "--output", str(tmp_path / "backups")]
        )
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    (backup,) = files.backups_in(tmp_path / "backups")

    # The laptop forwards everything, then is lost.
    with laptop.app.app_context():
        assert cycle.run_now() is not None and counts().pending == 0
    upstream_before = stored_ids(app)
    assert len(upstream_before) == 20 + len(during)

    # A fresh laptop, restored from the backup.
    fresh_db = tmp_path / "replacement" / "kiosk.sqlite3"
    fresh_db.parent.mkdir()
    fresh = laptop_app(fresh_db, laptop.app.config["UPSTREAM_URL"], "")
    fresh.config["UPSTREAM_TOKEN"] = laptop.app.config["UPSTREAM_TOKEN"]
    restored = fresh.test_cli_runner().invoke(args=["restore", str(backup)])
    assert restored.exit_code == 0, restored.output
    in_copy = set(stored_ids(fresh))
    assert {uuid.UUID(i) for i in before} <= in_copy  # every row signed up before the backup
    assert in_copy <= {uuid.UUID(i) for i in before + during}  # and nothing invented
    with fresh.app_context():
        # It does not know what was forwarded after the backup: it sends those again.
        receipts = db.session.scalar(sa.select(sa.func.count()).select_from(RelayReceipt))
        assert receipts == 0
        assert counts().pending == len(in_copy)
        pushed = cycle.run_now()
        assert pushed is not None and pushed.acked == len(in_copy) and counts().pending == 0
        statuses = set(db.session.scalars(sa.select(RelayReceipt.http_status)))
        assert statuses == {200}  # every one a replay: the city already had it
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Signup)) == len(in_copy)
    assert sorted(stored_ids(app)) == sorted(upstream_before)  # no duplicates upstream
    shutil.rmtree(tmp_path / "backups")
