"""达标要求: admins set each level's monthly quota, and overrides for single unions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from kiosk import audit
from kiosk.admin.access import admin_required, staff
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import OverrideForm, QuotaForm, options
from kiosk.cadence import quotas
from kiosk.choices import ORG_LEVELS
from kiosk.extensions import db
from kiosk.models import Organisation, Quota
from kiosk.scoping import organisation_choices


def _required(form: QuotaForm) -> quotas.Required:
    return quotas.Required(
        int(form.worker.data or 0), int(form.enterprise.data or 0), bool(form.district_session.data)
    )


def _level_form(level: str) -> QuotaForm:
    current = quotas.for_level(level)
    return QuotaForm(
        formdata=None,
        prefix=level,
        worker=str(current.worker),
        enterprise=str(current.enterprise),
        district_session=current.district_session,
    )


def _page(override: OverrideForm | None = None, failed: tuple[str, QuotaForm] | None = None):
    forms = {level: _level_form(level) for level in ORG_LEVELS}
    if failed:
        forms[failed[0]] = failed[1]
    if override is None:
        override = OverrideForm(formdata=None, prefix="override", worker="4", enterprise="2")
    override.organisation_id.choices = options(organisation_choices(None))
    rows = db.session.execute(
        sa.select(Quota, Organisation.name)
        .join(Organisation, Quota.organisation_id == Organisation.id)
        .order_by(Organisation.name)
    ).all()
    return render_template(
        "admin/cadence/quotas.html",
        forms=forms,
        sources={level: quotas.for_level(level).source for level in ORG_LEVELS},
        override=override,
        overrides=rows,
    )


@bp.get("/quotas")
@admin_required
def quotas_page() -> ResponseReturnValue:
    return _page()


@bp.post("/quotas/level/<level>")
@admin_required
def quota_level(level: str) -> ResponseReturnValue:
    if level not in ORG_LEVELS:
        abort(404)
    form = QuotaForm(prefix=level)
    if not form.validate():
        return _page(failed=(level, form)), 422
    required = _required(form)
    quotas.save(required, staff(), level=level)
    audit.record("quota_level", level=level, **_detail(required), commit=False)
    db.session.commit()
    flash(f"已保存{ORG_LEVELS[level]}的达标要求", "success")
    return redirect(url_for("admin.quotas_page"))


@bp.post("/quotas/override")
@admin_required
def quota_override() -> ResponseReturnValue:
    form = OverrideForm(prefix="override")
    form.organisation_id.choices = options(organisation_choices(None))
    if not form.validate():
        return _page(override=form), 422
    required = _required(form)
    quotas.save(required, staff(), organisation_id=form.organisation_id.data)
    audit.record(
        "quota_override",
        organisation_id=form.organisation_id.data,
        **_detail(required),
        commit=False,
    )
    db.session.commit()
    flash("已保存这个工会的单独要求", "success")
    return redirect(url_for("admin.quotas_page"))


@bp.post("/quotas/override/<int:org_id>/delete")
@admin_required
def quota_override_delete(org_id: int) -> ResponseReturnValue:
    if not quotas.remove_override(org_id):
        abort(404)
    audit.record("quota_override_delete", organisation_id=org_id, commit=False)
    db.session.commit()
    flash("已删除单独要求，这个工会改按所在层级的要求", "success")
    return redirect(url_for("admin.quotas_page"))


def _detail(required: quotas.Required) -> dict[str, object]:
    return {
        "worker": required.worker,
        "enterprise": required.enterprise,
        "district_session": required.district_session,
    }
