"""Staff pages at city scale, on SQLite and PostgreSQL, printed side by side in one table.

    .venv/bin/python scripts/bench_admin.py            # the city: 16 districts, 330 unions, a year
    .venv/bin/python scripts/bench_admin.py --quick    # a tiny city, for the smoke test

For each database: a fresh database seeded by the real command (`flask --app kiosk
demo --scale city`, timed), then the real server (`flask --app kiosk serve`,
waitress) in its own process. Over HTTP, as the demo's staff accounts:

- 月度达标 for the whole city, as the city admin (`/admin/cadence`, last month);
- a district's 月度报告 rolled up over its unions, as that district's admin;
- the sign-up list filtered by a month and an occupation, as the district's admin;
- a CSV export of about 100,000 sign-ups (a date range chosen to hold that many),
  as the city admin: time, size, the server's RSS growth (sampled from /proc while
  it streams), and how many progress readings 导出进度 gave during the download.

Each page is fetched once to warm up, then --requests times; p50 and p95 in ms.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import (  # noqa: E402
    DEFAULT_PG_URL,
    HOST,
    PROJECT_ROOT,
    Database,
    databases,
    load_average,
    markdown_table,
    new_secret,
    percentile,
    serve,
)

from kiosk import create_app, demo_city  # noqa: E402
from kiosk.cadence.months import BEIJING, Month  # noqa: E402

PAGE_TARGET_MS = 300.0
RSS_TARGET_MB = 100.0


@dataclass
class Result:
    backend: str
    seed_s: float = 0.0
    counts: str = ""
    pages: dict[str, list[float]] = field(default_factory=dict)  # name -> ms per request
    export_rows: int = 0
    export_s: float = 0.0
    export_mb: float = 0.0
    rss_growth_mb: float = 0.0
    progress_seen: int = 0  # readings of 导出进度 between 0 and all rows


def _env(database: Database, secret: str) -> dict[str, str]:
    return {**os.environ, "KIOSK_SECRET_KEY": secret, "KIOSK_DATABASE_URL": database.url}


def seed(database: Database, secret: str, scale: str, result: Result) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "kiosk"]
    env = _env(database, secret)
    subprocess.run([*flask, "db", "upgrade"], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(
        [*flask, "demo", "--scale", scale], cwd=PROJECT_ROOT, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    result.seed_s = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"demo --scale {scale} failed: {done.stdout}{done.stderr}")
    result.counts = done.stdout.splitlines()[0].split("：", 1)[1].split("（")[0]


def login(port: int, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=f"http://{HOST}:{port}", timeout=300)
    token = _token(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"csrf_token": token, "username": username, "password": password}
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")
    return client


def csrf(client: httpx.Client) -> str:
    """A form token from a light page (the password form)."""
    return _token(client.get("/admin/password").text)


def _token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not found:
        raise RuntimeError("no form token on the page")
    return found.group(1)


def timed_pages(client: httpx.Client, path: str, requests: int) -> list[float]:
    client.get(path).raise_for_status()  # warm-up: caches, connection
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return sorted(times)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def export_range(app: Flask, rows: int) -> tuple[date, date, int]:
    """The fewest whole Beijing days, ending yesterday, holding at least `rows` sign-ups."""
    from kiosk.admin.queries import day_start
    from kiosk.extensions import db
    from kiosk.models import Signup

    def count(first: date, last: date) -> int:
        return db.session.scalar(
            sa.select(sa.func.count(Signup.id)).where(
                Signup.created_at >= day_start(first),
                Signup.created_at < day_start(last + timedelta(days=1)),
            )
        )

    last = datetime.now(BEIJING).date() - timedelta(days=1)
    low, high = 0, 400  # days before `last`: too few, enough (or everything there is)
    while high - low > 1:
        middle = (low + high) // 2
        if count(last - timedelta(days=middle), last) >= rows:
            high = middle
        else:
            low = middle
    first = last - timedelta(days=high)
    return first, last, count(first, last)


def measure_export(
    port: int, pid: int, client: httpx.Client, app: Flask, rows: int, result: Result
) -> None:
    with app.app_context():
        first, last, expected = export_range(app, rows)
    export_id = f"bench-{os.getpid()}-export"
    form = {
        "csrf_token": csrf(client),
        "format": "csv",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "export_id": export_id,
    }
    baseline = rss_mb(pid)
    peak = [baseline]
    stop = threading.Event()
    progress: list[int] = []

    def sample() -> None:
        watcher = httpx.Client(base_url=f"http://{HOST}:{port}", cookies=client.cookies)
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mb(pid))
            reply = watcher.get(f"/admin/exports/{export_id}.json")
            if reply.status_code == 200:
                data = reply.json()
                if 0 < data["written"] < data["total"]:
                    progress.append(data["written"])
            stop.wait(0.05)
        watcher.close()

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    started = time.monotonic()
    size, lines = 0, 0
    with client.stream("POST", "/admin/signups/export", data=form) as response:
        response.raise_for_status()
        if "content-length" in response.headers:
            raise RuntimeError("the export was not streamed")
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")  # one byte: never split between two chunks
    result.export_s = time.monotonic() - started
    stop.set()
    watcher.join()
    result.export_rows = lines - 1  # the header line
    if result.export_rows != expected:
        print(f"  warning: exported {result.export_rows} rows, expected {expected}", flush=True)
    result.export_mb = size / 1e6
    result.rss_growth_mb = peak[0] - baseline
    result.progress_seen = len(set(progress))


def run(database: Database, args: argparse.Namespace) -> Result:
    result = Result(database.backend)
    secret = new_secret()
    seed(database, secret, args.scale, result)
    month = Month.current().previous()
    app = create_app({"SECRET_KEY": secret, "DATABASE_URL": database.url})
    with app.app_context():
        from kiosk.extensions import db
        from kiosk.models import Organisation

        district_id = db.session.scalar(
            sa.select(Organisation.id).where(Organisation.name == demo_city.district_name(1))
        )
    with serve(database, secret, threads=8) as server:
        city = login(server.port, *demo_city.CITY_ADMIN)
        district = login(server.port, *demo_city.DISTRICT_ADMIN)
        pages = {
            "cadence": (city, f"/admin/cadence?month={month}"),
            "report": (
                district,
                f"/admin/reports/month?org={district_id}&month={month}&subtree=1",
            ),
            "signups": (
                district,
                f"/admin/signups?from={month.first_day}&to={month.last_day}"
                "&occupation=food_delivery",
            ),
        }
        for name, (client, path) in pages.items():
            result.pages[name] = timed_pages(client, path, args.requests)
        measure_export(server.port, server.pid, city, app, args.export_rows, result)
        city.close()
        district.close()
    with app.app_context():
        from kiosk.extensions import db

        db.engine.dispose()
    return result


def _ms(times: list[float]) -> str:
    p95 = percentile(times, 0.95)
    mark = "" if p95 <= PAGE_TARGET_MS else " ✗"
    return f"{percentile(times, 0.5):.0f} / **{p95:.0f}**{mark}"


def table(results: list[Result], args: argparse.Namespace) -> str:
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    rows = [
        ["Seed: `demo --scale " + args.scale + "` (s)", *[f"{r.seed_s:.1f}" for r in results]],
        ["Seeded", *[r.counts for r in results]],
        [
            "月度达标, whole city, city admin: p50 / p95 ms",
            *[_ms(r.pages["cadence"]) for r in results],
        ],  # noqa: E501
        [
            "月度报告, a district rolled up: p50 / p95 ms",
            *[_ms(r.pages["report"]) for r in results],
        ],  # noqa: E501
        [
            "登记 list, month + occupation filter: p50 / p95 ms",
            *[_ms(r.pages["signups"]) for r in results],
        ],  # noqa: E501
        ["Export: rows (CSV)", *[f"{r.export_rows:,}" for r in results]],
        [
            "Export: time (s) / size (MB)",
            *[f"{r.export_s:.1f} / {r.export_mb:.1f}" for r in results],
        ],  # noqa: E501
        ["Export: server RSS growth (MB)", *[f"**{r.rss_growth_mb:.1f}**" for r in results]],
        ["Export: progress readings during download", *[str(r.progress_seen) for r in results]],
    ]
    return markdown_table(["Measure", *[names[r.backend] for r in results]], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--scale", choices=sorted(demo_city.SCALES), default="city")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument(
        "--quick", action="store_true", help="tiny city, 3 requests a page: the smoke test"
    )
    args = parser.parse_args()
    if args.quick:
        args.scale, args.requests, args.export_rows = "town", 3, 50
    print(f"load average before: {load_average()}", flush=True)
    results = []
    with databases(args.backends.split(","), args.pg_url) as each:
        for database in each:
            print(f"{database.backend}: seeding {args.scale} …", flush=True)
            results.append(run(database, args))
            print(table(results[-1:], args), flush=True)  # kept even if a later backend fails
    print(f"load average after: {load_average()}\n")
    print(table(results, args))
    failed = [
        f"{r.backend} {name} p95"
        for r in results
        for name, times in r.pages.items()
        if percentile(times, 0.95) > PAGE_TARGET_MS
    ] + [f"{r.backend} export RSS" for r in results if r.rss_growth_mb > RSS_TARGET_MB]
    print(
        f"\nTargets: pages p95 ≤ {PAGE_TARGET_MS:.0f} ms; "
        f"export RSS growth ≤ {RSS_TARGET_MB:.0f} MB"
        + (f"; **missed**: {', '.join(failed)}" if failed else "; **met**.")
    )


if __name__ == "__main__":
    main()
