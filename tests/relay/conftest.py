"""Two real servers: the city server (the `app` fixture, SQLite or PostgreSQL) and a booth laptop.

Both are waitress servers on free ports in this process. The laptop is a fresh
SQLite instance in relay mode, holding the relay credential issued on the city
server for 瀛海镇总工会.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk import create_app, tablets
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Signup, StaffUser
from kiosk.relay import credentials, pull
from tests.conftest import World, base_config, password_hash, signup_payload
from tests.live_server import LiveServer, serve_in_thread


@pytest.fixture
def upstream(app: Flask, world: World) -> Iterator[LiveServer]:
    with serve_in_thread(app) as server:
        yield server


def issue_token(app: Flask, org_id: int, label: str = "瀛海镇现场笔记本") -> str:
    with app.test_request_context():
        admin = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "admin"))
        _credential, token = credentials.issue(db.session.get(Organisation, org_id), label, admin)
        return token


@pytest.fixture
def token(app: Flask, world: World) -> str:
    return issue_token(app, world.town_id)


def laptop_app(database: Path, upstream_url: str, token: str, **extra: object) -> Flask:
    return create_app(
        base_config(
            f"sqlite:///{database}",
            UPSTREAM_URL=upstream_url,
            UPSTREAM_TOKEN=token,
            BACKUP_DIR=str(database.parent / "backups"),
            **extra,
        )
    )


def person_name(n: int) -> str:
    """测试零, 测试一…: names take no digits."""
    return "测试" + "".join("零一二三四五六七八九"[int(d)] for d in str(n))


@dataclass
class Laptop:
    server: LiveServer
    database: Path
    tablet_cookie: str
    session_code: str

    @property
    def app(self) -> Flask:
        return self.server.app

    def sign_up(self, count: int = 1, **overrides: object) -> list[str]:
        """Sign up `count` people from a tablet bound to the laptop, over HTTP; their ids."""
        ids = []
        with httpx.Client(
            base_url=self.server.url, cookies={tablets.COOKIE: self.tablet_cookie}
        ) as c:
            for n in range(count):
                payload = signup_payload(
                    self.session_code, phone=f"139{n:08d}", name=person_name(n), **overrides
                )
                response = c.post("/api/signups", json=payload)
                assert response.status_code == 201, response.text
                ids.append(payload["id"])
        return ids


def prepare_laptop(app: Flask, session_code: str) -> str:
    """Copy the city's sessions, add a booth staff account, bind a tablet: its cookie."""
    with app.test_request_context():
        pull.pull()
        town = db.session.scalar(sa.select(Organisation).where(Organisation.name == "瀛海镇总工会"))
        staff = StaffUser(username="booth", password_hash=password_hash(), organisation_id=town.id)
        db.session.add(staff)
        db.session.commit()
        session = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == session_code)
        )
        return tablets.token_for(tablets.bind(session, staff))


@pytest.fixture
def laptop(
    tmp_path: Path, sqlite_template: Path, upstream: LiveServer, token: str, world: World
) -> Iterator[Laptop]:
    database = tmp_path / "laptop" / "kiosk.sqlite3"
    database.parent.mkdir()
    shutil.copy(sqlite_template, database)
    app = laptop_app(database, upstream.url, token)
    cookie = prepare_laptop(app, world.session_code)
    with serve_in_thread(app) as server:
        yield Laptop(server, database, cookie, world.session_code)
    with app.app_context():
        db.engine.dispose()


def stored_ids(app: Flask) -> list[uuid.UUID]:
    """Every sign-up id the app's database holds (a list, so duplicates would show)."""
    with app.app_context():
        return list(db.session.scalars(sa.select(Signup.id)))
