"""账号: admins create staff accounts, disable or re-enable them, and grant 内容编辑."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from kiosk import audit
from kiosk.accounts import create_user, end_sessions, set_content_editor
from kiosk.admin.access import admin_required, staff
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import UserForm, options
from kiosk.extensions import db
from kiosk.models import Organisation, StaffUser
from kiosk.scoping import organisation_choices


def _form(**kwargs: object) -> UserForm:
    form = UserForm(**kwargs)
    form.organisation_id.choices = options([(0, "（无：仅管理员）"), *organisation_choices(None)])
    return form


@bp.get("/users")
@admin_required
def users() -> ResponseReturnValue:
    rows = db.session.execute(
        sa.select(StaffUser, Organisation.name)
        .outerjoin(Organisation, StaffUser.organisation_id == Organisation.id)
        .order_by(StaffUser.active.desc(), StaffUser.username)
    ).all()
    return render_template("admin/users/list.html", rows=rows)


@bp.get("/users/new")
@admin_required
def user_new() -> ResponseReturnValue:
    return render_template("admin/users/form.html", form=_form(formdata=None))


@bp.post("/users/new")
@admin_required
def user_create() -> ResponseReturnValue:
    form = _form()
    error = None
    username = (form.username.data or "").strip()
    if not form.validate():
        error = next(iter(form.errors.values()))[0]
    elif not form.is_admin.data and not form.organisation_id.data:
        error = "工作人员账号必须属于一个工会组织"
    elif db.session.scalar(sa.select(StaffUser.id).where(StaffUser.username == username)):
        error = "这个用户名已经有人用了"
    if error:
        flash(error, "error")
        return render_template("admin/users/form.html", form=form), 422
    user = create_user(
        username,
        form.password.data or "",
        organisation_id=form.organisation_id.data or None,
        is_admin=bool(form.is_admin.data),
        is_content_editor=bool(form.is_content_editor.data),
        display_name=(form.display_name.data or "").strip() or None,
    )
    audit.record(
        "user_create", organisation_id=user.organisation_id, user=user.username, admin=user.is_admin
    )
    flash(f"已创建账号 {user.username}", "success")
    return redirect(url_for("admin.users"))


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    if user.id == staff().id:
        flash("不能停用自己的账号", "error")
        return redirect(url_for("admin.users"))
    user.active = active
    if not active:
        end_sessions(user)
    db.session.commit()
    audit.record(
        "user_enable" if active else "user_disable",
        organisation_id=user.organisation_id,
        user=user.username,
    )
    flash(f"已{'启用' if active else '停用'}账号 {user.username}", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/disable")
@admin_required
def user_disable(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
@admin_required
def user_enable(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, True)


def _set_content_editor(user_id: int, granted: bool) -> ResponseReturnValue:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    set_content_editor(user, granted)
    flash(f"已{'授予' if granted else '取消'} {user.username} 的内容编辑角色", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/content-editor")
@admin_required
def user_grant_content(user_id: int) -> ResponseReturnValue:
    return _set_content_editor(user_id, True)


@bp.post("/users/<int:user_id>/content-editor/revoke")
@admin_required
def user_revoke_content(user_id: int) -> ResponseReturnValue:
    return _set_content_editor(user_id, False)
