"""iCalendar feeds: the public schedule, and each union's private feed behind a token."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, request, url_for

from kiosk.cadence import feeds, ical
from kiosk.cadence.tally import Tree
from kiosk.extensions import db
from kiosk.models import OutreachSession, utcnow

bp = Blueprint("calendar_feeds", __name__, url_prefix="/calendar")

ICS = "text/calendar; charset=utf-8"
PRIVATE_PAST = timedelta(days=62)  # last month and this one, for looking back
PRIVATE_AHEAD = timedelta(days=400)


def _ics(body: bytes, filename: str, *, private: bool) -> Response:
    response = Response(body, mimetype=ICS)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    # A private feed must not sit in a shared cache; the public one may, briefly.
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


@bp.get("/sessions.ics")
def public_feed() -> Response:
    """Upcoming planned and open sessions, for the knowledge base's 沟通会日程 page."""
    sessions = db.session.scalars(
        sa.select(OutreachSession)
        .where(
            OutreachSession.status.in_(("planned", "open")),
            OutreachSession.ends_at > utcnow(),
        )
        .order_by(OutreachSession.starts_at, OutreachSession.id)
        .limit(1000)
    ).all()
    body = ical.public(sessions, request.host, "工会沟通会日程")
    return _ics(body, "sessions.ics", private=False)


@bp.get("/<token>.ics")
def private_feed(token: str) -> Response:
    feed = feeds.find(token)
    if feed is None:
        abort(404)
    now = utcnow()
    sessions = db.session.scalars(
        sa.select(OutreachSession)
        .where(
            OutreachSession.organisation_id.in_(Tree().below(feed.organisation_id)),
            OutreachSession.starts_at >= now - PRIVATE_PAST,
            OutreachSession.starts_at < now + PRIVATE_AHEAD,
        )
        .order_by(OutreachSession.starts_at, OutreachSession.id)
    ).all()
    body = ical.private(
        sessions,
        request.host,
        f"{feed.organisation.name}沟通会",
        lambda s: url_for("admin.session_detail", session_id=s.id, _external=True),
    )
    return _ics(body, "sessions.ics", private=True)
