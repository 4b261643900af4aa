"""What anyone may open: the phone sign-up form, the privacy notice, the language toggle."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from kiosk import links, privacy
from kiosk.extensions import LANGUAGES, db, limiter
from kiosk.models import OutreachSession, normalise_code, utcnow
from kiosk.redirects import safe_next
from kiosk.signups.store import Unavailable, store
from kiosk.signups.validation import validate_signup

bp = Blueprint("public", __name__)


def _phone_limit() -> str:
    return current_app.config["PHONE_SIGNUP_RATE_LIMIT"]


def _session_or_404(code: str) -> OutreachSession:
    session = db.session.scalar(
        sa.select(OutreachSession).where(OutreachSession.code == normalise_code(code))
    )
    if session is None:
        abort(404)
    return session


@bp.get("/")
def home() -> Response:
    return redirect(url_for("kiosk.screen"))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico on every site whatever the page links: answer it."""
    return send_from_directory(
        current_app.static_folder or "", "favicon.ico", mimetype="image/x-icon", max_age=86400
    )


@bp.get("/privacy")
def privacy_notice() -> str:
    return render_template(
        "public/privacy.html",
        title=privacy.notice_title(),
        body=privacy.notice_html(),
        version=privacy.notice_version(),
    )


@bp.get("/lang/<code>")
def set_language(code: str) -> Response:
    # Only same-site paths: an open redirect would let a QR code send people anywhere.
    response = redirect(safe_next(request.args.get("next"), url_for("kiosk.screen")))
    if code in LANGUAGES:
        response.set_cookie("lang", code, max_age=365 * 86400, samesite="Lax", httponly=True)
    return response


def _render_form(
    session: OutreachSession, values: dict, errors: dict, status: int = 200, notice: str = ""
):
    response = current_app.make_response(
        (
            render_template(
                "public/signup.html",
                session=session,
                values=values,
                errors=errors,
                notice=notice,
                consent_version=privacy.notice_version(),
                privacy_html=privacy.notice_html(),
                kb_url=links.kb_link(),
            ),
            status,
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_open(session: OutreachSession):
    """403: not taking sign-ups. A session still to come says when and where it will be."""
    upcoming = session.status == "planned" and session.ends_at > utcnow()
    page = render_template(
        "public/closed.html", session=session, upcoming=upcoming, kb_url=links.kb_link()
    )
    return page, 403


@bp.get("/s/<code>")
def signup_form(code: str):
    session = _session_or_404(code)
    if session.status != "open":
        return _not_open(session)
    # The id is made when the form is shown, so a double tap on submit stores one row.
    return _render_form(session, {"id": str(uuid.uuid4())}, {})


@bp.post("/s/<code>")
@limiter.limit(_phone_limit)
def signup_submit(code: str):
    session = _session_or_404(code)
    if session.status != "open":
        return _not_open(session)
    form = request.form.to_dict()
    form["interests"] = request.form.getlist("interests")
    form["session"] = code
    form.pop("csrf_token", None)
    clean, errors = validate_signup(form)
    if errors:
        if "id" in errors:
            form["id"] = str(uuid.uuid4())
        return _render_form(session, form, errors, 422)
    try:
        outcome = store(clean, source="phone")
    except Unavailable:
        # Same values, same id: pressing submit again cannot store the person twice.
        notice = _("暂时没能保存，请稍等片刻再点一次“提交登记”。")
        return _render_form(session, form, {}, 503, notice=notice)
    if outcome.status == 422:  # the database refused the row itself
        return _render_form(session, form, {}, 422, notice=outcome.body["errors"]["signup"])
    if outcome.status == 409:
        # Someone edited the form after an earlier successful submit: a new person.
        form["id"] = str(uuid.uuid4())
        return _render_form(session, form, {}, 409)
    if outcome.status >= 400:
        return _not_open(session)
    return redirect(url_for("public.thanks", code=code))


@bp.get("/s/<code>/thanks")
def thanks(code: str) -> str:
    session = _session_or_404(code)
    return render_template("public/thanks.html", session=session, kb_url=links.kb_link())
