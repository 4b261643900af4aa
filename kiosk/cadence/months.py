"""Months and weeks as the unions count them: in Beijing time (Asia/Shanghai).

Sessions are stored in UTC. A session belongs to the month in which it starts,
in Beijing time: a session from 23:30 on 30 November to 00:30 on 1 December
belongs to November. Weeks run Monday to Sunday and are cut at the month's
edges, so a month has four to six weeks and every day is in exactly one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
THURSDAY = 3  # date.weekday()
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """2026-11 → Month(2026, 11); a ValueError with a Chinese message otherwise."""
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
            raise ValueError(f"月份格式应为 YYYY-MM，例如 2026-11：{text}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, moment: datetime) -> Month:
        """The month `moment` falls in, in Beijing time (`moment` must be aware)."""
        local = moment.astimezone(BEIJING)
        return cls(local.year, local.month)

    @classmethod
    def current(cls, now: datetime | None = None) -> Month:
        return cls.of(now or datetime.now(UTC))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n) for n in range(self.last_day.day)]

    # Cached: the month views compare every session's start with these.
    @cached_property
    def starts_at(self) -> datetime:
        """The first instant of the month (Beijing midnight), in UTC."""
        return local_midnight(self.first_day)

    @cached_property
    def ends_at(self) -> datetime:
        """The first instant of the next month, in UTC (exclusive)."""
        return self.next().starts_at

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def is_over(self, now: datetime) -> bool:
        return now >= self.ends_at

    def nth_weekday(self, n: int, weekday: int) -> date | None:
        """The n-th (1–5) given weekday of the month, or None if the month has no such day."""
        first = self.first_day
        day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        return day if day.month == self.month else None

    @property
    def third_thursday(self) -> date:
        """The day of the district session (区级职工沟通会): the month's third Thursday."""
        day = self.nth_weekday(3, THURSDAY)
        assert day is not None  # noqa: S101 - every month has at least four Thursdays
        return day

    def weeks(self) -> list[Week]:
        """Monday-to-Sunday weeks, cut at the month's first and last day."""
        found: list[Week] = []
        day = self.first_day
        while day <= self.last_day:
            end = min(day + timedelta(days=6 - day.weekday()), self.last_day)
            found.append(Week(len(found) + 1, day, end))
            day = end + timedelta(days=1)
        return found

    def week_of(self, moment: datetime) -> Week:
        """The week of this month that `moment` (inside the month) falls in."""
        local_day = moment.astimezone(BEIJING).date()
        for week in self.weeks():
            if week.first <= local_day <= week.last:
                return week
        raise ValueError(f"{moment.isoformat()} is not in {self}")


@dataclass(frozen=True)
class Week:
    number: int  # 1-based within the month
    first: date
    last: date

    @property
    def label(self) -> str:
        return f"第{self.number}周（{self.first:%m-%d}–{self.last:%m-%d}）"


def month_day(day: date) -> str:
    """3月18日: how a day is written in Chinese prose (no leading zeros)."""
    return f"{day.month}月{day.day}日"


def local_midnight(day: date) -> datetime:
    """Midnight at the start of `day` in Beijing, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=BEIJING).astimezone(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def at(day: date, clock: time) -> datetime:
    """A Beijing wall-clock time on `day`, as a UTC instant."""
    return datetime.combine(day, clock, tzinfo=BEIJING).astimezone(UTC)
