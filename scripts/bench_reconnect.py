"""The reconnect storm: many tablets deliver their offline queues at the same moment.

    .venv/bin/python scripts/bench_reconnect.py                   # 200 tablets x 100, both DBs
    .venv/bin/python scripts/bench_reconnect.py --tablets 5 --per-tablet 10 --backends sqlite

Each simulated tablet has its own binding cookie and behaves like
kiosk/static/js/sender.js: one request at a time, an item deleted only on 201
or 200; network errors, timeouts, 5xx, 408 and 429 back off (exponential, equal
jitter) and retry the same item with the same UUID; anything else is a refusal
that would go to "needs attention". Faults are injected: for a share of requests
the tablet hangs up right after sending, so the server may commit while the
tablet never hears back, and must retry. Afterwards the database is compared
with the UUIDs the tablets made.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

# A sibling module: `python scripts/x.py` puts scripts/ on the path; kiosk is installed.
from bench_common import (
    DEFAULT_PG_URL,
    Connection,
    Database,
    databases,
    encode,
    load_average,
    markdown_table,
    new_secret,
    post_request,
    realistic_payload,
    seed,
    serve,
)

RETRYABLE = {408, 429}  # as in sender.js, with every 5xx


@dataclass
class Tally:
    created: int = 0  # 201
    replayed: int = 0  # 200: the server already had it (a retry after a lost answer)
    refused: Counter[int] = field(default_factory=Counter)  # would go to "needs attention"
    retried_status: Counter[int] = field(default_factory=Counter)  # 5xx, 408, 429
    hung_up: int = 0  # injected: request sent, connection dropped before the answer
    errors: int = 0  # connection refused/reset, timeouts
    undelivered: int = 0  # still queued when the time limit hit
    finished_at: float = 0.0  # when the last queue emptied (seconds from the start)


@dataclass(frozen=True)
class Options:
    base: float  # seconds
    cap: float
    timeout: float
    hang_up_rate: float
    deadline: float  # monotonic time when every tablet gives up


@dataclass
class Tablet:
    """One tablet's queue and its sender state."""

    queue: deque[tuple[str, bytes]]  # (uuid, request bytes), oldest first
    rng: random.Random
    failures: int = 0

    def backoff(self, options: Options) -> float:
        """sender.js: ceiling doubles per failure; wait between half and all of it."""
        self.failures += 1
        ceiling = min(options.cap, options.base * 2 ** (self.failures - 1))
        return ceiling / 2 + self.rng.random() * ceiling / 2


async def _attempt(
    conn: Connection, request: bytes, tablet: Tablet, options: Options, tally: Tally
):
    """One try at the head of the queue: a status, or None for a network failure."""
    try:
        if tablet.rng.random() < options.hang_up_rate:
            await asyncio.wait_for(conn.send(request), options.timeout)
            conn.close()  # the server has the whole request; we never read the answer
            tally.hung_up += 1
            return None
        status, _ = await asyncio.wait_for(conn.exchange(request), options.timeout)
        return status
    except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError):
        conn.close()
        tally.errors += 1
        return None


async def run_tablet(port: int, tablet: Tablet, options: Options, tally: Tally, t0: float):
    conn = Connection(port)
    while tablet.queue and time.monotonic() < options.deadline:
        _, request = tablet.queue[0]
        status = await _attempt(conn, request, tablet, options, tally)
        if status in (201, 200):
            tablet.queue.popleft()
            tablet.failures = 0
            if status == 201:
                tally.created += 1
            else:
                tally.replayed += 1
        elif status is None or status >= 500 or status in RETRYABLE:
            if status is not None:
                tally.retried_status[status] += 1
            delay = tablet.backoff(options)
            await asyncio.sleep(min(delay, max(0.0, options.deadline - time.monotonic())))
        else:
            tally.refused[status] += 1  # sender.js moves it to "needs attention"
            tablet.queue.popleft()
    conn.close()
    tally.undelivered += len(tablet.queue)
    if not tablet.queue:
        tally.finished_at = max(tally.finished_at, time.monotonic() - t0)


def build_tablets(
    port: int, session_code: str, cookies: list[str], per_tablet: int, seed_value: int
):
    """Every queued sign-up is a different person-submission with its own UUID."""
    import uuid

    start = datetime.now(UTC) - timedelta(hours=1)
    tablets: list[Tablet] = []
    for t, cookie in enumerate(cookies):
        queue: deque[tuple[str, bytes]] = deque()
        for i in range(per_tablet):
            n = t * per_tablet + i
            signup_id = str(uuid.uuid4())
            # A distinct collection time per item keeps every submission's content unique.
            when = (start - timedelta(seconds=n)).isoformat()
            payload = {**realistic_payload(session_code, n, when), "id": signup_id}
            queue.append((signup_id, post_request(port, "/api/signups", cookie, encode(payload))))
        tablets.append(Tablet(queue, random.Random(seed_value * 100_003 + t)))
    return tablets


async def storm(port: int, tablets: list[Tablet], options: Options) -> Tally:
    tally = Tally()
    t0 = time.monotonic()
    await asyncio.gather(*(run_tablet(port, tablet, options, tally, t0) for tablet in tablets))
    return tally


@dataclass(frozen=True)
class Check:
    expected: int
    stored: int
    lost: int
    unexpected: int
    duplicated: int


def check_database(database: Database, expected_ids: set[str]) -> Check:
    """Compare the signup table with the UUIDs the tablets made."""
    from kiosk.models import Signup

    engine = sa.create_engine(database.url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(Signup.id, Signup.content_hash)).all()
    finally:
        engine.dispose()
    ids = {str(row.id) for row in rows}
    # The primary key makes a second row with one id impossible; a duplicate would be
    # the same submission stored under two ids, so count repeated content instead.
    duplicated = len(rows) - len({row.content_hash for row in rows})
    return Check(
        expected=len(expected_ids),
        stored=len(ids & expected_ids),
        lost=len(expected_ids - ids),
        unexpected=len(ids - expected_ids),
        duplicated=duplicated,
    )


@dataclass(frozen=True)
class Result:
    backend: str
    tablets: int
    per_tablet: int
    tally: Tally
    check: Check
    wall: float


def bench_database(database: Database, args: argparse.Namespace) -> Result:
    secret = new_secret()
    planted = seed(database, secret, tablets=args.tablets)
    with serve(database, secret, threads=args.threads) as server:
        tablets = build_tablets(
            server.port, planted.session_code, planted.cookies, args.per_tablet, args.seed
        )
        expected = {signup_id for tablet in tablets for signup_id, _ in tablet.queue}
        started = time.monotonic()
        options = Options(
            base=args.base_ms / 1000,
            cap=args.max_ms / 1000,
            timeout=args.timeout_ms / 1000,
            hang_up_rate=args.hang_up,
            deadline=started + args.max_seconds,
        )
        tally = asyncio.run(storm(server.port, tablets, options))
        wall = time.monotonic() - started
    check = check_database(database, expected)
    print(f"  {database.backend}: {check.stored} stored in {wall:.1f} s", file=sys.stderr)
    return Result(database.backend, args.tablets, args.per_tablet, tally, check, wall)


def passed(r: Result, limit: float) -> bool:
    c, t = r.check, r.tally
    return (
        c.stored == c.expected
        and c.lost == 0
        and c.unexpected == 0
        and c.duplicated == 0
        and not t.refused
        and t.undelivered == 0
        and t.finished_at <= limit
    )


def report(results: list[Result], args: argparse.Namespace) -> bool:
    header = ["Database", "Tablets × queue", "Stored", "Lost", "Duplicated", "409s"]
    header += ["Replays (200)", "Hung up (injected)", "Errors/timeouts", "5xx/408/429"]
    header += ["All stored after", "Rate", "Target met"]
    rows = []
    for r in results:
        t, c = r.tally, r.check
        rows.append(
            [
                r.backend,
                f"{r.tablets} × {r.per_tablet}",
                f"{c.stored:,} / {c.expected:,}",
                str(c.lost),
                str(c.duplicated + c.unexpected),
                str(t.refused.get(409, 0)),
                str(t.replayed),
                str(t.hung_up),
                str(t.errors),
                str(sum(t.retried_status.values())),
                f"{t.finished_at:.1f} s" if not t.undelivered else "not all",
                f"{c.stored / max(t.finished_at, 1e-9):.0f}/s",
                "yes" if passed(r, args.target_seconds) else "**no**",
            ]
        )
    print(markdown_table(header, rows))
    print(
        f"\nEach tablet sends its queue one request at a time like sender.js (equal-jitter "
        f"backoff {args.base_ms:g} ms doubling to {args.max_ms:g} ms, {args.timeout_ms:g} ms "
        f"timeout) and hangs up after sending {args.hang_up:.0%} of requests. Server: "
        f"`flask --app kiosk serve --threads {args.threads}` (waitress) in its own process; "
        "load from one asyncio process on 127.0.0.1, one keep-alive connection per tablet. "
        f"Target: everything stored within {args.target_seconds:g} s. "
        f"Load average at the end: {load_average()}."
    )
    for r in results:
        if r.tally.refused or r.tally.retried_status:
            print(
                f"\n{r.backend}: refusals {dict(r.tally.refused)}, "
                f"retried statuses {dict(r.tally.retried_status)}"
            )
    return all(passed(r, args.target_seconds) for r in results)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--per-tablet", type=int, default=100)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--threads", type=int, default=32, help="waitress threads (serve default)")
    parser.add_argument("--hang-up", type=float, default=0.02, help="share of requests dropped")
    parser.add_argument("--base-ms", type=float, default=2000, help="sender.js baseMs")
    parser.add_argument("--max-ms", type=float, default=300_000, help="sender.js maxMs")
    parser.add_argument("--timeout-ms", type=float, default=15_000, help="sender.js timeoutMs")
    parser.add_argument("--max-seconds", type=float, default=300, help="hard stop for the storm")
    parser.add_argument("--target-seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=1, help="fault injection and jitter")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    if not (0 < args.tablets <= 1000 and 0 < args.per_tablet <= 10_000):
        parser.error("tablets must be 1..1000 and per-tablet 1..10000")
    if not (0 <= args.hang_up < 1 and 0 < args.max_seconds <= 3600):
        parser.error("hang-up must be in [0, 1) and max-seconds in (0, 3600]")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"load average before: {load_average()}", file=sys.stderr)
    results: list[Result] = []
    with databases(args.backends.split(","), args.pg_url) as each:
        for database in each:
            results.append(bench_database(database, args))
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
