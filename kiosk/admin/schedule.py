"""The published schedule: upcoming sessions as docs/data/schedule.yml for the knowledge base.

The file format is a contract with the knowledge base build (kiosk/kb/render.py),
so it is written by hand, field by field, rather than by yaml.dump.
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
# 沟通会日程：由 `flask --app kiosk schedule export` 生成，也可以手工编辑。
#
# “沟通会日程”页面只显示开始时间晚于网站生成时间的场次，按时间排序。
# 每一场写成 sessions 下面的一项：
#   kind          类型：{_KINDS}
#   title         标题
#   organisation  主办工会
#   site          地点名称（例如某超市门口、某外卖站点）
#   address       地址，可以写 null
#   start / end   开始和结束时间，带时区，例如 2026-11-26T11:00:00+08:00
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


def render(sessions: list[OutreachSession]) -> str:
    if not sessions:
        return HEADER + "\nsessions: []\n"
    lines = [HEADER, "sessions:"]
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
    return "\n".join(lines) + "\n"
