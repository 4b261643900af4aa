"""Sign-ups under faults: the real server, real load, things broken from outside. Nothing lost.

    .venv/bin/python scripts/chaos.py                          # SQLite and PostgreSQL
    .venv/bin/python scripts/chaos.py --backends sqlite --tablets 4 --fault-seconds 1

`flask --app kiosk serve` (waitress) runs as its own process. Simulated tablets
(threads, a bounded number) post sign-ups the whole time, each with its own UUID,
and, like kiosk/static/js/sender.js, send every unacknowledged one again (same
id) until it gets 201 or 200. Meanwhile, one after another:

* kill -9: the server is killed mid-load and started again;
* unreachable: the database cannot be reached (PostgreSQL: a TCP proxy this script
  runs resets every connection; SQLite: the file is replaced by a directory);
* frozen (PostgreSQL): the proxy keeps the connections open and passes nothing;
* read-only: PostgreSQL's database is set read-only (its sessions ended so they
  notice); SQLite's file is made read-only (the server runs as `nobody` when this
  script runs as root, since root writes to read-only files).

Then the database is compared with what the tablets were told. One table:
acknowledged, stored, lost (must be 0), duplicated (must be 0), 5xx other than
503, and the longest time any request hung.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

# Sibling modules: `python scripts/x.py` puts scripts/ on the path; kiosk is installed.
from bench_common import (
    DEFAULT_PG_URL,
    HOST,
    PROJECT_ROOT,
    Database,
    markdown_table,
    postgres_reachable,
    realistic_payload,
    seed,
)
from tcp_proxy import TcpProxy

STARTUP_SECONDS = 120
REQUEST_TIMEOUT = 30.0  # longer than any bound the server promises: a hang shows as 30 s


# --- the server, as its own process ------------------------------------------------------


class Server:
    """`flask --app kiosk serve` on a fixed port, killable with -9 and startable again."""

    def __init__(self, database_url: str, secret: str, threads: int) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "KIOSK_SECRET_KEY": secret,
            "KIOSK_DATABASE_URL": database_url,
            "KIOSK_DATABASE_TIMEOUT_SECONDS": "2",
            "KIOSK_PURGE_EVERY_HOURS": "0",
        }
        self.threads = threads
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="kiosk-chaos-", suffix=".log", delete=False)

    def start(self) -> None:
        command = [sys.executable, "-m", "flask", "--app", "kiosk", "serve"]
        command += ["--host", HOST, "--port", str(self.port), "--threads", str(self.threads)]
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )
        # Generous: on a shared, loaded machine importing the app alone can take seconds.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {self.log.name}")
            try:
                socket.create_connection((HOST, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"server did not start within {STARTUP_SECONDS} s")

    def kill(self) -> None:
        """kill -9: no shutdown handler, no flush, as a power cut or the OOM killer would."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- the tablets ---------------------------------------------------------------------------


@dataclass
class Tally:
    acknowledged: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)  # no answer: reset, refused, timeout
    longest: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, status: int | None, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.longest = max(self.longest, seconds)
            if status is not None:
                self.statuses[status] += 1
            if error:
                self.errors[error] += 1

    @property
    def other_5xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500 and status != 503)


class Tablet(threading.Thread):
    """Posts a new sign-up every `gap` seconds while load runs; retries each until acknowledged."""

    def __init__(self, n: int, port: int, cookie: str, code: str, tally: Tally, load: Load) -> None:
        super().__init__(name=f"tablet-{n}", daemon=True)
        self.n, self.port, self.cookie, self.code = n, port, cookie, code
        self.tally, self.load = tally, load
        self.queue: list[tuple[str, bytes]] = []  # unacknowledged, oldest first
        self.made: list[str] = []
        self.refused: list[tuple[str, int]] = []
        self.connection: http.client.HTTPConnection | None = None

    def run(self) -> None:
        count = 0
        while True:
            if self.load.running.is_set() and not self.queue:
                count += 1
                self._make(count)
            if not self.queue:
                if not self.load.running.is_set():
                    return
                time.sleep(self.load.gap)
                continue
            if time.monotonic() > self.load.deadline:
                return
            signup_id, body = self.queue[0]
            status = self._post(body)
            if status in (200, 201):
                self.queue.pop(0)
                with self.tally.lock:
                    self.tally.acknowledged.add(signup_id)
                if self.load.running.is_set():
                    count += 1
                    self._make(count)
                    time.sleep(self.load.gap)
            elif status is not None and 400 <= status < 500 and status not in (408, 429):
                self.queue.pop(0)  # refused: it would go to "needs attention"
                self.refused.append((signup_id, status))
            else:
                time.sleep(self.load.retry_gap)  # 5xx or no answer: the same id again

    def _make(self, count: int) -> None:
        signup_id = str(uuid.uuid4())
        client_time = datetime.now(UTC).isoformat()
        payload = realistic_payload(self.code, self.n * 100_000 + count, client_time)
        payload["id"] = signup_id
        self.queue.append((signup_id, json.dumps(payload, ensure_ascii=False).encode()))
        self.made.append(signup_id)

    def _post(self, body: bytes) -> int | None:
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=REQUEST_TIMEOUT
                )
            self.connection.request(
                "POST",
                "/api/signups",
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "Cookie": f"kiosk_tablet={self.cookie}",
                },
            )
            response = self.connection.getresponse()
            response.read()
            self.tally.note(response.status, time.monotonic() - started)
            return response.status
        except (OSError, http.client.HTTPException) as error:
            self.tally.note(None, time.monotonic() - started, type(error).__name__)
            if self.connection is not None:
                self.connection.close()
            self.connection = None
            return None


class HealthProbe(threading.Thread):
    """Asks GET /api/health (no database) every 0.2 s: does the server stay responsive?"""

    def __init__(self, port: int, load: Load) -> None:
        super().__init__(name="health-probe", daemon=True)
        self.port, self.load = port, load
        self.longest = 0.0

    def run(self) -> None:
        while self.load.running.is_set():
            started = time.monotonic()
            connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            try:
                connection.request("GET", "/api/health")
                connection.getresponse().read()
            except (OSError, http.client.HTTPException):
                pass  # refused while the server restarts: an answer, not a hang
            finally:
                connection.close()
            self.longest = max(self.longest, time.monotonic() - started)
            time.sleep(0.2)


@dataclass
class Load:
    gap: float  # between one tablet's new sign-ups
    retry_gap: float
    deadline: float = float("inf")
    running: threading.Event = field(default_factory=threading.Event)


# --- the faults ----------------------------------------------------------------------------


@dataclass
class Target:
    """One database and how to break it."""

    backend: str
    seed_url: str  # direct, for seeding and counting
    server: Server  # on the database as it is reached (through the proxy for PostgreSQL)
    faults: list[tuple[str, Callable[[], None], Callable[[], None]]]  # name, break, mend


@contextmanager
def sqlite_target(secret: str, threads: int) -> Iterator[Target]:
    (PROJECT_ROOT / "instance").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-chaos-", dir=PROJECT_ROOT / "instance"))
    path = workdir / "kiosk.sqlite3"
    away = workdir / "kiosk.sqlite3.away"
    url = f"sqlite:///{path}"
    server = Server(url, secret, threads)

    def unreachable() -> None:
        server.kill()  # its open files would keep working; start it on the broken path
        path.rename(away)
        path.mkdir()
        server.start()

    def reachable() -> None:
        path.rmdir()
        away.rename(path)

    def files() -> list[str]:
        # Not the -shm file: SQLite maps it into memory, and a write to an immutable
        # mapping kills the process (SIGBUS); that is kill -9's fault, tried already.
        kept = [file for file in workdir.iterdir() if not file.name.endswith("-shm")]
        return [str(workdir), *(str(file) for file in kept)]

    # Root writes to a read-only file, so as root the files are made immutable
    # (chattr +i), which stops even writes through files already open; another user
    # is stopped by chmod, for files the server opens from then on: it is restarted.
    as_root = os.geteuid() == 0

    def read_only() -> None:
        if as_root:
            subprocess.run(["chattr", "+i", *files()], check=True)
            return
        for file in workdir.iterdir():
            file.chmod(0o444)
        workdir.chmod(0o555)
        server.kill()
        server.start()

    def writable() -> None:
        if as_root:
            subprocess.run(["chattr", "-i", *files()], check=True)
            return
        workdir.chmod(0o755)
        for file in workdir.iterdir():
            file.chmod(0o644)

    try:
        yield Target(
            "sqlite",
            url,
            server,
            [("unreachable", unreachable, reachable), ("read-only", read_only, writable)],
        )
    finally:
        server.stop()
        if as_root:
            subprocess.run(["chattr", "-i", *files()], check=False)
        workdir.chmod(0o755)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def postgres_target(pg_url: str, secret: str, threads: int) -> Iterator[Target]:
    """A database of its own (never the shared one: it is made read-only), behind a proxy."""
    admin_url = sa.make_url(pg_url).set(drivername="postgresql+psycopg")
    name = f"kiosk_chaos_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    direct = admin_url.set(database=name)
    proxy = TcpProxy(direct.host or "127.0.0.1", direct.port or 5432).start()
    through_proxy = direct.set(port=proxy.port).render_as_string(hide_password=False)
    server = Server(through_proxy, secret, threads)

    def end_sessions() -> None:
        with admin.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )

    def read_only() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'
            )
        end_sessions()

    def writable() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'ALTER DATABASE "{name}" RESET default_transaction_read_only'
            )
        end_sessions()

    try:
        yield Target(
            "postgres",
            direct.render_as_string(hide_password=False),
            server,
            [
                ("unreachable", proxy.cut, proxy.restore),
                ("frozen", proxy.freeze, proxy.restore),
                ("read-only", read_only, writable),
            ],
        )
    finally:
        server.stop()
        proxy.stop()
        end_sessions()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        admin.dispose()


# --- one run -------------------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    made: int
    acknowledged: int
    stored: int
    lost: int
    duplicated: int
    other_5xx: int
    longest: float
    health_longest: float
    refused: int
    unfinished: int


def run(target: Target, args: argparse.Namespace) -> Result:
    server = target.server
    secret = server.env["KIOSK_SECRET_KEY"]
    planted = seed(Database(target.backend, target.seed_url), secret, args.tablets)
    server.start()
    tally = Tally()
    load = Load(gap=args.gap, retry_gap=args.retry_gap)
    load.running.set()
    tablets = [
        Tablet(n, server.port, cookie, planted.session_code, tally, load)
        for n, cookie in enumerate(planted.cookies)
    ]
    for tablet in tablets:
        tablet.start()
    probe = HealthProbe(server.port, load)
    probe.start()
    steps: list[tuple[str, Callable[[], None], Callable[[], None]]] = [
        ("kill -9", server.kill, server.start),
        *target.faults,
    ]
    for name, breaking, mending in steps:
        time.sleep(args.fault_seconds)  # load on a healthy server between faults
        print(f"  {target.backend}: {name}", file=sys.stderr)
        breaking()
        time.sleep(args.fault_seconds)
        mending()
    time.sleep(args.fault_seconds)
    load.running.clear()
    load.deadline = time.monotonic() + args.drain_seconds
    for tablet in tablets:
        tablet.join()
    server.stop()
    made = [signup_id for tablet in tablets for signup_id in tablet.made]
    stored, duplicated = _count(target.seed_url, made)
    acknowledged = tally.acknowledged
    return Result(
        backend=target.backend,
        made=len(made),
        acknowledged=len(acknowledged),
        stored=len(stored),
        lost=len(acknowledged - stored),
        duplicated=duplicated,
        other_5xx=tally.other_5xx,
        longest=tally.longest,
        health_longest=probe.longest,
        refused=sum(len(tablet.refused) for tablet in tablets),
        unfinished=sum(len(tablet.queue) for tablet in tablets),
    )


def _count(url: str, made: list[str]) -> tuple[set[str], int]:
    """The ids stored, and how many rows are more than one per person's sign-up."""
    engine = sa.create_engine(sa.make_url(url).set(drivername=_driver(url)))
    try:
        with engine.connect() as connection:
            rows = [
                str(uuid.UUID(str(row[0])))
                for row in connection.execute(sa.text("SELECT id FROM signup"))
            ]
    finally:
        engine.dispose()
    ours = set(made)
    stored = {row for row in rows if row in ours}
    # Every row is one of ours exactly once: anything else is a duplicate.
    duplicated = len(rows) - len(set(rows)) + sum(1 for row in rows if row not in ours)
    return stored, duplicated


def _driver(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql+psycopg"


def report(results: list[Result]) -> bool:
    header = [
        "Database",
        "Sent",
        "Acknowledged",
        "Stored",
        "Lost",
        "Duplicated",
        "5xx other than 503",
        "Longest hang",
        "Longest /api/health",
        "Refused (4xx)",
        "Never acknowledged",
    ]
    rows = [
        [
            r.backend,
            str(r.made),
            str(r.acknowledged),
            str(r.stored),
            str(r.lost),
            str(r.duplicated),
            str(r.other_5xx),
            f"{r.longest:.1f} s",
            f"{r.health_longest:.1f} s",
            str(r.refused),
            str(r.unfinished),
        ]
        for r in results
    ]
    print(markdown_table(header, rows))
    return all(
        r.lost == 0
        and r.duplicated == 0
        and r.other_5xx == 0
        and r.refused == 0
        and r.unfinished == 0
        for r in results
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--tablets", type=int, default=16, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=32, help="waitress threads")
    parser.add_argument("--gap", type=float, default=0.05, help="seconds between new sign-ups")
    parser.add_argument("--retry-gap", type=float, default=0.5, help="seconds before a retry")
    parser.add_argument("--fault-seconds", type=float, default=5.0, help="each fault lasts")
    parser.add_argument("--drain-seconds", type=float, default=120.0, help="to deliver the rest")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = []
    for backend in args.backends.split(","):
        secret = secrets.token_urlsafe(32)
        if backend == "sqlite":
            with sqlite_target(secret, args.threads) as target:
                results.append(run(target, args))
        elif backend == "postgres":
            problem = postgres_reachable(args.pg_url)
            if problem:
                print(f"\n**PostgreSQL skipped**: {args.pg_url} is unreachable ({problem})\n")
                continue
            with postgres_target(args.pg_url, secret, args.threads) as target:
                results.append(run(target, args))
        else:
            raise SystemExit(f"unknown backend {backend!r}: use sqlite and/or postgres")
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
