"""Writing a company's file: the company itself, its union status steps, contacts and needs.

Every function here changes the session and leaves the commit to its caller, so a
view (or an import) writes everything it does, and its audit entry, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import (
    Company,
    CompanyContact,
    Need,
    OutreachSession,
    StaffUser,
    UnionStatusChange,
    utcnow,
)

BEIJING = ZoneInfo("Asia/Shanghai")

# Columns a company's form or an imported row sets directly (the rest have their own paths).
PLAIN = (
    "name",
    "credit_code",
    "industry",
    "platform_relation",
    "address",
    "headcount",
    "gig_workers",
    "contact_name",
    "contact_position",
    "contact_phone",
    "notes",
)


def today() -> date:
    """Today in Beijing, where every union office is: due dates and status days are its dates."""
    return datetime.now(BEIJING).date()


def local_day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def duplicate(
    organisation_id: int, name: str, code: str, *, ignore_id: int | None = None
) -> tuple[str, str] | None:
    """(field, Chinese message) when another company has this credit code, or this name here."""
    others = sa.select(Company).where(Company.id != ignore_id) if ignore_id else sa.select(Company)
    same_code = db.session.scalar(others.where(Company.credit_code == code))
    if same_code is not None:
        return "credit_code", taken_code(same_code, organisation_id)
    same_name = db.session.scalar(
        others.where(Company.organisation_id == organisation_id, Company.name == name)
    )
    if same_name is not None:
        return "name", f"本工会已有名为“{name}”的企业"
    return None


def taken_code(company: Company, organisation_id: int) -> str:
    # Another union's company is not named: staff learn only that the code is taken.
    if company.organisation_id == organisation_id:
        return f"这个统一社会信用代码已登记为“{company.name}”"
    return "这个统一社会信用代码已由其他工会登记"


def apply_fields(company: Company, values: Mapping[str, Any], site_id: int | None) -> None:
    for name in PLAIN:
        setattr(company, name, values.get(name))
    company.site_id = site_id
    company.updated_at = utcnow()


def create(
    organisation_id: int,
    values: Mapping[str, Any],
    site_id: int | None,
    by: StaffUser | None,
) -> Company:
    """A new company, with its first union status step (未建会 unless the input says otherwise)."""
    company = Company(organisation_id=organisation_id, union_status="none")
    apply_fields(company, values, site_id)
    db.session.add(company)
    db.session.flush()
    set_status(
        company,
        values.get("union_status") or "none",
        values.get("union_status_on") or today(),
        "建档",
        by,
    )
    return company


def set_status(
    company: Company, status: str, reached_on: date, note: str | None, by: StaffUser | None
) -> UnionStatusChange:
    """Move the company to `status` as of `reached_on`, keeping the step in its history."""
    step = UnionStatusChange(
        company_id=company.id,
        status=status,
        reached_on=reached_on,
        note=note or None,
        recorded_by_id=by.id if by else None,
    )
    db.session.add(step)
    company.union_status = status
    company.union_status_on = reached_on
    company.updated_at = utcnow()
    return step


def add_contact(
    company: Company,
    kind: str,
    happened_on: date,
    summary: str | None,
    by: StaffUser | None,
    *,
    session: OutreachSession | None = None,
    attendees: str | None = None,
) -> CompanyContact:
    contact = CompanyContact(
        company_id=company.id,
        kind=kind,
        happened_on=happened_on,
        summary=summary or None,
        session_id=session.id if session else None,
        attendees=attendees or None,
        recorded_by_id=by.id if by else None,
    )
    db.session.add(contact)
    db.session.flush()
    return contact


def add_need(
    company: Company,
    title: str,
    *,
    contact: CompanyContact | None = None,
    owner: str | None = None,
    due_on: date | None = None,
) -> Need:
    need = Need(
        company_id=company.id,
        contact_id=contact.id if contact else None,
        title=title,
        owner=owner or None,
        due_on=due_on,
        status="todo",
    )
    db.session.add(need)
    return need


def update_need(need: Need, values: Mapping[str, Any]) -> None:
    """Response, owner, due date and status; resolving it records the day."""
    was_done = need.status == "done"
    need.title = values["title"]
    need.response = values.get("response")
    need.owner = values.get("owner")
    need.due_on = values.get("due_on")
    need.status = values["status"]
    if need.status == "done" and not was_done:
        need.resolved_on = today()
    elif need.status != "done":
        need.resolved_on = None
    need.updated_at = utcnow()


def attendance(company: Company, session: OutreachSession) -> CompanyContact | None:
    return db.session.scalar(
        sa.select(CompanyContact).where(
            CompanyContact.company_id == company.id, CompanyContact.session_id == session.id
        )
    )
