"""Reading companies: the list's filter, the funnel, overdue needs, a company's timeline.

Every query takes the staff member's scope (`kiosk.scoping`) and keeps to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from kiosk.choices import COMPANY_INDUSTRIES, UNION_STATUSES
from kiosk.companies.records import today
from kiosk.extensions import db
from kiosk.models import Company, CompanyContact, Need, SessionMinutes, UnionStatusChange
from kiosk.scoping import Scope, in_scope

PAGE_SIZE = 50
MAX_IDLE_DAYS = 3650


def _int(raw: str | None, *, limit: int | None = None) -> int | None:
    if not raw or not raw.isdigit() or len(raw) > 9:
        return None
    value = int(raw)
    return min(value, limit) if limit else value


@dataclass
class Filters:
    """What the company list is narrowed to; parsed leniently (bad values are ignored)."""

    org_id: int | None = None
    industry: str = ""
    status: str = ""
    overdue: bool = False
    idle_days: int | None = None  # not contacted for this many days
    q: str = ""

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> Filters:
        industry = args.get("industry", "")
        status = args.get("status", "")
        return cls(
            org_id=_int(args.get("org")),
            industry=industry if industry in COMPANY_INDUSTRIES else "",
            status=status if status in UNION_STATUSES else "",
            overdue=args.get("overdue") == "1",
            idle_days=_int(args.get("idle"), limit=MAX_IDLE_DAYS),
            q=" ".join(args.get("q", "").split())[:40],
        )

    def as_args(self) -> dict[str, str]:
        values: dict[str, Any] = {
            "org": self.org_id,
            "industry": self.industry,
            "status": self.status,
            "overdue": "1" if self.overdue else None,
            "idle": self.idle_days,
            "q": self.q,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    def without_status(self) -> dict[str, str]:
        """The funnel's links: the same filter with each status in turn."""
        return {key: value for key, value in self.as_args().items() if key != "status"}

    def is_empty(self) -> bool:
        return not self.as_args()

    def beyond_search(self) -> int:
        return len(self.as_args().keys() - {"q"})


def overdue_needs(today_: date | None = None) -> sa.ColumnElement[bool]:
    """A need not yet resolved whose due date has passed (Beijing days)."""
    return sa.and_(Need.status != "done", Need.due_on < (today_ or today()))


def _has_overdue() -> sa.ColumnElement[bool]:
    return sa.exists().where(Need.company_id == Company.id, overdue_needs())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def last_contact() -> sa.ScalarSelect[date]:
    return (
        sa.select(sa.func.max(CompanyContact.happened_on))
        .where(CompanyContact.company_id == Company.id)
        .scalar_subquery()
    )


def conditions(
    filters: Filters, scope: Scope, *, with_status: bool = True
) -> list[sa.ColumnElement[bool]]:
    clauses = [in_scope(Company.organisation_id, scope)]
    if filters.org_id is not None:
        clauses.append(Company.organisation_id == filters.org_id)
    if filters.industry:
        clauses.append(Company.industry == filters.industry)
    if with_status and filters.status:
        clauses.append(Company.union_status == filters.status)
    if filters.overdue:
        clauses.append(_has_overdue())
    if filters.idle_days is not None:
        cutoff = today() - timedelta(days=filters.idle_days)
        # Never contacted counts as "not contacted for N days".
        clauses.append(sa.or_(last_contact().is_(None), last_contact() <= cutoff))
    if filters.q:
        term = f"%{_escape_like(filters.q)}%"
        clauses.append(
            sa.or_(
                Company.name.like(term, escape="\\"),
                Company.credit_code.like(term.upper(), escape="\\"),
                Company.address.like(term, escape="\\"),
            )
        )
    return clauses


def funnel(filters: Filters, scope: Scope) -> dict[str, int]:
    """Companies per union status under the filter (its own status choice aside), every status."""
    rows = db.session.execute(
        sa.select(Company.union_status, sa.func.count())
        .where(*conditions(filters, scope, with_status=False))
        .group_by(Company.union_status)
    ).all()
    found = dict.fromkeys(UNION_STATUSES, 0)
    found.update({status: count for status, count in rows})
    return found


@dataclass
class Row:
    company: Company
    last_contact: date | None
    overdue: int
    open_needs: int


def count(filters: Filters, scope: Scope) -> int:
    return (
        db.session.scalar(sa.select(sa.func.count(Company.id)).where(*conditions(filters, scope)))
        or 0
    )


def page(filters: Filters, scope: Scope, number: int) -> list[Row]:
    overdue = (
        sa.select(sa.func.count(Need.id))
        .where(Need.company_id == Company.id, overdue_needs())
        .scalar_subquery()
    )
    open_needs = (
        sa.select(sa.func.count(Need.id))
        .where(Need.company_id == Company.id, Need.status != "done")
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Company, last_contact(), overdue, open_needs)
        .where(*conditions(filters, scope))
        .order_by(overdue.desc(), Company.name, Company.id)
        .limit(PAGE_SIZE)
        .offset((max(number, 1) - 1) * PAGE_SIZE)
    ).all()
    return [Row(company, last, late or 0, opened or 0) for company, last, late, opened in rows]


def export_rows(filters: Filters, scope: Scope) -> list[tuple[Company, date | None]]:
    """Every company under the filter with its last contact day, for an export, oldest first."""
    rows = db.session.execute(
        sa.select(Company, last_contact()).where(*conditions(filters, scope)).order_by(Company.id)
    ).all()
    return [(company, last) for company, last in rows]


def overdue_count(scope: Scope) -> int:
    """Overdue needs in scope: the dashboard's warning tile."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Need.id))
            .join(Company, Need.company_id == Company.id)
            .where(overdue_needs(), in_scope(Company.organisation_id, scope))
        )
        or 0
    )


def needs_of(company: Company) -> list[Need]:
    """Open needs first (overdue first among them, then by due date), resolved ones last."""
    return list(
        db.session.scalars(
            sa.select(Need)
            .where(Need.company_id == company.id)
            .order_by(
                (Need.status == "done"),
                Need.due_on.is_(None),
                Need.due_on,
                Need.id,
            )
        )
    )


@dataclass
class Entry:
    """One line of the company's timeline, newest first."""

    day: date
    kind: str  # a CONTACT_KINDS key, or "status" for a union status step
    contact: CompanyContact | None = None
    step: UnionStatusChange | None = None
    needs: tuple[Need, ...] = ()
    minutes: str | None = None  # a 企业沟通会's minutes


def timeline(company: Company) -> list[Entry]:
    contacts = db.session.scalars(
        sa.select(CompanyContact).where(CompanyContact.company_id == company.id)
    ).all()
    steps = db.session.scalars(
        sa.select(UnionStatusChange).where(UnionStatusChange.company_id == company.id)
    ).all()
    needs: dict[int, list[Need]] = {}
    for need in needs_of(company):
        if need.contact_id is not None:
            needs.setdefault(need.contact_id, []).append(need)
    session_ids = [c.session_id for c in contacts if c.session_id is not None]
    minutes = dict(
        db.session.execute(
            sa.select(SessionMinutes.session_id, SessionMinutes.text).where(
                SessionMinutes.session_id.in_(session_ids)
            )
        ).all()
    )
    entries = [
        Entry(
            c.happened_on,
            c.kind,
            contact=c,
            needs=tuple(needs.get(c.id, ())),
            minutes=minutes.get(c.session_id) or None,
        )
        for c in contacts
    ]
    entries += [Entry(s.reached_on, "status", step=s) for s in steps]
    # Newest day first; on one day, the later record first.
    return sorted(
        entries,
        key=lambda e: (e.day, e.contact.created_at if e.contact else e.step.recorded_at),  # type: ignore[union-attr]
        reverse=True,
    )


def established_in_month(year: int, month: int, scope: Scope) -> int:
    """Companies in `scope` that reached 已建会 during this month (Beijing dates).

    For the monthly report's "本月新建会企业 N 家". A status day is already a
    Beijing date, so the month is compared as dates; a company counts once
    however many times it was recorded as 已建会 that month.
    """
    first = date(year, month, 1)
    after = date(year + month // 12, month % 12 + 1, 1)
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(UnionStatusChange.company_id)))
            .join(Company, UnionStatusChange.company_id == Company.id)
            .where(
                UnionStatusChange.status == "established",
                UnionStatusChange.reached_on >= first,
                UnionStatusChange.reached_on < after,
                in_scope(Company.organisation_id, scope),
            )
        )
        or 0
    )
