"""企业沟通会: which companies attended and who came, the minutes, the needs raised.

Each attendance is an entry in the company's timeline (a `CompanyContact` of kind
"session"), and each need raised lands in that company's file, linked to it.
These forms sit on the session page; a problem is flashed and the page shown again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin.access import company_or_404, session_or_404, staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import larger_body
from kiosk.admin.company_forms import AttendanceForm, MinutesForm, SessionNeedForm
from kiosk.admin.forms import options
from kiosk.companies import records
from kiosk.extensions import db
from kiosk.models import Company, CompanyContact, Need, OutreachSession, SessionMinutes, utcnow
from kiosk.scoping import descendant_ids, in_scope

# Minutes of 10,000 characters, URL-encoded (up to 9 bytes a Chinese character).
MINUTES_MAX_BYTES = 128 * 1024
# The need form sits beside the attendance form, which also has a company_id.
NEED_PREFIX = "need"


def _enterprise_or_404(session_id: int) -> OutreachSession:
    session = session_or_404(session_id)
    if session.kind != "enterprise":
        abort(404)  # only a 企业沟通会 has attending companies
    return session


def _attending(session: OutreachSession) -> list[tuple[CompanyContact, Company]]:
    return [
        (contact, company)
        for contact, company in db.session.execute(
            sa.select(CompanyContact, Company)
            .join(Company, CompanyContact.company_id == Company.id)
            .where(CompanyContact.session_id == session.id)
            .order_by(Company.name)
        ).all()
    ]


def _candidates(session: OutreachSession) -> list[tuple[int, str]]:
    """Companies of the session's union (and those below it) that this staff member sees."""
    attending = sa.select(CompanyContact.company_id).where(CompanyContact.session_id == session.id)
    rows = db.session.execute(
        sa.select(Company.id, Company.name)
        .where(
            Company.organisation_id.in_(descendant_ids(session.organisation_id)),
            in_scope(Company.organisation_id, visible()),
            Company.id.not_in(attending),
        )
        .order_by(Company.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def panel(session: OutreachSession) -> dict[str, Any]:
    """What the session page shows for a 企业沟通会: attendance, minutes, needs, the forms."""
    attending = _attending(session)
    attendance_form = AttendanceForm(formdata=None)
    attendance_form.company_id.choices = options(
        [("", "请选择企业"), *((str(i), name) for i, name in _candidates(session))]
    )
    need_form = SessionNeedForm(formdata=None, prefix=NEED_PREFIX)
    need_form.company_id.choices = options(
        [("", "请选择企业"), *((str(c.id), c.name) for _, c in attending)]
    )
    minutes = db.session.get(SessionMinutes, session.id)
    minutes_form = MinutesForm(formdata=None, text=minutes.text if minutes else "")
    contact_ids = [contact.id for contact, _ in attending]
    needs = db.session.scalars(
        sa.select(Need).where(Need.contact_id.in_(contact_ids)).order_by(Need.id)
    ).all()
    by_company: dict[int, list[Need]] = {}
    for need in needs:
        by_company.setdefault(need.company_id, []).append(need)
    return {
        "attending": attending,
        "needs": by_company,
        "minutes": minutes,
        "attendance_form": attendance_form,
        "need_form": need_form,
        "minutes_form": minutes_form,
        "today": records.today(),
    }


def _back(session: OutreachSession) -> ResponseReturnValue:
    return redirect(url_for("admin.session_detail", session_id=session.id) + "#enterprise")


def _flash_errors(form: Any) -> None:
    flash("；".join(error for errors in form.errors.values() for error in errors), "error")


@bp.post("/sessions/<int:session_id>/companies")
@login_required
def session_attendance(session_id: int) -> ResponseReturnValue:
    session = _enterprise_or_404(session_id)
    form = AttendanceForm()
    values = form.check({company_id for company_id, _ in _candidates(session)})
    if values is None:
        _flash_errors(form)
        return _back(session)
    company = company_or_404(values["company_id"])
    day = records.local_day(session.starts_at)
    records.add_contact(
        company, "session", day, None, staff(), session=session, attendees=values["attendees"]
    )
    audit.record(
        "session_attendance",
        organisation_id=session.organisation_id,
        session=session.code,
        company=company.id,
        commit=False,
    )
    db.session.commit()
    flash(f"已记录“{company.name}”参会", "success")
    return _back(session)


@bp.post("/sessions/<int:session_id>/companies/<int:company_id>/remove")
@login_required
def session_attendance_remove(session_id: int, company_id: int) -> ResponseReturnValue:
    session = _enterprise_or_404(session_id)
    company = company_or_404(company_id)
    contact = records.attendance(company, session)
    if contact is None:
        abort(404)
    # Needs raised there stay in the company's file, no longer tied to the session.
    db.session.delete(contact)
    audit.record(
        "session_attendance_remove",
        organisation_id=session.organisation_id,
        session=session.code,
        company=company.id,
        commit=False,
    )
    db.session.commit()
    flash(f"已取消“{company.name}”的参会记录", "success")
    return _back(session)


@bp.post("/sessions/<int:session_id>/minutes")
@login_required
@larger_body(MINUTES_MAX_BYTES)
def session_minutes(session_id: int) -> ResponseReturnValue:
    session = _enterprise_or_404(session_id)
    form = MinutesForm()
    text = form.check()
    if form.errors:
        _flash_errors(form)
        return _back(session)
    minutes = db.session.get(SessionMinutes, session.id)
    if minutes is None:
        minutes = SessionMinutes(session_id=session.id, text="")
        db.session.add(minutes)
    minutes.text = text or ""
    minutes.updated_by_id = staff().id
    minutes.updated_at = utcnow()
    audit.record(
        "session_minutes",
        organisation_id=session.organisation_id,
        session=session.code,
        commit=False,
    )
    db.session.commit()
    flash("会议纪要已保存", "success")
    return _back(session)


@bp.post("/sessions/<int:session_id>/needs")
@login_required
def session_needs(session_id: int) -> ResponseReturnValue:
    session = _enterprise_or_404(session_id)
    attending = {company.id: (contact, company) for contact, company in _attending(session)}
    form = SessionNeedForm(prefix=NEED_PREFIX)
    values = form.check(set(attending))
    if values is None:
        _flash_errors(form)
        return _back(session)
    contact, company = attending[values["company_id"]]
    for title in values["titles"]:
        records.add_need(
            company, title, contact=contact, owner=values["owner"], due_on=values["due_on"]
        )
    audit.record(
        "session_needs",
        organisation_id=session.organisation_id,
        session=session.code,
        company=company.id,
        needs=len(values["titles"]),
        commit=False,
    )
    db.session.commit()
    flash(f"已为“{company.name}”记下 {len(values['titles'])} 条诉求", "success")
    return _back(session)
