"""The dry run: each row of the member list, matched against the people in scope.

A row is
- **matched**: its phone number belongs to people who signed up (or have a
  follow-up record) with unions the staff member sees; all of them will be marked;
- **unmatched**: no such person in scope (nothing happens to it);
- **ambiguous**: a name is given and differs from every name signed up with that
  number, or the number appears again in the file with another join date; shown
  for staff to check by hand and never applied;
- **invalid**: the phone number or the join date cannot be read, or a cell is a
  formula.
A blank join date (or no date column) means today, as when staff set the status by hand.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from kiosk.admin.people import mask_phone
from kiosk.cadence.months import local_date
from kiosk.extensions import db
from kiosk.joined.reading import Table
from kiosk.models import FollowUp, OutreachSession, Signup, utcnow
from kiosk.scoping import Scope, in_scope
from kiosk.signups.validation import normalise_phone

STATES = {"matched": "可导入", "unmatched": "未找到", "ambiguous": "需核对", "invalid": "无效"}
PHONE_HEADERS = ("手机", "电话", "联系方式", "phone", "mobile")
NAME_HEADERS = ("姓名", "名字", "name")
DATE_HEADERS = ("入会日期", "入会时间", "加入时间", "日期", "date")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True)
class Mapping:
    phone: int
    name: int | None = None
    joined_on: int | None = None


@dataclass
class Line:
    number: int  # the row in the file, counting the header as row 1
    phone: str  # normalised, or the raw text when invalid
    name: str
    joined_on: date | None
    state: str
    reason: str = ""
    targets: list[tuple[int, str]] = field(default_factory=list)  # (organisation id, phone)

    @property
    def masked(self) -> str:
        return mask_phone(self.phone)


@dataclass
class Preview:
    lines: list[Line]

    def count(self, state: str) -> int:
        return sum(1 for line in self.lines if line.state == state)

    @property
    def people(self) -> int:
        """Distinct people (organisation, phone) the confirmation will mark."""
        return len({t for line in self.lines if line.state == "matched" for t in line.targets})


def guess(headers: list[str]) -> Mapping | None:
    """Columns whose headers look like phone, name and join date."""

    def find(words: tuple[str, ...]) -> int | None:
        for index, header in enumerate(headers):
            if any(word in header.lower() for word in words):
                return index
        return None

    phone = find(PHONE_HEADERS)
    return None if phone is None else Mapping(phone, find(NAME_HEADERS), find(DATE_HEADERS))


def parse_date(text: str) -> date | None:
    match = _DATE.match(text) or _COMPACT.match(text)
    if not match:
        raise ValueError(text)
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def preview(table: Table, mapping: Mapping, scope: Scope) -> Preview:
    today = local_date(utcnow())
    lines = [_line(row, n, mapping, today) for n, row in enumerate(table.rows, start=2)]
    valid = [line for line in lines if line.state != "invalid"]
    people, names = _people({line.phone for line in valid}, scope)
    dates: dict[str, set[date | None]] = defaultdict(set)
    for line in valid:
        dates[line.phone].add(line.joined_on)
    for line in valid:
        line.targets = sorted(people.get(line.phone, ()))
        if len(dates[line.phone]) > 1:
            line.state, line.reason = "ambiguous", "同一手机号在文件中出现多次，入会日期不同"
        elif not line.targets:
            line.state, line.reason = "unmatched", "您管理的范围内没有这个手机号的登记"
        elif line.name and line.name not in names[line.phone]:
            known = "、".join(sorted(names[line.phone])) or "无"
            line.state, line.reason = "ambiguous", f"姓名不一致，登记的姓名：{known}"
        else:
            line.state = "matched"
    return Preview(lines)


def _line(row: list[str], number: int, mapping: Mapping, today: date) -> Line:
    raw_phone = row[mapping.phone] if mapping.phone < len(row) else ""
    name = row[mapping.name].strip() if mapping.name is not None else ""
    raw_date = row[mapping.joined_on].strip() if mapping.joined_on is not None else ""
    line = Line(number, raw_phone, name, today, "invalid")
    cells = [raw_phone, name, raw_date]
    if any(cell.startswith("=") for cell in cells):
        line.reason = "单元格是公式，请在 Excel 中把公式转换为数值后再导入"
        return line
    phone, error = normalise_phone(raw_phone)
    if error:
        line.reason = f"手机号无法识别：{str(error)}"
        return line
    line.phone = phone
    if raw_date:
        try:
            line.joined_on = parse_date(raw_date)
        except ValueError:
            line.reason = f"入会日期无法识别：{raw_date[:20]}（应为 2026-11-05 这样的格式）"
            return line
        if line.joined_on and line.joined_on > today:
            line.reason = "入会日期在今天之后"
            return line
    line.state = "matched"
    return line


def _people(
    phones: set[str], scope: Scope
) -> tuple[dict[str, set[tuple[int, str]]], dict[str, set[str]]]:
    """For each phone: the (organisation, phone) people in scope, and the names they gave."""
    people: dict[str, set[tuple[int, str]]] = defaultdict(set)
    names: dict[str, set[str]] = defaultdict(set)
    ordered = sorted(phones)
    for start in range(0, len(ordered), 500):  # keep each IN list a sensible size
        chunk = ordered[start : start + 500]
        for org_id, phone, name in db.session.execute(
            sa.select(OutreachSession.organisation_id, Signup.phone, Signup.name)
            .join(OutreachSession, Signup.session_id == OutreachSession.id)
            .where(Signup.phone.in_(chunk), in_scope(OutreachSession.organisation_id, scope))
            .distinct()
        ):
            people[phone].add((org_id, phone))
            names[phone].add(name)
        for org_id, phone in db.session.execute(
            sa.select(FollowUp.organisation_id, FollowUp.phone).where(
                FollowUp.phone.in_(chunk), in_scope(FollowUp.organisation_id, scope)
            )
        ):
            people[phone].add((org_id, phone))
    return people, names
