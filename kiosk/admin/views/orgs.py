"""工会组织: admins add the union organisations and arrange them under their parents.

Which sessions, sign-ups and sites a staff member sees follows this tree (a
district union sees the towns below it; see kiosk/scoping.py), so only admins
may change it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from kiosk import audit
from kiosk.admin.access import admin_required
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import OrganisationForm, options
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site, StaffUser
from kiosk.scoping import descendant_ids, organisation_choices

NO_PARENT = 0


def _form(org: Organisation | None = None, **kwargs: object) -> OrganisationForm:
    form = OrganisationForm(**kwargs)
    # An organisation cannot sit under itself or anything below it.
    below = descendant_ids(org.id) if org else set()
    parents = [(id_, name) for id_, name in organisation_choices(None) if id_ not in below]
    form.parent_id.choices = options([(NO_PARENT, "（无：最高一级）"), *parents])
    return form


def _valid(form: OrganisationForm, org: Organisation | None) -> bool:
    if not form.validate():
        return False
    name = (form.name.data or "").strip()
    clash = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name))
    if clash is not None and (org is None or clash != org.id):
        form.name.errors = ["已经有同名的工会组织"]
        return False
    return True


def _apply(form: OrganisationForm, org: Organisation) -> None:
    org.name = (form.name.data or "").strip()
    org.level = form.level.data or ""
    org.parent_id = form.parent_id.data or None


def _tree() -> list[tuple[Organisation, int, dict[str, int]]]:
    """Every organisation in tree order, with its depth and what hangs off it."""
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    counts = {
        key: dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())
        for key, column in (
            ("sites", Site.organisation_id),
            ("sessions", OutreachSession.organisation_id),
            ("staff", StaffUser.organisation_id),
        )
    }
    children: dict[int | None, list[Organisation]] = {}
    for org in orgs:
        children.setdefault(org.parent_id, []).append(org)
    rows: list[tuple[Organisation, int, dict[str, int]]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for org in children.get(parent_id, []):
            rows.append((org, depth, {key: c.get(org.id, 0) for key, c in counts.items()}))
            walk(org.id, depth + 1)

    walk(None, 0)
    return rows


@bp.get("/orgs")
@admin_required
def orgs() -> ResponseReturnValue:
    return render_template("admin/orgs/list.html", rows=_tree())


@bp.get("/orgs/new")
@admin_required
def org_new() -> ResponseReturnValue:
    return render_template("admin/orgs/form.html", form=_form(formdata=None), org=None)


@bp.post("/orgs/new")
@admin_required
def org_create() -> ResponseReturnValue:
    form = _form()
    if not _valid(form, None):
        return render_template("admin/orgs/form.html", form=form, org=None), 422
    org = Organisation()
    _apply(form, org)
    db.session.add(org)
    db.session.commit()
    audit.record("org_create", organisation_id=org.id, name=org.name, parent=org.parent_id)
    flash(f"已添加工会组织 {org.name}", "success")
    return redirect(url_for("admin.orgs"))


def _org_or_404(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


@bp.get("/orgs/<int:org_id>/edit")
@admin_required
def org_edit(org_id: int) -> ResponseReturnValue:
    org = _org_or_404(org_id)
    form = _form(org, formdata=None, obj=org)
    form.parent_id.data = org.parent_id or NO_PARENT
    return render_template("admin/orgs/form.html", form=form, org=org)


@bp.post("/orgs/<int:org_id>/edit")
@admin_required
def org_update(org_id: int) -> ResponseReturnValue:
    org = _org_or_404(org_id)
    form = _form(org)
    if not _valid(form, org):
        return render_template("admin/orgs/form.html", form=form, org=org), 422
    _apply(form, org)
    db.session.commit()
    audit.record("org_update", organisation_id=org.id, name=org.name, parent=org.parent_id)
    flash(f"已保存工会组织 {org.name}", "success")
    return redirect(url_for("admin.orgs"))
