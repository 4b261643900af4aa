"""Logging in and out, login throttling, and changing one's own password."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from kiosk import audit
from kiosk.accounts import authenticate, set_password
from kiosk.admin.access import staff
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import LoginForm, PasswordForm
from kiosk.extensions import db, limiter
from kiosk.redirects import safe_next


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    # Prefixed so an account named like an IP address cannot share the address's bucket.
    return "account:" + request.form.get("username", "").strip().lower()[:60]


def _failed(response: Response) -> bool:
    """Only failed attempts use up the allowance: colleagues behind one office NAT can log in."""
    return response.status_code != 302


@bp.errorhandler(429)
def too_many_attempts(_error: Exception) -> ResponseReturnValue:
    audit.record("login_throttled", username=request.form.get("username", "")[:60] or None)
    flash("登录尝试次数过多，请稍后再试", "error")
    return render_template("admin/login.html", form=LoginForm()), 429


@bp.get("/login")
def login() -> ResponseReturnValue:
    return render_template("admin/login.html", form=LoginForm())


@bp.post("/login")
@limiter.limit(_login_limit, key_func=get_remote_address, deduct_when=_failed)
@limiter.limit(_login_limit, key_func=_account_key, deduct_when=_failed)
def login_post() -> ResponseReturnValue:
    form = LoginForm()
    if not form.validate():
        return render_template("admin/login.html", form=form), 200
    user = authenticate(form.username.data or "", form.password.data or "")
    if user is None:
        audit.record("login_failed", username=(form.username.data or "").strip()[:60])
        flash("用户名或密码不正确", "error")
        return render_template("admin/login.html", form=form), 200
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
    audit.record("logout", organisation_id=staff().organisation_id)
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
    error = None
    if not form.validate():
        error = next(iter(form.errors.values()))[0]
    elif not check_password_hash(user.password_hash, form.current.data or ""):
        error = "当前密码不正确"
    if error:
        flash(error, "error")
        return render_template("admin/password.html", form=form), 200
    set_password(user, form.new.data or "")
    db.session.commit()
    audit.record("password_change", organisation_id=user.organisation_id)
    flash("密码已修改", "success")
    return redirect(url_for("admin.dashboard"))
