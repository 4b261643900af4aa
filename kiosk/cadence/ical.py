"""iCalendar (RFC 5545) feeds of sessions, for the calendars staff and workers already use.

The public feed carries public fields only (title, kind, organiser, place, time);
the private feed adds the status, the session code, staff notes and the reason a
session was cancelled. Times are written in UTC, which every calendar converts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from icalendar import Calendar, Event

from kiosk.choices import SESSION_KINDS, SESSION_STATUSES, chinese
from kiosk.models import OutreachSession, utcnow

PRODID = "-//Union Outreach Kit//工会双沟通工具包//ZH"


def _place(session: OutreachSession) -> str | None:
    if session.site is None:
        return None
    return "，".join(part for part in (session.site.name, session.site.address) if part)


def _event(session: OutreachSession, host: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"session-{session.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    event.add("categories", [chinese(SESSION_KINDS[session.kind])])
    place = _place(session)
    if place:
        event.add("location", place)
    return event


def public(sessions: Iterable[OutreachSession], host: str, name: str) -> bytes:
    """Upcoming sessions, public fields only: never notes, codes or reasons."""
    stamp = utcnow()
    cal = _calendar(name)
    for session in sessions:
        event = _event(session, host, stamp)
        event.add(
            "description",
            f"{chinese(SESSION_KINDS[session.kind])} · 主办：{session.organisation.name}",
        )
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def private(
    sessions: Iterable[OutreachSession],
    host: str,
    name: str,
    admin_url: Callable[[OutreachSession], str],
) -> bytes:
    """A union's sessions for its staff: status, code, notes; cancelled ones as CANCELLED."""
    stamp = utcnow()
    cal = _calendar(name)
    for session in sessions:
        event = _event(session, host, stamp)
        lines = [
            f"{chinese(SESSION_KINDS[session.kind])} · {session.organisation.name}",
            f"状态：{chinese(SESSION_STATUSES[session.status])}",
            f"编号：{session.code}",
        ]
        if session.cancel_reason:
            lines.append(f"取消原因：{session.cancel_reason}")
        if session.notes:
            lines.append(f"备注：{session.notes}")
        lines.append(admin_url(session))
        event.add("description", "\n".join(lines))
        event.add("url", admin_url(session))
        event.add("status", "CANCELLED" if session.status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    return cal
