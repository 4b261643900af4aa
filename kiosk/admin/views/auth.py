"""Logging in and out, and changing one's own password (both checked by kiosk.credentials)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required, login_user, logout_user

from kiosk import audit, credentials
from kiosk.accounts import end_sessions, set_password
from kiosk.admin.access import staff
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import LoginForm, PasswordForm
from kiosk.extensions import db
from kiosk.redirects import safe_next


@bp.get("/login")
def login() -> ResponseReturnValue:
    return render_template("admin/login.html", form=LoginForm())


@bp.post("/login")
def login_post() -> ResponseReturnValue:
    form = LoginForm()
    if not form.validate():
        return render_template("admin/login.html", form=form), 200
    try:
        user = credentials.check(
            form.username.data or "", form.password.data or "", via="admin_login"
        )
    except credentials.Refused as refused:
        flash(str(refused.message), "error")
        return render_template("admin/login.html", form=form), refused.status
    session.clear()  # a fresh session on login: no fixation
    login_user(user)
    # Permanent sessions get PERMANENT_SESSION_LIFETIME, and Flask re-issues the
    # cookie on every request, so the lifetime is an idle timeout.
    session.permanent = True
    audit.record("login", actor=user, organisation_id=user.organisation_id)
    # Only paths inside the admin area: no open redirect via ?next=.
    return redirect(
        safe_next(request.args.get("next"), url_for("admin.dashboard"), within="/admin/")
    )


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    user = staff()
    end_sessions(user)  # a copy of this cookie, anywhere, ends too
    db.session.commit()
    audit.record("logout", actor=user, organisation_id=user.organisation_id)
    logout_user()
    session.clear()
    flash("已退出登录", "info")
    return redirect(url_for("admin.login"))


@bp.get("/password")
@login_required
def password() -> ResponseReturnValue:
    return render_template("admin/password.html", form=PasswordForm())


@bp.post("/password")
@login_required
def password_post() -> ResponseReturnValue:
    form = PasswordForm()
    user = staff()
    error, status = None, 200
    if not form.validate():
        error = next(iter(form.errors.values()))[0]
    else:
        try:
            credentials.check(user.username, form.current.data or "", via="password_change")
        except credentials.Refused as refused:
            error = "当前密码不正确" if refused.status == 200 else str(refused.message)
            status = refused.status
    if error:
        flash(error, "error")
        return render_template("admin/password.html", form=form), status
    set_password(user, form.new.data or "")  # ends every login, this one too...
    db.session.commit()
    session.clear()
    login_user(user)  # ...which goes on with a fresh cookie
    session.permanent = True
    audit.record("password_change", actor=user, organisation_id=user.organisation_id)
    flash("密码已修改", "success")
    return redirect(url_for("admin.dashboard"))
