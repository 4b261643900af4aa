"""点位: the places where sessions are held, managed on their own screen."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin.access import site_or_404, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import SiteForm, options
from kiosk.extensions import db
from kiosk.models import Organisation, Site
from kiosk.scoping import organisation_choices, scoped


def _form(**kwargs: object) -> SiteForm:
    form = SiteForm(**kwargs)
    form.organisation_id.choices = options(organisation_choices(visible()))
    return form


def _valid(form: SiteForm, site_id: int | None) -> bool:
    """Site names are unique per organisation; say so instead of failing on the constraint."""
    if not form.validate():
        return False
    clash = db.session.scalar(
        sa.select(Site.id).where(
            Site.organisation_id == form.organisation_id.data,
            Site.name == (form.name.data or "").strip(),
        )
    )
    if clash is not None and clash != site_id:
        form.name.errors = ["这个工会已经有同名点位"]
        return False
    return True


def _apply(form: SiteForm, site: Site) -> None:
    site.organisation_id = form.organisation_id.data or 0
    site.name = (form.name.data or "").strip()
    site.address = (form.address.data or "").strip() or None
    site.notes = (form.notes.data or "").strip() or None


@bp.get("/sites")
@login_required
def sites() -> ResponseReturnValue:
    statement = sa.select(Site, Organisation.name).join(Organisation)
    rows = db.session.execute(
        scoped(statement, Site.organisation_id, visible()).order_by(Organisation.id, Site.name)
    ).all()
    return render_template("admin/sites/list.html", rows=rows)


@bp.get("/sites/new")
@login_required
def site_new() -> ResponseReturnValue:
    return render_template("admin/sites/form.html", form=_form(formdata=None), site=None)


@bp.post("/sites/new")
@login_required
def site_create() -> ResponseReturnValue:
    form = _form()
    if _valid(form, None):
        site = Site()
        _apply(form, site)
        db.session.add(site)
        db.session.commit()
        audit.record("site_create", organisation_id=site.organisation_id, site=site.id)
        flash("点位已添加", "success")
        return redirect(url_for("admin.sites"))
    return render_template("admin/sites/form.html", form=form, site=None), 422


@bp.get("/sites/<int:site_id>/edit")
@login_required
def site_edit(site_id: int) -> ResponseReturnValue:
    site = site_or_404(site_id)
    return render_template("admin/sites/form.html", form=_form(formdata=None, obj=site), site=site)


@bp.post("/sites/<int:site_id>/edit")
@login_required
def site_update(site_id: int) -> ResponseReturnValue:
    site = site_or_404(site_id)
    form = _form()
    if _valid(form, site.id):
        _apply(form, site)
        db.session.commit()
        audit.record("site_update", organisation_id=site.organisation_id, site=site.id)
        flash("已保存", "success")
        return redirect(url_for("admin.sites"))
    return render_template("admin/sites/form.html", form=form, site=site), 422
