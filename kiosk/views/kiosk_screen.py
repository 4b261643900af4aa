"""The booth tablet: attract screen, sign-up form and thank-you, bound to one session."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from kiosk import audit, credentials, links, privacy, qr, tablets
from kiosk.extensions import LANGUAGES, db
from kiosk.models import OutreachSession, StaffUser, TabletBinding, normalise_code
from kiosk.scoping import can_see_org
from kiosk.signups.validation import browser_rules
from kiosk.text import clean_line

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


class CredentialsForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=60)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


class SetupForm(CredentialsForm):
    # Typed by hand: room for spaces between groups and full-width characters.
    code = StringField(validators=[DataRequired(), Length(max=40)])
    label = StringField(filters=[clean_line], validators=[Length(max=60)])


def _no_store(response: Response) -> Response:
    # Nothing typed at the booth may come back from the browser cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
def screen():
    binding = tablets.current_binding()
    if binding is None:
        return redirect(url_for("kiosk.setup"))
    session = binding.session
    return _no_store(
        current_app.make_response(
            render_template(
                "kiosk/screen.html",
                session=session,
                signup_rules=browser_rules(),
                consent_version=privacy.notice_version(),
                has_join=bool(
                    current_app.config["JOIN_URL"] or current_app.config["JOIN_QR_IMAGE"]
                ),
                has_wechat=bool(current_app.config["WECHAT_GROUP_QR_IMAGE"]),
                phone_url=links.phone_signup_url(session),
                kb_url=links.kb_url(),
                idle_seconds=current_app.config["IDLE_SECONDS"],
                idle_warning_seconds=current_app.config["IDLE_WARNING_SECONDS"],
                thanks_seconds=current_app.config["THANKS_SECONDS"],
                privacy_title=privacy.notice_title(),
                privacy_html=privacy.notice_html(),
                languages=LANGUAGES,
                **_sync_settings(),
            )
        )
    )


def _sync_settings() -> dict[str, int]:
    """Retry timing for the tablet's background sender (short in tests)."""
    config = current_app.config
    return {
        "sync_base_ms": config["SYNC_BASE_BACKOFF_MS"],
        "sync_max_ms": config["SYNC_MAX_BACKOFF_MS"],
        "sync_interval_seconds": config["SYNC_INTERVAL_SECONDS"],
        "sync_timeout_ms": config["SYNC_TIMEOUT_MS"],
    }


@bp.get("/sw.js")
def service_worker() -> Response:
    """The offline worker, served from /kiosk/ so its scope covers the kiosk screen."""
    response = send_file(
        Path(current_app.static_folder or "") / "kiosk-sw.js",
        mimetype="text/javascript",
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


def _setup_page(form: SetupForm, status: int = 200) -> Response:
    page = render_template("kiosk/setup.html", form=form)
    return _no_store(current_app.make_response((page, status)))


@bp.get("/setup")
def setup() -> Response:
    return _setup_page(SetupForm(code=request.args.get("code", "")))


@bp.post("/setup")
def setup_post() -> Response:
    form = SetupForm(code=request.args.get("code", ""))
    if not form.validate():
        return _setup_page(form)
    code = normalise_code(form.code.data or "")
    session = db.session.scalar(sa.select(OutreachSession).where(OutreachSession.code == code))
    try:
        # A code that is unknown, or of a union this account may not see, is answered
        # like a wrong password: the answer must never confirm a guessed password.
        staff = credentials.check(
            form.username.data or "",
            form.password.data or "",
            via="kiosk_setup",
            allowed=lambda user: session is not None and can_see_org(user, session.organisation_id),
        )
    except credentials.Refused as refused:
        flash(
            _("用户名、密码或沟通会编号不正确") if refused.status == 200 else str(refused.message),
            "error",
        )
        return _setup_page(form, refused.status)
    assert session is not None  # noqa: S101 - `allowed` checked it
    if session.status in ("closed", "cancelled"):
        # Said only to someone whose password was right: a sign-in, so it is logged as one.
        audit.record(
            "tablet_bind_failed",
            actor=staff,
            organisation_id=session.organisation_id,
            session=session.code,
            reason=session.status,
        )
        if session.status == "closed":
            flash(_("这个沟通会已经结束"), "error")
        else:
            flash(_("这个沟通会已经取消"), "error")
        return _setup_page(form)
    return _bind(session, staff, form.label.data or None)


def _bind(session: OutreachSession, staff: StaffUser, label: str | None) -> Response:
    binding = tablets.bind(session, staff, label)
    audit.record(
        "tablet_bind",
        actor=staff,
        organisation_id=session.organisation_id,
        session=session.code,
        tablet=str(binding.id),
    )
    response = redirect(url_for("kiosk.screen"))
    tablets.set_cookie(response, binding)
    return response


def _exit_page(form: CredentialsForm, binding: TabletBinding | None, status: int = 200) -> Response:
    page = render_template("kiosk/exit.html", form=form, binding=binding)
    return _no_store(current_app.make_response((page, status)))


@bp.get("/exit")
def exit_kiosk() -> Response:
    return _exit_page(CredentialsForm(), tablets.current_binding())


@bp.post("/exit")
def exit_kiosk_post() -> Response:
    binding = tablets.current_binding()
    response = redirect(url_for("kiosk.setup"))
    tablets.clear_cookie(response)
    if binding is None:
        # Nothing to leave, so no password is checked: the answer is the same for any,
        # and this page cannot be used to test one.
        return response
    form = CredentialsForm()
    if not form.validate():
        return _exit_page(form, binding)
    try:
        staff = credentials.check(
            form.username.data or "",
            form.password.data or "",
            via="kiosk_exit",
            allowed=lambda user: can_see_org(user, binding.session.organisation_id),
        )
    except credentials.Refused as refused:
        flash(str(refused.message), "error")
        return _exit_page(form, binding, refused.status)
    tablets.revoke(binding)
    audit.record(
        "tablet_unbind",
        actor=staff,
        organisation_id=binding.session.organisation_id,
        tablet=str(binding.id),
    )
    return response


def _svg(data: str) -> Response:
    response = current_app.response_class(qr.svg(data), mimetype="image/svg+xml")
    # Private: the phone code depends on this tablet's cookie, and in development an
    # address may come from the request. No shared cache may hand it to someone else.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/qr/<which>")
def qr_code(which: str) -> Response:
    """QR images for the attract screen; the phone one belongs to the bound session."""
    if which == "kb.svg":
        return _svg(links.kb_url())
    if which == "join":
        image = current_app.config["JOIN_QR_IMAGE"]
        if image:
            return send_file(Path(image), max_age=3600)
        url = links.join_url()
        if url:
            return _svg(url)
        abort(404)
    if which == "wechat" and current_app.config["WECHAT_GROUP_QR_IMAGE"]:
        return send_file(Path(current_app.config["WECHAT_GROUP_QR_IMAGE"]), max_age=3600)
    if which == "phone.svg":
        binding = tablets.current_binding()
        if binding is None:
            abort(404)
        return _svg(links.phone_signup_url(binding.session))
    abort(404)
