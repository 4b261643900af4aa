"""A month's pattern of sessions ("every Tuesday 14:00–17:00 at site X"), read and expanded.

The same rules come from a YAML file (`flask --app kiosk plan month --pattern`)
and from the 排期 page's form. The format, in the README:

    sessions:
      - kind: worker          # worker 职工沟通会 | enterprise 企业沟通会 | district 区级沟通会
        weekday: 2            # 1–7 (周一…周日), or 周二 / tuesday
        weeks: every          # every week, or which of the month's such weekdays: [2, 4]
        start: "14:00"        # Beijing time; a session ends on the day it starts
        end: "17:00"
        site: 首航超市         # optional: a site (点位) of the organisation
        title: 首航超市职工沟通会  # optional: else "<union><kind>"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from kiosk.cadence.months import WEEKDAY_NAMES, Month, at
from kiosk.choices import SESSION_KINDS, chinese

ENGLISH_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_RULES = 20
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class PatternError(ValueError):
    """A pattern that cannot be used; the message is Chinese and names the rule."""


@dataclass(frozen=True)
class Rule:
    kind: str
    weekday: int  # 0 = Monday, as date.weekday()
    weeks: tuple[int, ...] | None  # None: every week
    start: time
    end: time
    site: str | None = None
    title: str | None = None

    def days(self, month: Month) -> list[date]:
        if self.weeks is None:
            return [d for d in month.days() if d.weekday() == self.weekday]
        found = (month.nth_weekday(n, self.weekday) for n in self.weeks)
        return sorted(d for d in found if d is not None)

    def describe(self) -> str:
        which = (
            "每周"
            if self.weeks is None
            else "每月第" + "、".join(str(n) for n in self.weeks) + "个"
        )
        where = f"，{self.site}" if self.site else ""
        return (
            f"{which}{WEEKDAY_NAMES[self.weekday]} {self.start:%H:%M}–{self.end:%H:%M}"
            f"{where}（{chinese(SESSION_KINDS[self.kind])}）"
        )


@dataclass(frozen=True)
class Slot:
    """One session a pattern asks for."""

    kind: str
    starts_at: datetime  # UTC
    ends_at: datetime
    site: str | None
    title: str | None


def parse(data: Any) -> list[Rule]:
    """Rules from the parsed YAML (or the form): a mapping with a `sessions` list."""
    if not isinstance(data, dict) or not isinstance(data.get("sessions"), list):
        raise PatternError("排期模板应包含 sessions 列表，格式见 README")
    entries = data["sessions"]
    if not entries:
        raise PatternError("排期模板里没有任何场次")
    if len(entries) > MAX_RULES:
        raise PatternError(f"排期模板最多 {MAX_RULES} 条")
    return [_rule(entry, number) for number, entry in enumerate(entries, start=1)]


def _rule(entry: Any, number: int) -> Rule:
    where = f"第 {number} 条："
    if not isinstance(entry, dict):
        raise PatternError(f"{where}应写成 kind、weekday、start、end 等字段")
    kind = str(entry.get("kind", "")).strip()
    if kind not in SESSION_KINDS:
        raise PatternError(f"{where}类型应为 {'、'.join(SESSION_KINDS)} 之一")
    start, end = _clock(entry.get("start"), where, "开始"), _clock(entry.get("end"), where, "结束")
    if end <= start:
        raise PatternError(f"{where}结束时间必须晚于开始时间（同一天内）")
    return Rule(
        kind=kind,
        weekday=_weekday(entry.get("weekday"), where),
        weeks=_weeks(entry.get("weeks", "every"), where),
        start=start,
        end=end,
        site=_text(entry.get("site"), where, "点位", 100),
        title=_text(entry.get("title"), where, "标题", 100),
    )


def _weekday(value: Any, where: str) -> int:
    text = str(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text) - 1
    for names in (WEEKDAY_NAMES, ENGLISH_DAYS):
        if text in names:
            return names.index(text)
    if text.startswith("星期") and "周" + text[2:] in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index("周" + text[2:])
    raise PatternError(f"{where}星期应为 1–7 或 周一…周日")


def _weeks(value: Any, where: str) -> tuple[int, ...] | None:
    if value is None or str(value).strip().lower() in {"every", "每周"}:
        return None
    items = value if isinstance(value, list) else str(value).replace("、", ",").split(",")
    try:
        weeks = tuple(sorted({int(str(item).strip()) for item in items}))
    except ValueError:
        weeks = ()
    if not weeks or not all(1 <= n <= 5 for n in weeks):
        raise PatternError(f"{where}weeks 应为 every 或 1–5 的列表，例如 [2, 4]")
    return weeks


def _clock(value: Any, where: str, which: str) -> time:
    if isinstance(value, int) and 0 <= value < 24 * 60:  # YAML 1.1 reads 14:00 as 840 minutes
        return time(value // 60, value % 60)
    match = _CLOCK.match(str(value or "").strip())
    if not match:
        raise PatternError(f"{where}{which}时间应写成 14:00 这样的格式")
    return time(int(match.group(1)), int(match.group(2)))


def _text(value: Any, where: str, what: str, limit: int) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > limit:
        raise PatternError(f"{where}{what}不能超过 {limit} 个字")
    return text or None


def expand(rules: list[Rule], month: Month) -> list[Slot]:
    """Every session the rules ask for in `month`, in time order (duplicates once)."""
    slots = {
        (rule.kind, at(day, rule.start), rule.site): Slot(
            rule.kind, at(day, rule.start), at(day, rule.end), rule.site, rule.title
        )
        for rule in rules
        for day in rule.days(month)
    }
    return sorted(slots.values(), key=lambda s: (s.starts_at, s.kind, s.site or ""))
