"""Relay mode under load: three booth laptops forward what they collected while the city was away.

    .venv/bin/python scripts/bench_relay.py                      # 3 laptops x 20 tablets x 100
    .venv/bin/python scripts/bench_relay.py --laptops 1 --tablets 2 --per-tablet 5 --backends sqlite

One upstream (`flask --app kiosk serve`, waitress, on PostgreSQL unless
`--backends sqlite`) and N laptops (waitress on SQLite, relay mode, each with its
own relay credential). The laptops copy the city's sessions, then the city goes
away; each laptop's tablets sign up their people while it is unreachable (the
laptops' timers keep failing and back off). Then the city comes back on the same
port, and the script measures how long until the first and the last sign-up are
stored there (the first is mostly the laptops' backoff), and
compares the rows with the UUIDs the tablets made: lost and duplicated must be 0.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

import sqlalchemy as sa
from bench_common import (
    DEFAULT_PG_URL,
    PASSWORD,
    Connection,
    Database,
    databases,
    encode,
    free_port,
    load_average,
    markdown_table,
    new_secret,
    post_request,
    realistic_payload,
    serve,
    sqlite_database,
)

TOWNS = ["瀛海镇总工会", "旧宫镇总工会", "西红门镇总工会", "亦庄镇总工会", "黄村镇总工会"]


@dataclass
class Laptop:
    database: Database
    secret: str
    token: str
    code: str
    cookies: list[str]


def seed_upstream(database: Database, secret: str, laptops: int) -> list[tuple[str, str]]:
    """Migrate the city's database; one town, open session and relay credential per laptop."""
    from kiosk import create_app
    from kiosk.database import upgrade
    from kiosk.extensions import db
    from kiosk.models import Organisation, StaffUser
    from kiosk.relay import credentials

    app = create_app({"SECRET_KEY": secret, "DATABASE_URL": database.url})
    with app.app_context():
        upgrade()
    runner = app.test_cli_runner()
    runner.invoke(args=["org", "create", "大兴区总工会", "--level", "district"])
    runner.invoke(args=["user", "create", "admin", "--admin", "--password", PASSWORD])
    made = []
    for town in TOWNS[:laptops]:
        runner.invoke(
            args=["org", "create", town, "--level", "subdistrict", "--parent", "大兴区总工会"]
        )
        result = runner.invoke(
            args=["session", "create", f"{town}沟通会", "--org", town, "--open"]
            + ["--start", "2026-01-01T09:00", "--end", "2030-01-01T09:00"]
        )
        code = result.output.strip().splitlines()[-1]
        with app.test_request_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.name == town))
            admin = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "admin"))
            _credential, token = credentials.issue(org, f"{town}笔记本", admin)
        made.append((code, token))
    with app.app_context():
        db.engine.dispose()
    return made


def seed_laptop(database: Database, upstream_url: str, token: str, code: str, tablets: int):
    """Migrate, copy the city's sessions (the city is up now), bind the tablets."""
    from kiosk import create_app
    from kiosk import tablets as bindings
    from kiosk.accounts import hash_password
    from kiosk.database import upgrade
    from kiosk.extensions import db
    from kiosk.models import OutreachSession, StaffUser
    from kiosk.relay import pull

    secret = new_secret()
    app = create_app(
        {
            "SECRET_KEY": secret,
            "DATABASE_URL": database.url,
            "UPSTREAM_URL": upstream_url,
            "UPSTREAM_TOKEN": token,
        }
    )
    with app.test_request_context():
        upgrade()
        pull.pull()
        session = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
        staff = StaffUser(
            username="booth",
            password_hash=hash_password(PASSWORD),
            organisation_id=session.organisation_id,
        )
        db.session.add(staff)
        db.session.commit()
        cookies = [
            bindings.token_for(bindings.bind(session, staff, f"平板{i}")) for i in range(tablets)
        ]
        db.engine.dispose()
    return Laptop(database, secret, token, code, cookies)


async def tablet(port: int, cookie: str, code: str, start: int, count: int) -> list[str]:
    """One tablet signing up `count` people, one request at a time; the ids stored (201)."""
    connection = Connection(port)
    made = []
    for n in range(start, start + count):
        payload = realistic_payload(code, n, "2026-12-02T10:00:00+08:00")
        payload["id"] = str(uuid.uuid4())
        status, _body = await connection.exchange(
            post_request(port, "/api/signups", cookie, encode(payload))
        )
        if status != 201:
            raise RuntimeError(f"laptop answered {status}")
        made.append(payload["id"])
    connection.close()
    return made


async def feed(ports: list[int], laptops: list[Laptop], per_tablet: int) -> list[str]:
    jobs = []
    for index, (port, laptop) in enumerate(zip(ports, laptops, strict=True)):
        for t, cookie in enumerate(laptop.cookies):
            start = (index * 1000 + t) * per_tablet
            jobs.append(tablet(port, cookie, laptop.code, start, per_tablet))
    return [id_ for ids in await asyncio.gather(*jobs) for id_ in ids]


def stored_upstream(database: Database) -> tuple[int, set[str]]:
    engine = sa.create_engine(database.url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            ids = [str(i) for i in connection.scalars(sa.text("SELECT id FROM signup"))]
    finally:
        engine.dispose()
    return len(ids), {str(uuid.UUID(i)) for i in ids}


def count_upstream(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text("SELECT count(*) FROM signup")) or 0


def run(args: argparse.Namespace, upstream_db: Database) -> list[str]:
    upstream_secret, port = new_secret(), free_port()
    upstream_url = f"http://127.0.0.1:{port}"
    made = seed_upstream(upstream_db, upstream_secret, args.laptops)
    laptop_env = {
        "KIOSK_UPSTREAM_URL": upstream_url,
        "KIOSK_BACKUP_INTERVAL_HOURS": "0",
    }
    with ExitStack() as stack:
        laptop_dbs = [stack.enter_context(sqlite_database()) for _ in made]
        with serve(upstream_db, upstream_secret, 32, port=port):
            laptops = [
                seed_laptop(database, upstream_url, token, code, args.tablets)
                for database, (code, token) in zip(laptop_dbs, made, strict=True)
            ]
        # The city is gone now; the laptops serve their tablets regardless.
        servers = [
            stack.enter_context(
                serve(
                    laptop.database,
                    laptop.secret,
                    32,
                    env_extra={**laptop_env, "KIOSK_UPSTREAM_TOKEN": laptop.token},
                )
            )
            for laptop in laptops
        ]
        fed_at = time.monotonic()
        ids = asyncio.run(feed([s.port for s in servers], laptops, args.per_tablet))
        feed_seconds = time.monotonic() - fed_at
        time.sleep(args.offline_after)  # the laptops' retries back off meanwhile
        engine = sa.create_engine(
            upstream_db.url.replace("postgresql://", "postgresql+psycopg://", 1)
        )
        with serve(upstream_db, upstream_secret, 32, port=port):
            back = time.monotonic()
            deadline = back + args.timeout
            first = None
            while (stored := count_upstream(engine)) < len(ids) and time.monotonic() < deadline:
                if first is None and stored:
                    first = time.monotonic() - back
                time.sleep(0.2)
            arrived = time.monotonic() - back
            time.sleep(1)  # anything still in flight would show up as a duplicate now
        engine.dispose()
    rows, unique = stored_upstream(upstream_db)
    expected = set(ids)
    lost = len(expected - unique)
    duplicated = rows - len(unique & expected)
    return [
        f"{args.laptops} × {args.tablets} × {args.per_tablet}",
        upstream_db.backend,
        str(len(ids)),
        str(rows),
        str(lost),
        str(duplicated),
        f"{feed_seconds:.1f}",
        f"{first if first is not None else arrived:.1f}",
        f"{arrived:.1f}" if not lost else f"> {args.timeout:.0f}",
        load_average(),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=3)
    parser.add_argument("--tablets", type=int, default=20, help="per laptop")
    parser.add_argument("--per-tablet", type=int, default=100)
    parser.add_argument("--offline-after", type=float, default=5.0, help="seconds after feeding")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--backends", default="postgres", help="the city's database")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args()
    if not 1 <= args.laptops <= len(TOWNS):
        raise SystemExit(f"--laptops must be 1 to {len(TOWNS)}")
    rows = []
    with databases(args.backends.split(","), args.pg_url) as each:
        for upstream_db in each:
            rows.append(run(args, upstream_db))
    print(
        markdown_table(
            [
                "Laptops × tablets × sign-ups",
                "City database",
                "Made",
                "Stored upstream",
                "Lost",
                "Duplicated",
                "Feeding (s)",
                "First row (s)",
                "Time to arrive (s)",
                "Load (1/5/15 min)",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    main()
