"""The published schedule: sessions not yet ended, as the YAML the knowledge base reads.

Publishing writes it into the build's staging folder (never into docs/, which git
tracks), so the schedule changes without any file in the checkout changing. The format
is a contract with the knowledge base build (kiosk/kb/render.py), so it is written by
hand, field by field, rather than by yaml.dump.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kiosk.choices import SESSION_KINDS, chinese
from kiosk.extensions import db
from kiosk.models import OutreachSession, utcnow

BEIJING = ZoneInfo("Asia/Shanghai")

# The file is the knowledge base's data: always Chinese, whatever the reader's language.
_KINDS = " | ".join(chinese(label) for label in SESSION_KINDS.values())
HEADER = f"""\
# 沟通会日程：发布知识库时由 kiosk 从沟通会记录生成（`flask --app kiosk schedule export`）。
#
# “沟通会日程”页面显示结束时间晚于网站生成时间的场次，按时间排序，正在进行的标明。
# calendar 是日历订阅（iCalendar）的网址，可以不写。每一场写成 sessions 下面的一项：
#   kind          类型：{_KINDS}
#   title         标题
#   organisation  主办工会
#   site          地点名称（例如某超市门口、某外卖站点）
#   address       地址，可以写 null
#   start / end   开始和结束时间，带时区，例如 2026-11-26T11:00:00+08:00
#   open          已经开始登记时写 true，可以不写
#   note          给公众看的现场说明，例如 北京银行工作人员到场办卡，可以不写
"""

_PLAIN_UNSAFE = set(":#{}[],&*!|>'\"%@`\\") | {"\n", "\t"}


def scalar(value: str | None) -> str:
    """A YAML scalar: plain when safe, otherwise a double-quoted (JSON-compatible) string."""
    if value is None:
        return "null"
    plain_ok = (
        value
        and value == value.strip()
        and not _PLAIN_UNSAFE & set(value)
        and value[0] not in "-?"
        and value.lower() not in {"null", "~", "true", "false", "yes", "no", "on", "off"}
        and not value.replace(".", "", 1).isdigit()
    )
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def _time(value: datetime) -> str:
    return value.astimezone(BEIJING).isoformat(timespec="seconds")


def upcoming(now: datetime | None = None) -> list[OutreachSession]:
    """Sessions planned or open and ending in the future, soonest first (never cancelled)."""
    return list(
        db.session.scalars(
            sa.select(OutreachSession)
            .where(
                OutreachSession.status.in_(("planned", "open")),
                OutreachSession.ends_at > (now or utcnow()),
            )
            .order_by(OutreachSession.starts_at, OutreachSession.id)
        )
    )


def render(sessions: list[OutreachSession], calendar_url: str | None = None) -> str:
    head = HEADER + (f"\ncalendar: {scalar(calendar_url)}" if calendar_url else "")
    if not sessions:
        return head + "\nsessions: []\n"
    lines = [head, "sessions:"]
    for session in sessions:
        lines += [
            f"  - kind: {scalar(chinese(SESSION_KINDS[session.kind]))}",
            f"    title: {scalar(session.title)}",
            f"    organisation: {scalar(session.organisation.name)}",
            f"    site: {scalar(session.site.name if session.site else None)}",
            f"    address: {scalar(session.site.address if session.site else None)}",
            f"    start: {_time(session.starts_at)}",
            f"    end: {_time(session.ends_at)}",
        ]
        if session.status == "open":
            lines.append("    open: true")
        if session.public_note:
            lines.append(f"    note: {scalar(session.public_note)}")
    return "\n".join(lines) + "\n"
