"""The city server's relay endpoints, next to /api/signups: for laptops with a relay credential.

`Authorization: Bearer <token>` on every request. A credential reads the session
list of its own subtree, creates sessions the laptop made offline, and creates
sign-ups. There is no endpoint that returns a sign-up.
"""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, request

from kiosk import audit
from kiosk.extensions import csrf, db
from kiosk.models import utcnow
from kiosk.relay import accepting, credentials
from kiosk.uploads import allow_upload

bp = Blueprint("relay_api", __name__, url_prefix="/api/relay")
# No cookies are involved: a bearer token cannot be sent by a cross-site form.
csrf.exempt(bp)

MAX_BODY = 4 * 1024 * 1024  # 1,000 sign-ups of about 1 KB of JSON each, with room


def _json(body: object, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_request
def require_credential() -> Response | None:
    credential = credentials.from_request()
    if credential is None:
        # Revoked, unknown or missing: the laptop stops and keeps everything pending.
        response = _json({"error": "invalid_credential"}, 401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="relay"'
        return response
    g.relay_credential = credential
    return None


def _body_list(key: str, limit: int) -> list | None:
    payload = request.get_json(silent=True) if request.is_json else None
    items = payload.get(key) if isinstance(payload, dict) else None
    if not isinstance(items, list) or len(items) > limit:
        return None
    return items


@bp.get("/sessions")
def session_list() -> Response:
    credential = g.relay_credential
    body = {
        "organisation": credential.organisation.name,
        "organisations": accepting.organisations(credential),
        "sessions": accepting.sessions(credential),
    }
    credential.last_used_at = utcnow()
    db.session.commit()
    return _json(body, 200)


@bp.post("/sessions")
def session_push() -> Response:
    items = _body_list("sessions", 200)
    if items is None:
        return _json({"error": "malformed_json"}, 400)
    credential = g.relay_credential
    results = []
    for item in items:
        status, body = accepting.take_session(credential, item)
        results.append({"status": status, "body": body})
    created = [r["body"]["code"] for r in results if r["status"] == 201]
    if created:
        audit.record(
            "relay_sessions",
            organisation_id=credential.organisation_id,
            credential=credential.id,
            label=credential.label,
            created=created,
        )
    return _json({"results": results}, 200)


@bp.post("/signups")
@allow_upload(MAX_BODY)
def signup_push() -> Response:
    items = _body_list("signups", accepting.MAX_SIGNUPS)
    if items is None:
        return _json({"error": "malformed_json"}, 400)
    credential = g.relay_credential
    answers = accepting.take_signups(credential, items)
    results = [
        {"id": id_, "status": outcome.status, "body": outcome.body} for id_, outcome in answers
    ]
    counts: dict[str, int] = {}
    for result in results:
        key = str(result["status"])
        counts[key] = counts.get(key, 0) + 1
    # One entry per batch: who pushed, how many, and how each was answered. No names.
    credential.last_used_at = utcnow()
    audit.record(
        "relay_push",
        organisation_id=credential.organisation_id,
        credential=credential.id,
        label=credential.label,
        received=len(items),
        answers=counts,
    )
    return _json({"results": results}, 200)
