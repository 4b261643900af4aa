"""A person (one phone number within one organisation): follow-up, reveal, delete on request."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit, database
from kiosk.admin import people, queries, reveals
from kiosk.admin.access import signup_or_404, staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import ConfirmDeleteForm, DeletePersonForm, FollowUpForm
from kiosk.extensions import db
from kiosk.joined import uploads as joined_uploads
from kiosk.models import Signup, StaffUser
from kiosk.scoping import scoped
from kiosk.signups.validation import normalise_phone


def _render(signup: Signup, *, form: FollowUpForm | None = None):
    org_id = signup.session.organisation_id
    row = queries.follow_up(org_id, signup.phone)
    if form is None:
        form = FollowUpForm(
            formdata=None, status=row.status if row else "pending", note=row.note if row else ""
        )
    return render_template(
        "admin/people/detail.html",
        signup=signup,
        organisation=signup.session.organisation,
        signups=queries.person_signups(org_id, signup.phone),
        follow_up=row,
        updated_by=db.session.get(StaffUser, row.updated_by_id)
        if row and row.updated_by_id
        else None,
        form=form,
        delete_form=ConfirmDeleteForm(formdata=None),
        revealed=reveals.shown("signup", signup.id),
    )


@bp.get("/people/<uuid:signup_id>")
@login_required
def person(signup_id: uuid.UUID) -> ResponseReturnValue:
    return _render(signup_or_404(signup_id))


@bp.post("/people/<uuid:signup_id>/follow-up")
@login_required
def person_follow_up(signup_id: uuid.UUID) -> ResponseReturnValue:
    signup = signup_or_404(signup_id)
    form = FollowUpForm()
    if not form.validate():
        return _render(signup, form=form), 422
    org_id = signup.session.organisation_id
    people.set_follow_up(
        org_id, signup.phone, form.status.data or "pending", form.note.data, staff()
    )
    audit.record(
        "follow_up",
        organisation_id=org_id,
        phone=audit.phone_ref(signup.phone),
        status=form.status.data,
    )
    flash("跟进状态已保存", "success")
    return redirect(url_for("admin.person", signup_id=signup.id))


@bp.post("/people/<uuid:signup_id>/reveal")
@login_required
def person_reveal(signup_id: uuid.UUID) -> ResponseReturnValue:
    """Log the reveal, then show the person's page with the full number (see reveals)."""
    signup = signup_or_404(signup_id)
    audit.record(
        "phone_reveal",
        organisation_id=signup.session.organisation_id,
        phone=audit.phone_ref(signup.phone),
        signup=str(signup.id),
    )
    reveals.remember("signup", signup.id)
    return redirect(url_for("admin.person", signup_id=signup.id))


@bp.post("/people/<uuid:signup_id>/delete")
@login_required
def person_delete(signup_id: uuid.UUID) -> ResponseReturnValue:
    signup = signup_or_404(signup_id)
    form = ConfirmDeleteForm()
    if not form.validate():
        flash("请先勾选确认再删除", "error")
        return redirect(url_for("admin.person", signup_id=signup.id))
    _delete(signup.phone)
    return redirect(url_for("admin.signups"))


@bp.get("/delete")
@login_required
def delete_request() -> ResponseReturnValue:
    return render_template("admin/people/delete.html", form=DeletePersonForm(formdata=None))


@bp.post("/delete")
@login_required
def delete_request_post() -> ResponseReturnValue:
    form = DeletePersonForm()
    phone, error = normalise_phone(form.phone.data or "")
    if not form.validate():
        return render_template("admin/people/delete.html", form=form), 422
    if error:
        form.phone.errors = [str(error)]
        return render_template("admin/people/delete.html", form=form), 422
    _delete(phone)
    return redirect(url_for("admin.delete_request"))


def _delete(phone: str) -> None:
    """Delete and log in one transaction; the log keeps counts and a keyed hash of the number."""
    deleted = people.delete_person(phone, visible())
    # Uploaded lists of joined members awaiting confirmation are files, not rows.
    staff_ids = set(
        db.session.scalars(scoped(sa.select(StaffUser.id), StaffUser.organisation_id, visible()))
    )
    uploads = joined_uploads.holding(phone, staff_ids)
    audit.record(
        "person_delete",
        organisation_id=staff().organisation_id,
        phone=audit.phone_ref(phone),
        signups=deleted.signups,
        follow_ups=deleted.follow_ups,
        attention_items=deleted.attention_items,
        company_contacts=deleted.company_contacts,
        import_drafts=deleted.import_drafts,
        joined_uploads=len(uploads),
    )
    for path in uploads:
        path.unlink(missing_ok=True)
    # The deleted rows' old pages are still in SQLite's write-ahead log until it is emptied.
    database.truncate_wal()
    if deleted.total or uploads:
        flash(
            f"已删除：{deleted.signups} 条登记、{deleted.follow_ups} 条跟进记录、"
            f"{deleted.attention_items} 条待处理记录，"
            f"并清除了 {deleted.company_contacts} 家企业档案中的联系人信息"
            + (f"、{deleted.import_drafts} 份待导入的企业名单" if deleted.import_drafts else "")
            + (f"、{len(uploads)} 份待确认的入会名单" if uploads else ""),
            "success",
        )
    else:
        flash("没有找到这个手机号的任何信息（在您可以管理的工会范围内）", "info")
