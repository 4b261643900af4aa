"""JSON API used by the kiosk page. Stable and documented in the README."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from kiosk import tablets
from kiosk.extensions import csrf, db
from kiosk.signups import attention
from kiosk.signups.store import Unavailable, store
from kiosk.signups.validation import validate_signup

bp = Blueprint("api", __name__, url_prefix="/api")
# The tablet cookie is SameSite=Strict and the body must be JSON, which a
# cross-site form cannot send, so CSRF tokens add nothing here.
csrf.exempt(bp)


def _json(body: dict, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health")
def health() -> Response:
    """The trivial endpoint: also the baseline for bench_signups.py."""
    return _json({"ok": True}, 200)


@bp.get("/ready")
def ready() -> Response:
    """For load balancers: 200 only if this server can reach its database now.

    /api/health says the process answers; a server whose database is unreachable
    is taken out of rotation by /api/ready's 503 instead.
    """
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    return _json({"ok": True, "database": True}, 200)


@bp.post("/signups")
def create_signup() -> Response:
    if not request.is_json:
        return _json({"error": "expected_json"}, 415)
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # deeply nested JSON: the parser raises this, not ValueError
        payload = None
    if not isinstance(payload, dict):
        return _json({"error": "malformed_json"}, 400)
    # Only the signature here; whether the binding is still live, and to which
    # session, the writer checks for the whole batch it commits (kiosk.signups.refusal).
    binding_id = tablets.binding_id_from_cookie()
    if binding_id is None:
        return _json({"error": "tablet_not_bound"}, 403)
    clean, errors = validate_signup(payload)
    if errors:
        return _json({"errors": {field: str(message) for field, message in errors.items()}}, 422)
    try:
        outcome = store(clean, source="kiosk", binding_id=binding_id)
    except Unavailable:
        # Nothing was stored; the tablet keeps the sign-up queued and retries it.
        response = _json({"error": "try_again"}, 503)
        response.headers["Retry-After"] = "5"
        return response
    return _json(outcome.body, outcome.status)


@bp.post("/attention")
def report_attention() -> Response:
    """A sign-up the server refused (422/409/403), handed over for staff to resolve."""
    if not request.is_json:
        return _json({"error": "expected_json"}, 415)
    binding = tablets.current_binding()
    if binding is None:
        return _json({"error": "tablet_not_bound"}, 403)
    body, status = attention.report(request.get_json(silent=True), binding)
    return _json(body, status)
