"""企业: the company list with its funnel, adding and editing companies, exports, reveals."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm

from kiosk import audit
from kiosk.admin import downloads, reveals
from kiosk.admin.access import company_or_404, staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.bodies import TEXT_FORM_MAX_BYTES, larger_body
from kiosk.admin.company_forms import (
    ContactForm,
    EditCompanyForm,
    NewCompanyForm,
    StatusForm,
    check_company,
)
from kiosk.admin.forms import options
from kiosk.companies import exporting, queries, records
from kiosk.extensions import db
from kiosk.models import Company, Organisation, Site
from kiosk.scoping import Scope, can_see_org, organisation_choices, scoped


def _page() -> int:
    raw = request.args.get("page", "1")
    return max(int(raw), 1) if raw.isdigit() and len(raw) < 6 else 1


@bp.get("/companies")
@login_required
def companies() -> ResponseReturnValue:
    scope = visible()
    filters = queries.Filters.parse(request.args)
    total = queries.count(filters, scope)
    page = _page()
    return render_template(
        "admin/companies/list.html",
        filters=filters,
        funnel=queries.funnel(filters, scope),
        rows=queries.page(filters, scope, page),
        total=total,
        page=page,
        pages=max((total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1),
        org_choices=organisation_choices(scope),
    )


def _site_choices(scope: Scope) -> list[tuple[str, str]]:
    statement = scoped(
        sa.select(Site.id, Site.name, Organisation.name.label("org")).join(Organisation),
        Site.organisation_id,
        scope,
    ).order_by(Organisation.id, Site.name)
    return [(str(r.id), f"{r.name}（{r.org}）") for r in db.session.execute(statement)]


def _prepare(form: FlaskForm, scope: Scope) -> FlaskForm:
    orgs = organisation_choices(scope)
    form.organisation_id.choices = options([(str(i), name) for i, name in orgs])
    form.site_id.choices = options([("", "（未指定）"), *_site_choices(scope)])
    return form


def _org_and_site(form: FlaskForm, scope: Scope) -> tuple[int | None, int | None]:
    """The chosen organisation and site, if they are in scope; errors set on the form."""
    raw_org, raw_site = form.organisation_id.data or "", form.site_id.data or ""
    org_ids = {i for i, _ in organisation_choices(scope)}
    org_id = int(raw_org) if raw_org.isdigit() and int(raw_org) in org_ids else None
    if org_id is None:
        form.organisation_id.errors = ["请选择所属工会"]
    site_ids = {int(i) for i, _ in _site_choices(scope)}
    site_id = int(raw_site) if raw_site.isdigit() else None
    if raw_site and site_id not in site_ids:
        form.site_id.errors = ["请选择点位"]
        site_id = None
    return org_id, site_id


def _checked(
    form: FlaskForm, scope: Scope, company: Company | None
) -> tuple[dict[str, Any], int, int | None] | None:
    values = check_company(form)
    org_id, site_id = _org_and_site(form, scope)
    if values is None or org_id is None or form.errors:
        return None
    clash = records.duplicate(
        org_id, values["name"], values["credit_code"], ignore_id=company.id if company else None
    )
    if clash is not None:
        field, message = clash
        form[field].errors = [message]
        return None
    return values, org_id, site_id


def _clashed(form: FlaskForm, company: Company | None) -> ResponseReturnValue:
    """Someone saved the same code or name a moment ago (the check passed, the insert did not)."""
    db.session.rollback()
    form.credit_code.errors = ["刚有人登记了同一统一社会信用代码或同名的企业，请刷新后核对"]
    return render_template("admin/companies/form.html", form=form, company=company), 409


@bp.get("/companies/new")
@login_required
def company_new() -> ResponseReturnValue:
    form = _prepare(NewCompanyForm(formdata=None), visible())
    form.union_status.data = "none"
    form.union_status_on.data = records.today().isoformat()
    return render_template("admin/companies/form.html", form=form, company=None)


@bp.post("/companies/new")
@login_required
@larger_body(TEXT_FORM_MAX_BYTES)
def company_create() -> ResponseReturnValue:
    scope = visible()
    form = _prepare(NewCompanyForm(), scope)
    checked = _checked(form, scope, None)
    if checked is None:
        return render_template("admin/companies/form.html", form=form, company=None), 422
    values, org_id, site_id = checked
    try:
        company = records.create(org_id, values, site_id, staff())
        audit.record("company_create", organisation_id=org_id, company=company.id, commit=False)
        db.session.commit()
    except sa.exc.IntegrityError:
        return _clashed(form, None)
    flash("企业已建档", "success")
    return redirect(url_for("admin.company_detail", company_id=company.id))


@bp.get("/companies/<int:company_id>/edit")
@login_required
def company_edit(company_id: int) -> ResponseReturnValue:
    company = company_or_404(company_id)
    form = _prepare(EditCompanyForm(formdata=None, obj=company), visible())
    form.organisation_id.data = str(company.organisation_id)
    form.site_id.data = str(company.site_id or "")
    return render_template("admin/companies/form.html", form=form, company=company)


@bp.post("/companies/<int:company_id>/edit")
@login_required
@larger_body(TEXT_FORM_MAX_BYTES)
def company_update(company_id: int) -> ResponseReturnValue:
    company = company_or_404(company_id)
    scope = visible()
    form = _prepare(EditCompanyForm(), scope)
    checked = _checked(form, scope, company)
    if checked is None:
        return render_template("admin/companies/form.html", form=form, company=company), 422
    values, org_id, site_id = checked
    company.organisation_id = org_id
    records.apply_fields(company, values, site_id)
    audit.record("company_update", organisation_id=org_id, company=company.id, commit=False)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        return _clashed(form, company_or_404(company_id))
    flash("已保存", "success")
    return redirect(url_for("admin.company_detail", company_id=company.id))


def render_file(
    company: Company,
    *,
    status_form: StatusForm | None = None,
    contact_form: ContactForm | None = None,
) -> str:
    """The company's file (一企一档): details, needs, the timeline and the forms that add to it."""
    if status_form is None:
        status_form = StatusForm(formdata=None, status=company.union_status)
        status_form.reached_on.data = records.today().isoformat()
    if contact_form is None:
        contact_form = ContactForm(formdata=None)
        contact_form.happened_on.data = records.today().isoformat()
    return render_template(
        "admin/companies/detail.html",
        company=company,
        needs=queries.needs_of(company),
        timeline=queries.timeline(company),
        today=records.today(),
        revealed=reveals.shown("company", company.id),
        status_form=status_form,
        contact_form=contact_form,
    )


@bp.get("/companies/<int:company_id>")
@login_required
def company_detail(company_id: int) -> ResponseReturnValue:
    return render_file(company_or_404(company_id))


@bp.post("/companies/<int:company_id>/reveal")
@login_required
def company_reveal(company_id: int) -> ResponseReturnValue:
    """Log the reveal, then show the file with the contact's full mobile (see reveals)."""
    company = company_or_404(company_id)
    audit.record(
        "company_phone_reveal",
        organisation_id=company.organisation_id,
        company=company.id,
        phone=audit.phone_ref(company.contact_phone),
    )
    reveals.remember("company", company.id)
    return redirect(url_for("admin.company_detail", company_id=company.id))


@bp.post("/companies/export")
@login_required
def companies_export() -> Response:
    """POST, not GET: an export writes the audit log and carries full mobile numbers."""
    scope = visible()
    kind = request.form.get("format", "csv")
    if kind not in exporting.FORMATS:
        abort(400)
    filters = queries.Filters.parse(request.form)
    rows = queries.export_rows(filters, scope)
    write, mimetype = exporting.FORMATS[kind]
    body = write(rows)
    audit.record(
        "company_export",
        organisation_id=filters.org_id,
        format=kind,
        filter=filters.as_args(),
        rows=len(rows),
    )
    org = db.session.get(Organisation, filters.org_id) if filters.org_id is not None else None
    if org is not None and not can_see_org(staff(), org.id):
        org = None  # the rows are scoped anyway; the name must not show another union's
    union = org.name if org else staff().organisation.name if staff().organisation else "全部"
    today = downloads.today()
    name = downloads.file_name(union, "企业名单", today, ext=kind)
    return downloads.attachment(body, mimetype, name, f"companies-{today}.{kind}")
