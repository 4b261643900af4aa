"""City-scale demo data (`flask --app kiosk demo --scale city`), bulk-inserted with Core.

Everything here is invented and says so: organisations are named 演示…, people
演示登记者…, and every phone number starts with 100. No mainland mobile number
starts with 100 (they start with 13–19), so these numbers cannot reach anyone.
The data is drawn from a seeded random generator, so two runs produce the same
city apart from session codes and the dates, which follow today's date.

Rows are inserted with SQLAlchemy Core `insert()` and a list of parameter sets
(executemany, insertmanyvalues on PostgreSQL), a chunk at a time, so 700,000
sign-ups neither build 700,000 ORM objects nor hold them in memory at once.
"""

from __future__ import annotations

import hashlib
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from kiosk import privacy
from kiosk.accounts import create_user
from kiosk.cadence.months import BEIJING, Month
from kiosk.extensions import db
from kiosk.models import (
    FollowUp,
    Organisation,
    OutreachSession,
    Signup,
    Site,
    StaffUser,
    new_session_code,
    utcnow,
)

CHUNK = 10_000  # rows per executemany: large enough to be fast, small enough to stay lean
FAKE_PHONE_PREFIX = "100"  # no mainland mobile number starts with 100
CITY_ADMIN = ("city-admin", "demo-city-2026")
DISTRICT_ADMIN = ("district-admin", "demo-district-2026")
DEMO_ID_PREFIX = 0xDE30_0000_0000_0000 << 64  # demo sign-up ids: this prefix and a counter
CANCEL_REASON = "演示：天气原因取消"

# Occupation keys (kiosk.choices.OCCUPATIONS) with how often each is drawn, and the
# platforms a person of that occupation names; None is a blank employer field.
OCCUPATION_MIX: list[tuple[str, int, tuple[str | None, ...]]] = [
    ("food_delivery", 40, ("美团", "饿了么")),
    ("courier", 25, ("顺丰", "京东物流", "中通快递", "圆通速递", "韵达快递")),
    ("delivery", 10, ("闪送", "达达")),
    ("ride_hailing", 10, ("滴滴出行", "曹操出行", "T3出行")),
    ("truck_driver", 5, ("货拉拉", "满帮")),
    ("domestic", 5, ("58到家", None)),
    ("other", 5, (None,)),
]
OCCUPATION_CUMULATIVE = list(itertools.accumulate(w for _, w, _ in OCCUPATION_MIX))
INTEREST_KEYS = ("health_check", "legal", "mutual_aid", "recreation", "training", "haircut")
# Follow-up status of a person who signed up, and how often; "pending" writes no row.
FOLLOW_UP_MIX = (("pending", 40), ("contacted", 30), ("joined", 20), ("unreachable", 5))
FOLLOW_UP_MIX += (("declined", 5),)


@dataclass(frozen=True)
class Scale:
    districts: int
    unions: int  # street and town unions (街道/镇), spread evenly over the districts
    months: int  # the months up to and including the current one
    signups_per_session: int  # on average, at a session that has been held


SCALES = {
    "city": Scale(districts=16, unions=330, months=12, signups_per_session=32),
    "district": Scale(districts=1, unions=20, months=12, signups_per_session=32),
    "town": Scale(districts=1, unions=2, months=2, signups_per_session=4),
}


@dataclass
class Seeded:
    organisations: int = 0
    sessions: int = 0
    signups: int = 0
    follow_ups: int = 0


def district_name(number: int) -> str:
    return f"演示{number:02d}区总工会"


def union_name(district: int, number: int) -> str:
    kind = "街道" if number % 3 else "镇"
    return f"演示{district:02d}区第{number:03d}{kind}总工会"


def _bulk(table: sa.Table, rows: Iterator[dict[str, object]]) -> int:
    """Insert `rows` a chunk at a time with one Core INSERT; returns how many.

    The statement is compiled once for the database in use and run as the
    driver's executemany, each value converted by its column's own type (the
    conversion SQLAlchemy applies itself). Skipping SQLAlchemy's per-row
    parameter bookkeeping makes 700,000 sign-ups several times faster.
    """
    first = next(rows, None)
    if first is None:
        return 0
    dialect = db.session.get_bind().dialect
    keys = list(first)
    compiled = sa.insert(table).compile(dialect=dialect, column_keys=keys)
    order = list(compiled.positiontup) if compiled.positional else keys
    convert = [(k, table.c[k].type.dialect_impl(dialect).bind_processor(dialect)) for k in order]

    def parameters(row: dict[str, object]) -> tuple | dict:
        values = [f(row[k]) if f else row[k] for k, f in convert]
        return tuple(values) if compiled.positional else dict(zip(order, values, strict=True))

    connection = db.session.connection()
    count, chunk = 0, [parameters(first)]
    for row in rows:
        chunk.append(parameters(row))
        if len(chunk) == CHUNK:
            connection.exec_driver_sql(str(compiled), chunk)
            count, chunk = count + len(chunk), []
    connection.exec_driver_sql(str(compiled), chunk)
    return count + len(chunk)


@contextmanager
def _indexes_rebuilt_after(table: sa.Table) -> Iterator[None]:
    """Drop `table`'s secondary indexes for a bulk load and build them again after it.

    Building an index once from all the rows is far cheaper than updating it
    700,000 times. Both databases run DDL inside the transaction, so a failed
    seed leaves the indexes as they were.
    """
    connection = db.session.connection()
    for index in table.indexes:
        index.drop(connection)
    yield
    for index in table.indexes:
        index.create(connection)


def _ids(column: sa.ColumnElement[int], key: sa.ColumnElement[str], keys: list[str]) -> list[int]:
    found = dict(db.session.execute(sa.select(key, column).where(key.in_(keys))).all())
    return [found[k] for k in keys]


def _nth_weekdays(month: Month, weekday: int) -> list[date]:
    """Every date in `month` that falls on `weekday` (Monday is 0)."""
    day = month.first_day + timedelta(days=(weekday - month.first_day.weekday()) % 7)
    found = []
    while day <= month.last_day:
        found.append(day)
        day += timedelta(days=7)
    return found


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


@dataclass(frozen=True)
class PlannedSession:
    code: str
    kind: str
    organisation_id: int
    site_id: int | None
    starts_at: datetime
    ends_at: datetime


def _union_sessions(month: Month, index: int, org_id: int, site_id: int) -> Iterator[tuple]:
    """Four worker sessions and two enterprise sessions, on weekdays that vary by union."""
    worker_days = _nth_weekdays(month, index % 5)[:4]
    enterprise_days = _nth_weekdays(month, (index + 2) % 5)
    for day in worker_days:
        yield "worker", org_id, site_id, _at(day, 14), _at(day, 17)
    for day in (enterprise_days[1], enterprise_days[3]):
        yield "enterprise", org_id, site_id, _at(day, 10), _at(day, 12)


def seed_city(scale: Scale, now: datetime | None = None, rng_seed: int = 2026) -> Seeded:
    """Seed `scale`'s organisations, a session calendar, sign-ups and follow-ups.

    Refuses (ValueError) if the demo city is already there: run it on a fresh database.
    """
    now = now or utcnow()
    rng = random.Random(rng_seed)  # noqa: S311 - demo data, not secrets
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.name == district_name(1))):
        raise ValueError("演示城市数据已存在；请在新数据库上运行。")
    seeded = Seeded()
    months = [Month.of(now)]
    while len(months) < scale.months:
        months.insert(0, months[0].previous())

    # Organisations: districts, then the unions under them.
    districts = [district_name(d + 1) for d in range(scale.districts)]
    org = Organisation.__table__
    seeded.organisations += _bulk(
        org,
        ({"name": n, "level": "district", "parent_id": None, "created_at": now} for n in districts),
    )
    district_ids = _ids(Organisation.id, Organisation.name, districts)
    unions: list[tuple[str, int]] = []  # (name, parent id)
    for i in range(scale.unions):
        d = i % scale.districts
        unions.append((union_name(d + 1, i // scale.districts + 1), district_ids[d]))
    seeded.organisations += _bulk(
        org,
        ({"name": n, "level": "subdistrict", "parent_id": p, "created_at": now} for n, p in unions),
    )
    union_ids = _ids(Organisation.id, Organisation.name, [n for n, _ in unions])
    _bulk(
        Site.__table__,
        ({"name": "服务站（演示）", "organisation_id": u, "created_at": now} for u in union_ids),
    )
    site_of = dict(
        db.session.execute(
            sa.select(Site.organisation_id, Site.id).where(Site.organisation_id.in_(union_ids))
        ).all()
    )

    # Sessions: six per union per month, the district session on every third Thursday.
    planned: list[PlannedSession] = []
    codes: set[str] = set()
    for month in months:
        shape: list[tuple] = []
        for index, union_id in enumerate(union_ids):
            shape.extend(_union_sessions(month, index, union_id, site_of[union_id]))
        for district_id in district_ids:
            third = month.third_thursday
            shape.append(("district", district_id, None, _at(third, 14), _at(third, 16, 30)))
        for kind, org_id, site_id, starts, ends in shape:
            code = new_session_code()
            while code in codes:
                code = new_session_code()
            codes.add(code)
            planned.append(PlannedSession(code, kind, org_id, site_id, starts, ends))
    cancelled = {p.code for p in planned if p.kind != "district" and rng.random() < 0.02}
    seeded.sessions = _bulk(OutreachSession.__table__, _session_rows(planned, cancelled, now))
    session_ids = dict(
        db.session.execute(
            sa.select(OutreachSession.code, OutreachSession.id).where(
                OutreachSession.organisation_id.in_(union_ids + district_ids)
            )
        ).all()
    )
    held = sorted(
        (p for p in planned if p.code not in cancelled and p.ends_at <= now),
        key=lambda p: p.starts_at,
    )

    # Sign-ups and follow-ups: each union draws from its own pool of people, so
    # people come back; a person's follow-up row belongs to that union.
    first_seen: dict[tuple[int, int], datetime] = {}
    org_index = {org_id: i for i, org_id in enumerate(union_ids + district_ids)}
    consent = privacy.notice_version()
    per_union = scale.signups_per_session * 6 * scale.months
    pool = max(per_union * 6 // 10, 1)
    with _indexes_rebuilt_after(Signup.__table__):
        seeded.signups = _bulk(
            Signup.__table__,
            _signup_rows(held, session_ids, org_index, pool, scale, rng, consent, first_seen),
        )
    seeded.follow_ups = _bulk(FollowUp.__table__, _follow_up_rows(first_seen, org_index, now, rng))
    db.session.commit()
    # Fresh statistics for the planner: without them PostgreSQL plans the report's
    # joins over 700,000 new rows badly (10× slower) until autovacuum catches up.
    # Only the tables loaded here: a shared server may hold many other schemas.
    for table in (Organisation, OutreachSession, Signup, FollowUp):
        db.session.execute(sa.text(f"ANALYZE {table.__tablename__}"))
    db.session.commit()

    for (username, password), org_id in ((CITY_ADMIN, None), (DISTRICT_ADMIN, district_ids[0])):
        if db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == username)):
            continue
        create_user(username, password, organisation_id=org_id, is_admin=org_id is None)
    return seeded


def _session_rows(
    planned: list[PlannedSession], cancelled: set[str], now: datetime
) -> Iterator[dict[str, object]]:
    for p in planned:
        status = "cancelled" if p.code in cancelled else "closed" if p.ends_at <= now else "planned"
        label = {"worker": "职工沟通会", "enterprise": "企业沟通会", "district": "区级沟通会"}
        yield {
            "code": p.code,
            "kind": p.kind,
            "title": f"{label[p.kind]}（演示）",
            "organisation_id": p.organisation_id,
            "site_id": p.site_id,
            "starts_at": p.starts_at,
            "ends_at": p.ends_at,
            "status": status,
            "closed_at": p.ends_at if status == "closed" else None,
            "cancel_reason": CANCEL_REASON if status == "cancelled" else None,
            "cancelled_at": p.starts_at - timedelta(days=1) if status == "cancelled" else None,
            "notes": None,
            "created_at": p.starts_at - timedelta(days=20),
        }


@dataclass(frozen=True)
class Person:
    name: str
    phone: str
    occupation: str
    occupation_other: str | None
    employer: str | None
    interests: list[str]


def _people(rng: random.Random, union_index: int) -> Callable[[int], Person]:
    """Person n of a union, the same at every sign-up they make."""
    cache: dict[int, Person] = {}

    def of(n: int) -> Person:
        if n not in cache:
            key, _, employers = rng.choices(OCCUPATION_MIX, cum_weights=OCCUPATION_CUMULATIVE)[0]
            cache[n] = Person(
                name=f"演示登记者{union_index:03d}{n:05d}",
                phone=phone(union_index, n),
                occupation=key,
                occupation_other="演示职业" if key == "other" else None,
                employer=rng.choice(employers),
                interests=rng.sample(INTEREST_KEYS, rng.choice((0, 1, 1, 2))),
            )
        return cache[n]

    return of


def _signup_rows(
    held: list[PlannedSession],
    session_ids: dict[str, int],
    org_index: dict[int, int],
    pool: int,
    scale: Scale,
    rng: random.Random,
    consent: str,
    first_seen: dict[tuple[int, int], datetime],
) -> Iterator[dict[str, object]]:
    people: dict[int, Callable[[int], Person]] = {}
    counter = itertools.count(1)
    low, high = scale.signups_per_session * 2 // 3, scale.signups_per_session * 4 // 3
    for p in held:
        if p.organisation_id not in people:
            people[p.organisation_id] = _people(rng, org_index[p.organisation_id])
        person_of = people[p.organisation_id]
        session_id = session_ids[p.code]
        minutes = int((p.ends_at - p.starts_at).total_seconds() // 60)
        for _ in range(low + int(rng.random() * (high - low + 1))):
            n = int(rng.random() * pool)
            person = person_of(n)
            at = p.starts_at + timedelta(seconds=int(rng.random() * minutes * 60))
            key = (p.organisation_id, n)
            if key not in first_seen or at < first_seen[key]:
                first_seen[key] = at
            # Ascending ids (a fixed demo prefix and a counter) keep the primary
            # key's index append-only while loading; a tablet's ids are random.
            signup_id = uuid.UUID(int=DEMO_ID_PREFIX | next(counter), version=4)
            yield {
                "id": signup_id,
                "session_id": session_id,
                "name": person.name,
                "phone": person.phone,
                "occupation": person.occupation,
                "occupation_other": person.occupation_other,
                "employer": person.employer,
                "area": None,
                "interests": person.interests,
                "consent_version": consent,
                "consented_at": at,
                "source": "phone" if rng.random() < 0.15 else "kiosk",
                "tablet_id": None,
                "client_time": None,  # the tablet's clock: not needed for the demo
                "created_at": at,
                # A fingerprint of the demo row (no client will ever re-send it).
                "content_hash": hashlib.sha256(signup_id.bytes).hexdigest(),
            }


def phone(union_index: int, person: int) -> str:
    """An 11-digit number that no mainland mobile can have: 100, the union, the person."""
    return f"{FAKE_PHONE_PREFIX}{union_index:03d}{person:05d}"


def _follow_up_rows(
    first_seen: dict[tuple[int, int], datetime],
    org_index: dict[int, int],
    now: datetime,
    rng: random.Random,
) -> Iterator[dict[str, object]]:
    statuses = [s for s, _ in FOLLOW_UP_MIX]
    cumulative = list(itertools.accumulate(w for _, w in FOLLOW_UP_MIX))
    for (org_id, n), seen in sorted(first_seen.items(), key=lambda item: item[0]):
        status = rng.choices(statuses, cum_weights=cumulative)[0]
        if status == "pending":
            continue
        index = org_index[org_id]
        joined_on = None
        if status == "joined":
            joined_on = min(
                (seen + timedelta(days=rng.randrange(21))).astimezone(BEIJING).date(),
                now.astimezone(BEIJING).date(),
            )
        yield {
            "organisation_id": org_id,
            "phone": phone(index, n),
            "status": status,
            "note": None,
            "joined_on": joined_on,
            "updated_by_id": None,
            "updated_at": now,
        }
