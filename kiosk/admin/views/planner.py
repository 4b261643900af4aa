"""排期: create a month's planned sessions from a pattern; preview first, never twice."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk.admin.access import staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.months import default_org, month_arg
from kiosk.admin.plan_form import EXAMPLE, PlanForm, pattern, prepare
from kiosk.cadence import planner
from kiosk.cadence.months import Month
from kiosk.cadence.pattern import PatternError, parse
from kiosk.extensions import db
from kiosk.models import Organisation, Site
from kiosk.scoping import organisation_choices, scoped


def _form(**kwargs: object) -> PlanForm:
    scope = visible()
    sites = db.session.execute(
        scoped(
            sa.select(Site.name, Organisation.name.label("org")).join(Organisation),
            Site.organisation_id,
            scope,
        ).order_by(Organisation.name, Site.name)
    ).all()
    site_choices = sorted({(s.name, f"{s.name}（{s.org}）") for s in sites})
    return prepare(PlanForm(**kwargs), organisation_choices(scope), site_choices)


def _plan(form: PlanForm) -> tuple[planner.Plan | None, str | None]:
    """The plan the form describes, or the one error to show."""
    if not form.validate():
        errors = [
            e for field in form for e in (field.errors if isinstance(field.errors, list) else [])
        ]
        return None, str(errors[0]) if errors else "请检查表单"
    try:
        month = Month.parse(form.month.data or "")
        rules = parse(pattern(form))
        org = db.session.get(Organisation, form.organisation_id.data)
        assert org is not None  # noqa: S101 - the select's choices are the orgs in scope
        return planner.prepare(org, month, rules), None
    except (PatternError, ValueError) as error:
        return None, str(error)


@bp.get("/plan")
@login_required
def plan() -> ResponseReturnValue:
    org = default_org()
    form = _form(
        formdata=None,
        month=str(month_arg()),
        organisation_id=org.id if org else None,
        rules=EXAMPLE,
    )
    return render_template("admin/cadence/plan.html", form=form, plan=None)


@bp.post("/plan/preview")
@login_required
def plan_preview() -> ResponseReturnValue:
    form = _form()
    built, error = _plan(form)
    if error:
        flash(error, "error")
        return render_template("admin/cadence/plan.html", form=form, plan=None), 422
    return render_template("admin/cadence/plan.html", form=form, plan=built)


@bp.post("/plan/create")
@login_required
def plan_create() -> ResponseReturnValue:
    form = _form()
    built, error = _plan(form)
    if built is None:
        flash(error or "请检查表单", "error")
        return render_template("admin/cadence/plan.html", form=form, plan=None), 422
    created = planner.create(built, staff())
    db.session.commit()
    if created:
        flash(f"已创建 {len(created)} 场沟通会", "success")
    else:
        flash("没有新建任何场次：这些场次都已经存在或已过去", "info")
    for warning in built.warnings:
        flash(warning, "error")
    return redirect(
        url_for(
            "admin.calendar",
            month=str(built.month),
            org=built.organisation.id,
        )
    )
