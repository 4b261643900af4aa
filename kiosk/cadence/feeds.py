"""Private calendar feed addresses: a random token per feed, stored only as its hash.

The token is shown once, when the feed is made; whoever holds the address can
read the union's sessions, so staff revoke it when a phone is lost or a person
leaves. A SHA-256 hash is enough here: the token is 256 random bits, not a
password a person chose, so there is nothing to guess or look up.
"""

from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import CalendarFeed, StaffUser, utcnow


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(organisation_id: int, label: str, by: StaffUser) -> tuple[CalendarFeed, str]:
    """A new feed (not committed) and its token, which is not kept anywhere."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(
        organisation_id=organisation_id,
        label=label,
        token_hash=digest(token),
        created_by_id=by.id,
    )
    db.session.add(feed)
    return feed, token


def find(token: str) -> CalendarFeed | None:
    """The live feed this token opens, or None (unknown or revoked)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == digest(token), CalendarFeed.revoked_at.is_(None)
        )
    )


def revoke(feed: CalendarFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
