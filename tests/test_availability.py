"""A database that cannot answer: every route says 503 quickly; /kb/, static and health still serve.

The database is broken from outside: on SQLite its file is replaced by a
directory (it cannot be opened); on PostgreSQL the app reaches the server through
a TCP proxy (scripts/tcp_proxy.py) that resets every connection, or freezes them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk import create_app
from kiosk.extensions import db
from tests.conftest import PASSWORD, World, base_config, bind_tablet, signup_payload

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from tcp_proxy import TcpProxy  # noqa: E402 - a script's module, found on scripts/


@dataclass
class Outage:
    app: Flask
    cut: object  # () -> None: the database becomes unreachable
    restore: object  # () -> None
    proxy: TcpProxy | None = None


@pytest.fixture
def outage(app: Flask, database_url: str, tmp_path: Path) -> Iterator[Outage]:
    """An app whose database can be made unreachable, and brought back."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True, exist_ok=True)
    (site / "index.html").write_text("<h1>工会知识库</h1>", encoding="utf-8")
    if database_url.startswith("sqlite"):
        path = Path(sa.make_url(database_url).database or "")
        moved = path.with_suffix(".away")

        def cut() -> None:
            with app.app_context():
                db.engine.dispose()  # pooled connections hold the file open
            path.rename(moved)
            path.mkdir()  # a directory where the file was: "unable to open database file"

        def restore() -> None:
            path.rmdir()
            moved.rename(path)

        yield Outage(app, cut, restore)
        return
    url = sa.make_url(database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    proxied = create_app(
        base_config(
            url.set(port=proxy.port).render_as_string(hide_password=False),
            KB_DIR=str(site),
        )
    )
    try:
        yield Outage(proxied, proxy.cut, proxy.restore, proxy)
    finally:
        proxy.restore()
        with proxied.app_context():
            db.engine.dispose()
        proxy.stop()


def assert_unavailable(response: TestResponse, *, json: bool) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"] == "5"
    if json:
        assert response.get_json() == {"error": "try_again"}
    else:
        assert "服务暂时不可用" in response.get_data(as_text=True)


def _clients(outage: Outage, world: World) -> tuple[FlaskClient, FlaskClient, FlaskClient]:
    """A staff login, a bound tablet and a passer-by, all set up while the database works."""
    staff = outage.app.test_client()
    assert (
        staff.post("/admin/login", data={"username": "staff", "password": PASSWORD}).status_code
        == 302
    )
    tablet = outage.app.test_client()
    bind_tablet(outage.app, tablet, world.session_code)
    return staff, tablet, outage.app.test_client()


def test_every_route_answers_503_while_the_database_is_unreachable(
    outage: Outage, world: World
) -> None:
    staff, tablet, anyone = _clients(outage, world)
    outage.cut()
    try:
        pages = [
            anyone.get(f"/s/{world.session_code}"),
            anyone.post(f"/s/{world.session_code}", data={"name": "张三", "phone": "13800138000"}),
            tablet.get("/kiosk/"),
            staff.get("/admin/"),
            staff.get("/admin/signups"),
            anyone.post("/admin/login", data={"username": "staff", "password": PASSWORD}),
            anyone.post(
                "/kiosk/setup",
                data={"code": world.session_code, "username": "staff", "password": PASSWORD},
            ),
        ]
        for response in pages:
            assert_unavailable(response, json=False)
        answers = [
            tablet.post("/api/signups", json=signup_payload(world.session_code)),
            tablet.post("/api/attention", json={"id": signup_payload("x")["id"], "status": 422}),
            anyone.get("/api/ready"),
        ]
        for response in answers:
            assert_unavailable(response, json=True)
        # What needs no database keeps being served.
        assert anyone.get("/api/health").status_code == 200
        assert anyone.get("/kb/").status_code == 200
        assert anyone.get("/static/css/kiosk.css").status_code == 200
    finally:
        outage.restore()
    # And it comes back by itself (on PostgreSQL after the breaker's pause).
    assert _eventually_ready(anyone)
    assert staff.get("/admin/").status_code == 200


def _eventually_ready(client: FlaskClient) -> bool:
    done = threading.Event()
    for _ in range(40):
        if client.get("/api/ready").status_code == 200:
            return True
        done.wait(0.25)
    return False


def test_ready_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/api/ready")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "database": True}
    assert response.headers["Cache-Control"] == "no-store"


def test_a_frozen_network_path_is_a_503_not_a_hang(outage: Outage, world: World) -> None:
    """PostgreSQL only: the connection stays open and nothing comes back."""
    if outage.proxy is None:
        pytest.skip("a SQLite file has no network path")
    staff, tablet, anyone = _clients(outage, world)
    outage.proxy.freeze()
    answers: list[TestResponse] = []

    def ask() -> None:
        answers.append(anyone.get(f"/s/{world.session_code}"))
        answers.append(staff.get("/admin/signups"))
        answers.append(tablet.post("/api/signups", json=signup_payload(world.session_code)))

    worker = threading.Thread(target=ask, daemon=True)
    worker.start()
    worker.join(timeout=120)  # a liveness guard: before the fix this waited forever
    outage.proxy.restore()
    assert not worker.is_alive(), "a request hung on the frozen database connection"
    assert [response.status_code for response in answers] == [503, 503, 503]


def test_timeouts_are_set_on_every_connection(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        else:
            assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "5s"
