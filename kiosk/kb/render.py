"""The generated parts of pages, as Markdown or HTML, from the data files and the benefit pages."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from kiosk import qr
from kiosk.kb.pages import read_page, sections
from kiosk.kb.schema import FACILITIES, MARKER

HOTLINE = "12351"
ASK_STAFF = "请向沟通会现场的工会工作人员咨询，或拨打工会服务职工热线 12351。"

# Labels shown for the keys of docs/data/local.yml, in display order.
LOCAL_LABELS: dict[str, str] = {
    "union_name": "工会名称",
    "phone": "咨询电话",
    "address": "办公地址",
    "hours": "办公时间",
    "wechat": "微信群/公众号",
}

# What the privacy notice needs from docs/data/local.yml before a production build: the
# union that answers for the data (the PIPL's personal information handler) and where
# people send deletion requests. A development build only warns without them.
PRODUCTION_LOCAL: dict[str, str] = {
    "union_name": "负责处理登记信息的工会名称",
    "deletion_contact": "删除和查询请求的联系方式",
}

WEEKDAYS = "一二三四五六日"


def expand(markdown: str, generators: dict[str, Callable[[], str]]) -> str:
    """Replace each marker line (<!-- kb:name -->) that has a generator with its output."""

    def replace(match: re.Match[str]) -> str:
        make = generators.get(match.group(1))
        return make() if make else match.group(0)

    # Only a marker alone on its line counts, so the staff guide can show markers in code.
    return MARKER.sub(replace, markdown)


def load_yaml(path: Path) -> dict[str, Any]:
    """Read a data file; a missing or empty file counts as empty."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def contact_block(local: dict[str, Any]) -> str:
    """Markdown list of whatever contact details the deploying union filled in."""
    rows = [
        f"- **{label}**：{html.escape(str(local[key]))}"
        for key, label in LOCAL_LABELS.items()
        if local.get(key)
    ]
    if not rows:
        return ASK_STAFF
    return "\n".join([*rows, f"- **工会服务职工热线**：{HOTLINE}"])


def missing_for_production(local: dict[str, Any]) -> list[str]:
    """The local details a production build needs that local.yml leaves empty, described."""
    return [
        f"{key}（{meaning}）"
        for key, meaning in PRODUCTION_LOCAL.items()
        if not str(local.get(key) or "").strip()
    ]


def controller_block(local: dict[str, Any]) -> str:
    """The privacy notice's line naming the union that handles sign-ups; nothing when unset."""
    name = str(local.get("union_name") or "").strip()
    return f"- **负责处理登记信息的工会**：{html.escape(name)}" if name else ""


def deletion_block(local: dict[str, Any]) -> str:
    """Where to send a deletion request, from local.yml, with a fallback that is always true."""
    contact = str(local.get("deletion_contact") or "").strip()
    days = local.get("retention_days")
    lines = []
    if contact:
        lines.append(f"- **删除和查询请求请联系**：{html.escape(str(contact))}")
    else:
        lines.append("- **删除和查询请求**：请告诉沟通会现场的工会工作人员，或拨打 12351。")
    if days:
        lines.append(f"- **本地设定的最长保存期限**：{int(days)} 天")
    return "\n".join(lines)


def stations_markdown(stations: list[dict[str, Any]]) -> str:
    """One H3 block per station, or a plain note when the list is empty."""
    if not stations:
        return "本地还没有登记服务站点。"
    blocks = []
    for station in stations:
        lines = [f"### {html.escape(str(station['name']))}", ""]
        lines.append(f"- **所属单位**：{html.escape(str(station.get('organisation') or '未填写'))}")
        if station.get("address"):
            lines.append(f"- **地址**：{html.escape(str(station['address']))}")
        lines.append(f"- **开放时间**：{html.escape(str(station['hours']))}")
        facilities = [f for f in station.get("facilities") or [] if f in FACILITIES]
        if facilities:
            lines.append(f"- **这里有**：{'、'.join(facilities)}")
        if station.get("note"):
            lines.append(f"- **说明**：{html.escape(str(station['note']))}")
        if station.get("map_url"):
            lines.append(f"- [在地图上查看]({station['map_url']})")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def parse_time(value: Any) -> datetime:
    """YAML gives datetimes for unquoted timestamps and strings for quoted ones."""
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def upcoming(sessions: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Sessions that have not ended yet (those in progress too), soonest first."""
    future = [s for s in sessions if parse_time(s["end"]) > now]
    return sorted(future, key=lambda s: parse_time(s["start"]))


def in_progress(session: dict[str, Any], now: datetime) -> bool:
    """Opened for sign-ups by staff, or simply under way by the clock."""
    return bool(session.get("open")) or parse_time(session["start"]) <= now


def calendar_line(url: str | None) -> str:
    if not url:
        return ""
    return (
        f"\n\n用手机日历订阅沟通会日程（iCalendar）：<{url}>。"
        "订阅以后，新安排和变动会自动出现在日历里。"
    )


def schedule_markdown(
    sessions: list[dict[str, Any]], now: datetime, calendar_url: str | None = None
) -> str:
    """Sessions in progress and coming up, each with its public note, and the calendar feed."""
    coming = upcoming(sessions, now)
    if not coming:
        return "目前没有已公布的沟通会安排。" + ASK_STAFF + calendar_line(calendar_url)
    blocks = []
    for session in coming:
        start, end = parse_time(session["start"]), parse_time(session["end"])
        when = (
            f"{start.year}年{start.month}月{start.day}日（星期{WEEKDAYS[start.weekday()]}）"
            f"{start:%H:%M}–{end:%H:%M}"
        )
        title = html.escape(str(session["title"]))
        lines = [f"### {title}（正在进行）" if in_progress(session, now) else f"### {title}", ""]
        lines.append(f"- **时间**：{when}")
        lines.append(f"- **类型**：{html.escape(str(session['kind']))}")
        lines.append(f"- **地点**：{html.escape(str(session.get('site') or '待定'))}")
        if session.get("address"):
            lines.append(f"- **地址**：{html.escape(str(session['address']))}")
        lines.append(f"- **主办**：{html.escape(str(session['organisation']))}")
        if session.get("note"):
            lines.append(f"- **现场说明**：{html.escape(str(session['note']))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + calendar_line(calendar_url)


def sources_block(meta: dict[str, Any]) -> str:
    """The page's sources and review date, written out from its front matter.

    Number and year follow the title when given: a report or a web page often has no
    document number, and may have no year. The address is written out, so it survives
    printing.
    """
    lines = []
    for source in meta.get("sources") or []:
        if not isinstance(source, dict):
            lines.append(f"- {source}")
            continue
        issuer = f"{source['issuer']}：" if source.get("issuer") else ""
        extra = "，".join(str(source[k]) for k in ("number", "year") if source.get(k))
        line = f"- {issuer}{source.get('title', '')}" + (f"（{extra}）" if extra else "")
        if source.get("url"):
            line += f"。网址：<{source['url']}>"
        lines.append(line)
    listing = "\n".join(lines)
    # md_in_html renders the list inside the div; the class lets long addresses wrap. Search
    # skips it: a reader looking for 工会法 wants the page about the law, not every page
    # that cites it.
    return (
        f'<div class="kb-sources" markdown data-search-exclude>\n\n{listing}\n\n</div>\n\n'
        f"本页内容核对日期：{meta.get('reviewed', '未填写')}"
    )


LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def strip_links(markdown: str) -> str:
    """Keep link text only: the pocket guide is printed, and its links would not resolve."""
    return MARKER.sub("", LINK.sub(r"\1", markdown))


def pocket_markdown(benefit_files: list[Path], section_names: list[str]) -> str:
    """One short entry per benefit page: its summary and the sections named, in that order."""
    entries = []
    for path in benefit_files:
        page = read_page(path)
        parts = sections(page.body)
        lines = [f"## {page.meta.get('title', path.stem)}", "", str(page.meta.get("summary", ""))]
        for name in section_names:
            if parts.get(name):
                lines += ["", f"**{name}**", "", strip_links(parts[name])]
        entries.append("\n".join(lines))
    return "\n\n".join(entries)


def qr_svg(url: str) -> str:
    """An inline SVG QR code for url, scalable by CSS, with the 4-module quiet zone kept."""
    return qr.svg_markup(url).replace("<svg ", '<svg role="img" aria-label="本页二维码" ', 1)
