"""On the laptop: copy the city server's organisations and sessions, same codes on both sides."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kiosk.choices import ORG_LEVELS, SESSION_KINDS
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site, utcnow
from kiosk.relay.client import UpstreamError, call

# A session only moves forward: the booth may have opened one the city still has planned.
_PROGRESS = {"planned": 0, "open": 1, "closed": 2, "cancelled": 2}


def _time(raw: object) -> datetime | None:
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


def _organisation(name: str, level: str, parent: str | None) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if org is None:
        parent_org = (
            db.session.scalar(sa.select(Organisation).where(Organisation.name == parent))
            if parent
            else None
        )
        org = Organisation(
            name=name,
            level=level if level in ORG_LEVELS else "subdistrict",
            parent_id=parent_org.id if parent_org else None,
        )
        db.session.add(org)
        db.session.flush()
    return org


def _site(organisation_id: int, name: object) -> int | None:
    if not isinstance(name, str) or not name:
        return None
    site = db.session.scalar(
        sa.select(Site).where(Site.organisation_id == organisation_id, Site.name == name)
    )
    if site is None:
        site = Site(organisation_id=organisation_id, name=name)
        db.session.add(site)
        db.session.flush()
    return site.id


def _apply(item: dict[str, Any], now: datetime) -> bool:
    """Create or update one pulled session; True if it is new here."""
    org = _organisation(item["organisation"], "subdistrict", None)
    site_id = _site(org.id, item.get("site"))
    session = db.session.scalar(
        sa.select(OutreachSession).where(OutreachSession.code == item["code"])
    )
    created = session is None
    if session is None:
        session = OutreachSession(code=item["code"], status="planned")
    elif session.upstream_pulled_at is None:
        return False  # our own local session, echoed back once the city took it
    session.title = item["title"]
    session.kind = item["kind"] if item["kind"] in SESSION_KINDS else "worker"
    session.organisation_id = org.id
    session.site_id = site_id
    session.starts_at = _time(item["starts_at"]) or now
    session.ends_at = _time(item["ends_at"]) or now
    if _PROGRESS[item["status"]] > _PROGRESS[session.status]:
        session.status = item["status"]
    if item["status"] == "closed":
        # The city's closing time, so the grace period is the same on both sides.
        session.status = "closed"
        session.closed_at = _time(item.get("closed_at")) or now
    session.upstream_pulled_at = now
    db.session.add(session)
    return created


def pull() -> dict[str, int]:
    """Fetch and apply the session list; how many sessions were new and how many known."""
    answer = call("GET", "/api/relay/sessions")
    try:
        now = utcnow()
        for org in answer["organisations"]:
            _organisation(org["name"], org["level"], org["parent"])
        created = sum(_apply(item, now) for item in answer["sessions"])
        db.session.commit()
    except (KeyError, TypeError, ValueError) as error:
        db.session.rollback()
        raise UpstreamError("上级服务器的沟通会列表无法识别") from error
    return {"new": created, "known": len(answer["sessions"]) - created}
