"""一企一档: a company's union status steps, contacts with needs, and following needs up."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin.access import company_or_404, need_or_404, staff
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import TEXT_FORM_MAX_BYTES, larger_body
from kiosk.admin.company_forms import ContactForm, NeedForm, StatusForm
from kiosk.admin.views.companies import render_file
from kiosk.choices import CONTACT_KINDS, NEED_STATUSES, UNION_STATUSES
from kiosk.companies import records
from kiosk.extensions import db
from kiosk.models import Need


@bp.post("/companies/<int:company_id>/status")
@login_required
@larger_body(TEXT_FORM_MAX_BYTES)
def company_status(company_id: int) -> ResponseReturnValue:
    company = company_or_404(company_id)
    form = StatusForm()
    values = form.check()
    if values is None:
        return render_file(company, status_form=form), 422
    before = company.union_status
    records.set_status(company, values["status"], values["reached_on"], values["note"], staff())
    audit.record(
        "company_status",
        organisation_id=company.organisation_id,
        company=company.id,
        before=before,
        after=values["status"],
        commit=False,
    )
    db.session.commit()
    flash(f"建会状态已改为“{UNION_STATUSES[values['status']]}”", "success")
    return redirect(url_for("admin.company_detail", company_id=company.id))


@bp.post("/companies/<int:company_id>/contacts")
@login_required
@larger_body(TEXT_FORM_MAX_BYTES)
def company_contact(company_id: int) -> ResponseReturnValue:
    company = company_or_404(company_id)
    form = ContactForm()
    values = form.check()
    if values is None:
        return render_file(company, contact_form=form), 422
    contact = records.add_contact(
        company, values["kind"], values["happened_on"], values["summary"], staff()
    )
    for title in values["needs"]:
        records.add_need(company, title, contact=contact)
    audit.record(
        "company_contact",
        organisation_id=company.organisation_id,
        company=company.id,
        kind=values["kind"],
        needs=len(values["needs"]),
        commit=False,
    )
    db.session.commit()
    added = f"，并记下 {len(values['needs'])} 条诉求" if values["needs"] else ""
    flash(f"已记录{CONTACT_KINDS[values['kind']]}{added}", "success")
    return redirect(url_for("admin.company_detail", company_id=company.id))


def _render_need(need: Need, form: NeedForm | None = None) -> str:
    if form is None:
        form = NeedForm(formdata=None, obj=need)
        form.due_on.data = need.due_on.isoformat() if need.due_on else ""
    return render_template(
        "admin/companies/need.html",
        need=need,
        company=need.company,
        form=form,
        today=records.today(),
    )


@bp.get("/needs/<int:need_id>")
@login_required
def need_detail(need_id: int) -> ResponseReturnValue:
    return _render_need(need_or_404(need_id))


@bp.post("/needs/<int:need_id>")
@login_required
@larger_body(TEXT_FORM_MAX_BYTES)
def need_update(need_id: int) -> ResponseReturnValue:
    need = need_or_404(need_id)
    form = NeedForm()
    values = form.check()
    if values is None:
        return _render_need(need, form), 422
    before = need.status
    records.update_need(need, values)
    audit.record(
        "need_update",
        organisation_id=need.company.organisation_id,
        company=need.company_id,
        need=need.id,
        before=before,
        after=need.status,
        commit=False,
    )
    db.session.commit()
    flash(f"诉求已保存（{NEED_STATUSES[need.status]}）", "success")
    return redirect(url_for("admin.company_detail", company_id=need.company_id))
