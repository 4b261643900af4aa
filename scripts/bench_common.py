"""Shared by bench_signups.py and bench_reconnect.py: databases, seeding, server, HTTP client.

The server runs as its own process exactly as `flask --app kiosk serve` runs it
(waitress). The load generator is this process: asyncio with raw keep-alive
sockets and pre-built request bytes, so it spends as little of the shared CPU
as possible on itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from kiosk import choices

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = os.environ.get(
    "KIOSK_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
HOST = "127.0.0.1"  # benchmarks never talk to anything but loopback
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway staff account in a throwaway DB


# --- databases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    backend: str  # "sqlite" or "postgres"
    url: str  # SQLAlchemy URL the server and the seeding use


@contextmanager
def sqlite_database() -> Iterator[Database]:
    """A fresh SQLite file on the real disk (not tmpfs), so fsync costs what it costs."""
    parent = PROJECT_ROOT / "instance"  # /tmp is tmpfs on many systems; this is the real disk
    parent.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="kiosk-bench-", dir=parent))
    try:
        yield Database("sqlite", f"sqlite:///{workdir / 'kiosk.sqlite3'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _pg_engine(url: str) -> sa.Engine:
    return sa.create_engine(
        sa.make_url(url).set(drivername="postgresql+psycopg"),
        connect_args={"connect_timeout": 3},
    )


def postgres_reachable(url: str) -> str | None:
    """None if PostgreSQL answers, else why not (for a clear skip message)."""
    engine = _pg_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        return str(error.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return None


@contextmanager
def postgres_database(url: str) -> Iterator[Database]:
    """A fresh schema, dropped afterwards; the server reaches it through search_path."""
    schema = f"bench_{os.getpid()}_{secrets.token_hex(3)}"
    engine = _pg_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    server_url = (
        sa.make_url(url)
        .set(drivername="postgresql+psycopg")
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        yield Database("postgres", server_url)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@contextmanager
def databases(names: list[str], pg_url: str) -> Iterator[Iterator[Database]]:
    """Yield a generator of fresh databases; PostgreSQL is skipped, loudly, if unreachable."""

    def each() -> Iterator[Database]:
        for name in names:
            if name == "sqlite":
                with sqlite_database() as database:
                    yield database
            elif name == "postgres":
                problem = postgres_reachable(pg_url)
                if problem:
                    print(f"\n**PostgreSQL skipped**: {pg_url} is unreachable ({problem})\n")
                    continue
                with postgres_database(pg_url) as database:
                    yield database
            else:
                raise SystemExit(f"unknown backend {name!r}: use sqlite and/or postgres")

    yield each()


# --- seeding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    session_code: str
    cookies: list[str]  # one binding cookie value per simulated tablet


def seed(database: Database, secret: str, tablets: int) -> Seed:
    """Migrate, create org/site/staff/open session with the real CLI, bind tablets."""
    from kiosk import create_app
    from kiosk import tablets as tablet_bindings
    from kiosk.database import upgrade
    from kiosk.extensions import db
    from kiosk.models import OutreachSession, StaffUser

    app = create_app({"SECRET_KEY": secret, "DATABASE_URL": database.url})
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    for args in (
        ["org", "create", "瀛海镇总工会", "--level", "subdistrict"],
        ["site", "create", "首航超市", "--org", "瀛海镇总工会"],
        ["user", "create", "bench", "--org", "瀛海镇总工会", "--password", PASSWORD],
        ["session", "create", "压力测试沟通会", "--org", "瀛海镇总工会", "--site", "首航超市"]
        + ["--start", "2026-01-01T09:00", "--end", "2030-01-01T09:00", "--open"],
    ):
        result = runner.invoke(args=args)
        if result.exit_code != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed: {result.output}")
    code = result.output.strip().splitlines()[-1]
    with app.test_request_context():
        session = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
        staff = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "bench"))
        if session is None or staff is None:
            raise RuntimeError("seeding did not create the session and the staff user")
        cookies = [
            tablet_bindings.token_for(tablet_bindings.bind(session, staff, f"平板{i}"))
            for i in range(tablets)
        ]
        db.engine.dispose()
    return Seed(code, cookies)


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    port: int
    threads: int
    pid: int


@contextmanager
def serve(
    database: Database,
    secret: str,
    threads: int,
    synchronous: str = "FULL",
    *,
    port: int | None = None,
    env_extra: dict[str, str] | None = None,
) -> Iterator[Server]:
    """`flask --app kiosk serve` in a subprocess; stopped (by its own pid) on exit."""
    port = port or free_port()
    env = {
        **os.environ,
        "KIOSK_SECRET_KEY": secret,
        "KIOSK_DATABASE_URL": database.url,
        "KIOSK_SQLITE_SYNCHRONOUS": synchronous,
        **(env_extra or {}),
    }
    command = [sys.executable, "-m", "flask", "--app", "kiosk", "serve"]
    command += ["--host", HOST, "--port", str(port), "--threads", str(threads)]
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log)
    try:
        _wait_until_up(port, process, log)
        yield Server(port, threads, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _wait_until_up(port: int, process: subprocess.Popen, log: object) -> None:
    deadline = time.monotonic() + 90  # a loaded shared machine starts Python slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise RuntimeError(f"server exited: {log.read().decode(errors='replace')}")  # type: ignore[attr-defined]
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start within 90 s")


# --- a minimal HTTP/1.1 client ---------------------------------------------------------------

ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def post_request(port: int, path: str, cookie: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Cookie: kiosk_tablet={cookie}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def get_request(port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\n\r\n".encode()


def with_fresh_id(request: bytes) -> bytes:
    """Same length, new UUID: the Content-Length stays right without re-encoding JSON."""
    return request.replace(ID_PLACEHOLDER.encode(), str(uuid.uuid4()).encode(), 1)


class Connection:
    """One keep-alive connection; `exchange` sends a request and reads one response."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def send(self, request: bytes) -> None:
        if self.writer is None:
            await self.open()
        if self.writer is None:
            raise ConnectionError("not connected")
        self.writer.write(request)
        await self.writer.drain()

    async def receive(self) -> tuple[int, bytes]:
        if self.reader is None:
            raise ConnectionError("not connected")
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        start = lower.index(b"content-length:") + 15
        length = int(lower[start : lower.index(b"\r\n", start)])
        body = await self.reader.readexactly(length)
        if b"connection: close" in lower:
            self.close()
        return status, body

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        await self.send(request)
        return await self.receive()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# --- payloads and reporting ------------------------------------------------------------------

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛"]
OCCUPATIONS = [key for key in choices.OCCUPATIONS if key != "other"]  # "other" needs its text
INTERESTS = list(choices.INTERESTS)
EMPLOYERS = ["顺丰速运", "美团", "饿了么", "滴滴出行", "京东物流", "货拉拉", "闪送", None]
AREAS = ["瀛海镇", "亦庄", "旧宫镇", "西红门镇", "黄村", None]


def realistic_payload(session_code: str, n: int, client_time: str) -> dict:
    """A believable sign-up; `n` varies the person deterministically."""
    rng = n * 2654435761 % 2**32  # cheap deterministic scatter, no shared RNG state
    occupation = OCCUPATIONS[rng % len(OCCUPATIONS)]
    return {
        "id": ID_PLACEHOLDER,
        "session": session_code,
        "name": SURNAMES[rng % len(SURNAMES)] + GIVEN[(rng >> 5) % len(GIVEN)],
        "phone": f"1{3 + rng % 7}{rng % 10**9:09d}",
        "occupation": occupation,
        "employer": EMPLOYERS[(rng >> 3) % len(EMPLOYERS)],
        "area": AREAS[(rng >> 7) % len(AREAS)],
        "interests": [i for k, i in enumerate(INTERESTS) if rng >> (k + 11) & 1],
        "consent": True,
        "consent_version": "2026-11-21",
        "client_time": client_time,
    }


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def new_secret() -> str:
    return secrets.token_urlsafe(32)
