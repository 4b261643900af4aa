"""Reading sign-ups: the filter staff set on the list, and people grouped by phone number.

A "person" is one phone number within one organisation, the same key as the
FollowUp row: each town union follows up its own sign-ups.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from kiosk.admin.exports import FollowUpState
from kiosk.choices import FOLLOW_UP_STATUSES, OCCUPATIONS
from kiosk.extensions import db
from kiosk.models import AttentionItem, FollowUp, OutreachSession, Signup
from kiosk.scoping import Scope, in_scope, scoped
from kiosk.signups.fields import BY_NAME

BEIJING = ZoneInfo("Asia/Shanghai")
PAGE_SIZE = 50
EXPORT_BATCH = 1000

STATUS = sa.func.coalesce(FollowUp.status, "pending")
ORG = OutreachSession.organisation_id


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def parse_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass
class Filters:
    """What the sign-up list is narrowed to; parsed leniently (bad values are ignored)."""

    session_id: int | None = None
    org_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    occupation: str = ""
    employer: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> Filters:
        occupation = args.get("occupation", "")
        status = args.get("status", "")
        return cls(
            session_id=_int(args.get("session")),
            org_id=_int(args.get("org")),
            date_from=parse_date(args.get("from")),
            date_to=parse_date(args.get("to")),
            occupation=occupation if occupation in OCCUPATIONS else "",
            employer=args.get("employer", "").strip()[: BY_NAME["employer"].max_length],
            status=status if status in FOLLOW_UP_STATUSES else "",
            q=args.get("q", "").strip()[:40],
        )

    def as_args(self) -> dict[str, str]:
        """The query-string form, for pagination links and hidden export fields."""
        values = {
            "session": self.session_id,
            "org": self.org_id,
            "from": self.date_from,
            "to": self.date_to,
            "occupation": self.occupation,
            "employer": self.employer,
            "status": self.status,
            "q": self.q,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def for_audit(self) -> dict[str, str]:
        """The filter as logged: a search term may be a name or a phone, so it is masked."""
        logged = self.as_args()
        if "q" in logged:
            logged["q"] = logged["q"][0] + "*" * (len(logged["q"]) - 1)
        return logged

    def is_empty(self) -> bool:
        return not self.as_args()

    def beyond_search(self) -> int:
        """How many filters other than the search box are set (they fold away on phones)."""
        return len(self.as_args().keys() - {"q"})


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BEIJING)


def _joined(statement: sa.Select) -> sa.Select:
    """Join the session (for its organisation) and the person's follow-up row."""
    return statement.join(OutreachSession, Signup.session_id == OutreachSession.id).outerjoin(
        FollowUp, sa.and_(FollowUp.organisation_id == ORG, FollowUp.phone == Signup.phone)
    )


def conditions(filters: Filters, visible: Scope) -> list[sa.ColumnElement[bool]]:
    clauses = [in_scope(ORG, visible)]
    if filters.session_id is not None:
        clauses.append(Signup.session_id == filters.session_id)
    if filters.org_id is not None:
        clauses.append(ORG == filters.org_id)
    if filters.date_from is not None:
        clauses.append(Signup.created_at >= day_start(filters.date_from))
    if filters.date_to is not None:
        clauses.append(Signup.created_at < day_start(filters.date_to + timedelta(days=1)))
    if filters.occupation:
        clauses.append(Signup.occupation == filters.occupation)
    if filters.employer:
        clauses.append(Signup.employer.ilike(f"%{_escape_like(filters.employer)}%", escape="\\"))
    if filters.status:
        clauses.append(STATUS == filters.status)
    if filters.q:
        term = f"%{_escape_like(filters.q)}%"
        column = Signup.phone if filters.q.isdigit() else Signup.name
        clauses.append(column.like(term, escape="\\"))
    return clauses


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Counts:
    signups: int
    people: int


def count_signups(filters: Filters, visible: Scope) -> int:
    where = conditions(filters, visible)
    return db.session.scalar(_joined(sa.select(sa.func.count(Signup.id))).where(*where)) or 0


def counts(filters: Filters, visible: Scope) -> Counts:
    where = conditions(filters, visible)
    signups = count_signups(filters, visible)
    pairs = _joined(sa.select(ORG, Signup.phone)).where(*where).distinct().subquery()
    people = db.session.scalar(sa.select(sa.func.count()).select_from(pairs))
    return Counts(signups=signups or 0, people=people or 0)


def status_counts(filters: Filters, visible: Scope) -> dict[str, int]:
    """How many people reached each follow-up status (every status present, zero or not)."""
    pairs = (
        _joined(sa.select(ORG.label("org"), Signup.phone, STATUS.label("status")))
        .where(*conditions(filters, visible))
        .distinct()
        .subquery()
    )
    rows = db.session.execute(
        sa.select(pairs.c.status, sa.func.count()).group_by(pairs.c.status)
    ).all()
    found = {status: 0 for status in FOLLOW_UP_STATUSES}
    found.update({status: count for status, count in rows})
    return found


@dataclass
class Person:
    organisation_id: int
    phone: str
    latest: Signup
    signups_total: int
    status: str
    matching: int = 0

    @property
    def handle(self) -> uuid.UUID:
        """Person pages are addressed by a sign-up id: a phone number never goes in a URL."""
        return self.latest.id


def people_page(filters: Filters, visible: Scope, page: int) -> list[Person]:
    where = conditions(filters, visible)
    last = sa.func.max(Signup.created_at).label("last")
    grouped = db.session.execute(
        _joined(sa.select(ORG, Signup.phone, sa.func.count(Signup.id), last))
        .where(*where)
        .group_by(ORG, Signup.phone)
        .order_by(last.desc(), Signup.phone)
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    ).all()
    return _people([(org_id, phone, matching) for org_id, phone, matching, _last in grouped])


def _people(found: list[tuple[int, str, int]]) -> list[Person]:
    """The page's people with their sign-ups and follow-up status, in three queries in all.

    Read for the whole page at once, not person by person (that was 2 queries
    and a session load per row, 150 for a page).
    """
    if not found:
        return []
    phones = {phone for _, phone, _ in found}
    orgs = {org_id for org_id, _, _ in found}
    signups: dict[tuple[int, str], list[Signup]] = defaultdict(list)
    for signup in db.session.scalars(
        sa.select(Signup)
        .join(Signup.session)
        .options(contains_eager(Signup.session))
        .where(Signup.phone.in_(phones), ORG.in_(orgs))
        .order_by(Signup.created_at.desc(), Signup.id)
    ):
        signups[(signup.session.organisation_id, signup.phone)].append(signup)
    statuses = {
        (row.organisation_id, row.phone): row.status
        for row in db.session.execute(
            sa.select(FollowUp.organisation_id, FollowUp.phone, FollowUp.status).where(
                FollowUp.phone.in_(phones), FollowUp.organisation_id.in_(orgs)
            )
        )
    }
    return [
        Person(
            organisation_id=org_id,
            phone=phone,
            latest=signups[(org_id, phone)][0],
            signups_total=len(signups[(org_id, phone)]),
            status=statuses.get((org_id, phone), "pending"),
            matching=matching,
        )
        for org_id, phone, matching in found
    ]


def person_signups(org_id: int, phone: str) -> list[Signup]:
    """Every sign-up of this person with this organisation, newest first."""
    return list(
        db.session.scalars(
            sa.select(Signup)
            .join(OutreachSession, Signup.session_id == OutreachSession.id)
            .where(ORG == org_id, Signup.phone == phone)
            .order_by(Signup.created_at.desc(), Signup.id)
        )
    )


def follow_up(org_id: int, phone: str) -> FollowUp | None:
    return db.session.scalar(
        sa.select(FollowUp).where(FollowUp.organisation_id == org_id, FollowUp.phone == phone)
    )


def export_rows(filters: Filters, visible: Scope) -> Iterator[tuple[sa.Row, FollowUpState]]:
    """Sign-ups (not people) matching the filter with their follow-up, oldest first.

    Streamed: plain rows (no ORM objects, the session's title joined in rather
    than loaded per row) fetched EXPORT_BATCH at a time, through a server-side
    cursor on PostgreSQL, so an export of any size holds one batch in memory.
    """
    statement = (
        _joined(
            sa.select(
                *Signup.__table__.c,
                OutreachSession.title.label("session_title"),
                STATUS.label("status"),
                FollowUp.note.label("note"),
            )
        )
        .where(*conditions(filters, visible))
        .order_by(Signup.created_at, Signup.id)
        .execution_options(yield_per=EXPORT_BATCH)
    )
    for row in db.session.execute(statement):
        yield row, FollowUpState(row.status, row.note)


def unresolved_attention(scope: Scope) -> sa.Select[tuple[AttentionItem]]:
    """Attention items not yet stored or dismissed, oldest first.

    An outer join: an item whose session is gone has no organisation, and
    in_scope keeps it for admins only.
    """
    statement = (
        sa.select(AttentionItem)
        .outerjoin(OutreachSession, AttentionItem.session_id == OutreachSession.id)
        .where(AttentionItem.resolved_at.is_(None))
        .order_by(AttentionItem.created_at)
    )
    return scoped(statement, ORG, scope)
