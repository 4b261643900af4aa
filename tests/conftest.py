"""Shared fixtures: app, client, runner, auth and a small visible data set.

Database tests run on SQLite and, when KIOSK_TEST_POSTGRES_URL is set, on
PostgreSQL too (each xdist worker in its own schema).
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kiosk import create_app, tablets
from kiosk.accounts import hash_password
from kiosk.database import upgrade
from kiosk.extensions import db
from kiosk.models import Model, Organisation, OutreachSession, Site, StaffUser, utcnow
from tests.browser_support import launch_browser, on_ci

# Tests never read the developer's own instance/config.py (./scripts/run.sh writes one).
os.environ["KIOSK_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="kiosk-test-instance-")

POSTGRES_URL = os.environ.get("KIOSK_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])
PASSWORD = "correct-horse-battery"


# Two test runs may share one PostgreSQL (two checkouts on one machine): each run's
# workers get schemas of their own, named for the run and the worker.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8]


def _schema() -> str:
    return f"t_{_RUN}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def postgres_url() -> str:
    """The test server URL with a search_path of this worker's own schema."""
    assert POSTGRES_URL
    url = sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={_schema()}"}).render_as_string(
        hide_password=False
    )


def base_config(database_url: str, **extra: object) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "http://kiosk.test",
        "JOIN_URL": "https://example.org/join-placeholder",
        **extra,
    }


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time is slow)."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    app = create_app(base_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("KIOSK_TEST_POSTGRES_URL is not set")
    schema = _schema()
    engine = sa.create_engine(
        sa.make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"),
        connect_args={"connect_timeout": 5},
    )
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(f"KIOSK_TEST_POSTGRES_URL is set but unreachable: {error}")
    app = create_app(base_config(postgres_url()))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    engine.dispose()
    yield schema
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def truncate_all(app: Flask) -> None:
    """Empty every table and restart its ids, as a fresh database would have them.

    DELETE, not TRUNCATE: PostgreSQL's TRUNCATE makes new files for every table and index
    (about 300 ms for this schema), where deleting the few rows a test wrote takes 10 ms,
    and it runs once per test.
    """
    with app.app_context(), db.engine.begin() as conn:
        sequences = conn.scalars(
            sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
        ).all()
        statements = [f'DELETE FROM "{t.name}"' for t in reversed(Model.metadata.sorted_tables)]  # noqa: S608 - names from our own metadata
        statements += [f'ALTER SEQUENCE "{name}" RESTART' for name in sequences]
        conn.exec_driver_sql("; ".join(statements))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "kiosk.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    request.getfixturevalue("postgres_schema")
    return postgres_url()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    # An instance folder of its own: uploads waiting there (a joined-members list) belong
    # to one test, as they would to one server.
    app = create_app(
        base_config(
            database_url, KB_DIR=str(tmp_path / "site"), INSTANCE_PATH=str(tmp_path / "instance")
        )
    )
    if database_url.startswith("postgresql"):
        truncate_all(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@functools.cache
def password_hash() -> str:
    """scrypt is slow on purpose; hash the shared test password once per run."""
    return hash_password(PASSWORD)


@dataclass
class World:
    """A small, visible data set: two towns under one district, one open session each."""

    district_id: int
    town_id: int
    other_town_id: int
    site_id: int
    session_code: str
    session_id: int
    other_session_code: str
    other_session_id: int


def _make_session(title: str, org_id: int, site_id: int | None, status: str) -> OutreachSession:
    now = utcnow()
    session = OutreachSession(
        title=title,
        kind="worker",
        organisation_id=org_id,
        site_id=site_id,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=3),
        status=status,
    )
    db.session.add(session)
    db.session.commit()
    return session


@pytest.fixture
def world(app: Flask) -> World:
    """Users: admin, staff (瀛海镇), outsider (西红门镇), district (大兴区); one password."""
    with app.app_context():
        district = Organisation(name="大兴区总工会", level="district")
        db.session.add(district)
        db.session.commit()
        town = Organisation(name="瀛海镇总工会", level="subdistrict", parent_id=district.id)
        other = Organisation(name="西红门镇总工会", level="subdistrict", parent_id=district.id)
        db.session.add_all([town, other])
        db.session.commit()
        site = Site(name="首航超市", organisation_id=town.id)
        db.session.add(site)
        db.session.commit()
        for username, org_id in (
            ("admin", None),
            ("staff", town.id),
            ("outsider", other.id),
            ("district", district.id),
        ):
            db.session.add(
                StaffUser(
                    username=username,
                    password_hash=password_hash(),
                    is_admin=org_id is None,
                    organisation_id=org_id,
                )
            )
        db.session.commit()
        session = _make_session("瀛海镇职工沟通会", town.id, site.id, "open")
        other_session = _make_session("西红门镇职工沟通会", other.id, None, "open")
        return World(
            district_id=district.id,
            town_id=town.id,
            other_town_id=other.id,
            site_id=site.id,
            session_code=session.code,
            session_id=session.id,
            other_session_code=other_session.code,
            other_session_id=other_session.id,
        )


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "staff", password: str = PASSWORD):
        return self._client.post("/admin/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/admin/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


def bind_tablet(app: Flask, client: FlaskClient, session_code: str, username: str = "staff") -> str:
    """Bind `client` to a session the way /kiosk/setup does; returns the cookie value."""
    with app.test_request_context():
        session = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == session_code)
        )
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username))
        token = tablets.token_for(tablets.bind(session, staff))
    client.set_cookie(tablets.COOKIE, token)
    return token


@pytest.fixture
def tablet(app: Flask, client: FlaskClient, world: World) -> FlaskClient:
    """`client`, bound to the 瀛海镇 session."""
    bind_tablet(app, client, world.session_code)
    return client


def signup_payload(session_code: str, **overrides: object) -> dict:
    payload = {
        "id": str(uuid.uuid4()),
        "session": session_code,
        "name": "张三",
        "phone": "13800138000",
        "occupation": "courier",
        "employer": "顺丰",
        "area": "瀛海镇",
        "interests": ["health_check", "legal"],
        "consent": True,
        "consent_version": "2026-11-21",
        "client_time": "2026-11-21T10:00:00+08:00",
    }
    payload.update(overrides)
    return payload


def fail_signup_inserts(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on the database driver fails every INSERT INTO signup, as a full disk would.

    Everything else (the pages, the admission queries) still works, so what a
    failed write does can be seen on its own.
    """
    with app.app_context():
        dialect = db.engine.dialect
    driver_error = dialect.loaded_dbapi.OperationalError

    def failing(original: Callable[..., None]) -> Callable[..., None]:
        def execute(cursor: object, statement: str, *args: object) -> None:
            if statement.startswith("INSERT INTO signup "):
                raise driver_error("database or disk is full")
            original(cursor, statement, *args)

        return execute

    monkeypatch.setattr(dialect, "do_execute", failing(dialect.do_execute))
    monkeypatch.setattr(dialect, "do_executemany", failing(dialect.do_executemany))


def refuse_name_in_database(app: Flask, name: str) -> Callable[[], None]:
    """A trigger that refuses one name, as the database refuses a value it cannot hold.

    Returns what removes it again.
    """
    with app.app_context(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text(
                    "CREATE FUNCTION refuse_name() RETURNS trigger AS $$ BEGIN"
                    f" IF NEW.name = '{name}' THEN RAISE EXCEPTION 'value too long'"
                    " USING ERRCODE = 'string_data_right_truncation'; END IF;"
                    " RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                sa.text(
                    "CREATE TRIGGER refuse_name BEFORE INSERT ON signup"
                    " FOR EACH ROW EXECUTE FUNCTION refuse_name()"
                )
            )
        else:
            connection.execute(
                sa.text(
                    f"CREATE TRIGGER refuse_name BEFORE INSERT ON signup WHEN NEW.name = '{name}'"
                    " BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )

    def remove() -> None:  # the PostgreSQL schema outlives the test; a SQLite file does not
        with app.app_context(), db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("DROP TRIGGER refuse_name ON signup"))
                connection.execute(sa.text("DROP FUNCTION refuse_name()"))

    return remove


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session (Playwright sync API)."""
    yield from launch_browser()


__all__ = [
    "PASSWORD",
    "AuthActions",
    "World",
    "bind_tablet",
    "fail_signup_inserts",
    "refuse_name_in_database",
    "on_ci",
    "signup_payload",
]
