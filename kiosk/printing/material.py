"""What each printed sheet says, gathered from the session, the schedule and the settings.

Nothing here is invented: the line on what riders get is the session's own
`public_note` (现场提供), as staff wrote it, or else what every session of this kit does
(sign up, be called back).
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from kiosk import links
from kiosk.cadence.months import Month
from kiosk.choices import SESSION_KINDS, chinese
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession
from kiosk.scoping import Scope, descendant_ids, in_scope

BEIJING = ZoneInfo("Asia/Shanghai")
WEEKDAYS = "一二三四五六日"
# True of every session the kit runs: the form and the call-back are what it is for.
EVERY_SESSION_OFFERS = "现场扫码登记，工会工作人员会联系您，帮您了解和加入工会。"
JOIN_HINT = "微信搜索“北京工会i会员”小程序"


@dataclass(frozen=True)
class Code:
    """One captioned QR code: made from `url`, or the official `image` (a data: URI)."""

    caption: str
    note: str
    url: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class SessionSheet:
    """The poster and the table tent: a session's facts and its codes."""

    union: str
    title: str
    date: str  # 2026年12月10日（星期四）
    time: str  # 14:00–17:00
    place: str
    offer: str
    codes: tuple[Code, ...]  # poster: phone, knowledge base, join; tent: the first two


@dataclass(frozen=True)
class ScheduleRow:
    date: str
    weekday: str
    time: str
    place: str
    kind: str
    title: str
    union: str


@dataclass(frozen=True)
class ScheduleSheet:
    union: str
    month: str  # 2026年12月
    rows: tuple[ScheduleRow, ...]
    show_union: bool  # only when the sheet covers unions under this one too
    code: Code  # the knowledge base's schedule page, always current


def local(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING)


def day_label(moment: datetime) -> str:
    day = local(moment)
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def time_label(session: OutreachSession) -> str:
    start, end = local(session.starts_at), local(session.ends_at)
    if start.date() != end.date():
        return f"{start:%H:%M}–{end.month}月{end.day}日 {end:%H:%M}"
    return f"{start:%H:%M}–{end:%H:%M}"


def place_of(session: OutreachSession) -> str:
    site = session.site
    if site is None:
        return "地点另行通知"
    return f"{site.name}（{site.address}）" if site.address else site.name


def _image_uri(path: str) -> str | None:
    """The configured join image as a data: URI, so the page and the PDF embed it."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError:
        current_app.logger.error("KIOSK_JOIN_QR_IMAGE cannot be read: %s", path)
        return None
    mimetype = mimetypes.guess_type(file.name)[0] or "image/png"
    return f"data:{mimetype};base64,{base64.b64encode(data).decode()}"


def join_code() -> Code:
    """北京工会i会员: the official image if configured, else the join link, else a hint."""
    caption, note = "北京工会i会员", "扫码入会（官方渠道）"
    image = current_app.config["JOIN_QR_IMAGE"]
    if image and (uri := _image_uri(image)):
        return Code(caption, note, image=uri)
    url = links.join_url()
    if url:
        return Code(caption, note, url=url)
    return Code(caption, JOIN_HINT)


def phone_code(session: OutreachSession) -> Code:
    return Code("用手机登记", "扫码填写，工会会联系您", url=links.phone_signup_url(session))


def kb_code() -> Code:
    return Code("工会知识库", "入会办法、会员服务和权益", url=links.kb_url())


def session_sheet(session: OutreachSession, *, with_join: bool = True) -> SessionSheet:
    codes = (phone_code(session), kb_code(), *((join_code(),) if with_join else ()))
    return SessionSheet(
        union=session.organisation.name,
        title=session.title,
        date=day_label(session.starts_at),
        time=time_label(session),
        place=place_of(session),
        offer=session.public_note or EVERY_SESSION_OFFERS,
        codes=codes,
    )


def schedule_url() -> str:
    """The knowledge base's 沟通会日程 page (docs/schedule.md)."""
    return links.kb_url().rstrip("/") + "/schedule/"


def schedule_sheet(org: Organisation, month: Month, scope: Scope) -> ScheduleSheet:
    """The month's sessions of `org` and the unions under it, as staff may see them.

    Cancelled sessions are left out: the sheet is posted for riders, who need only
    where to go.
    """
    unions = descendant_ids(org.id)
    statement = (
        sa.select(OutreachSession)
        .where(
            OutreachSession.organisation_id.in_(unions),
            in_scope(OutreachSession.organisation_id, scope),
            OutreachSession.status != "cancelled",
            OutreachSession.starts_at >= month.starts_at,
            OutreachSession.starts_at < month.ends_at,
        )
        .order_by(OutreachSession.starts_at, OutreachSession.id)
    )
    sessions = db.session.scalars(statement).all()
    rows = tuple(
        ScheduleRow(
            date=f"{local(s.starts_at).month}月{local(s.starts_at).day}日",
            weekday=f"星期{WEEKDAYS[local(s.starts_at).weekday()]}",
            time=time_label(s),
            place=place_of(s),
            kind=chinese(SESSION_KINDS.get(s.kind, s.kind)),
            title=s.title,
            union=s.organisation.name,
        )
        for s in sessions
    )
    return ScheduleSheet(
        union=org.name,
        month=month.label,
        rows=rows,
        show_union=len({row.union for row in rows}) > 1,
        code=Code("沟通会日程", "扫码看最新安排", url=schedule_url()),
    )
