"""A company's fields, declared once: the admin form, the import's columns and checks, the export.

`clean()` is the one validation path: the form's input and every imported row go
through it, and get the same Chinese messages. Choices are accepted by key or by
their Chinese label (a spreadsheet says 外卖配送, not food_delivery).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import force_locale

from kiosk.choices import COMPANY_INDUSTRIES, PLATFORM_RELATIONS, UNION_STATUSES
from kiosk.companies import credit_code
from kiosk.signups.validation import clean_name, normalise_phone
from kiosk.text import clean_block, clean_line


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text, long_text, credit_code, choice, count, date, person, phone, site, org
    required: bool = False
    max_length: int | None = None
    choices: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other column headings that mean this field on import


FIELDS: tuple[Field, ...] = (
    Field("name", "企业名称", "text", required=True, max_length=100, aliases=("名称", "企业")),
    Field("credit_code", "统一社会信用代码", "credit_code", required=True, aliases=("信用代码",)),
    Field("industry", "行业", "choice", required=True, choices=COMPANY_INDUSTRIES),
    Field(
        "platform_relation",
        "与平台关系",
        "choice",
        choices=PLATFORM_RELATIONS,
        aliases=("平台关系",),
    ),
    Field("address", "地址", "text", max_length=200),
    Field("site", "点位", "site", max_length=100),
    Field("headcount", "职工人数", "count", aliases=("人数",)),
    Field(
        "gig_workers",
        "新就业形态劳动者人数",
        "count",
        aliases=("新就业形态劳动者", "骑手人数", "快递员人数"),
    ),
    Field("contact_name", "联系人", "person", max_length=40, aliases=("联系人姓名",)),
    Field("contact_position", "联系人职务", "text", max_length=40, aliases=("职务",)),
    Field("contact_phone", "联系人手机", "phone", aliases=("手机", "手机号", "联系电话")),
    Field(
        "union_status",
        "建会状态",
        "choice",
        choices=UNION_STATUSES,
        aliases=("建会情况", "工会状态"),
    ),
    Field("union_status_on", "建会状态日期", "date", aliases=("建会日期",)),
    Field("notes", "备注", "long_text", max_length=2000),
)
BY_NAME = {f.name: f for f in FIELDS}
# On import only: which union the company belongs to, when the file says so per row.
ORGANISATION = Field("organisation", "所属工会", "org", max_length=100, aliases=("工会",))

Cleaned = tuple[Any, str | None]

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _text(raw: object, f: Field) -> Cleaned:
    if raw is None:
        return None, None
    text = (clean_block if f.kind == "long_text" else clean_line)(str(raw)) or ""
    if f.max_length is not None and len(text) > f.max_length:
        return None, f"{f.label}不能超过{f.max_length}个字，现在是{len(text)}个字"
    return text or None, None


def _choice(raw: object, f: Field) -> Cleaned:
    text = " ".join(unicodedata.normalize("NFKC", str(raw or "")).split())
    if not text:
        return None, None
    for key, label in f.choices.items():
        if text in (key, label):
            return key, None
    return None, f"{f.label}应为：{'、'.join(f.choices.values())}（现在是“{text}”）"


def _count(raw: object, f: Field) -> Cleaned:
    if isinstance(raw, bool):
        return None, f"{f.label}应为整数"
    if isinstance(raw, int | float):
        number = raw
    else:
        text = unicodedata.normalize("NFKC", str(raw or "")).replace(",", "").strip()
        text = text.removesuffix("人").strip()
        if not text:
            return None, None
        try:
            number = float(text) if "." in text else int(text)
        except ValueError:
            return None, f"{f.label}应为整数（现在是“{text}”）"
    if number != int(number):
        return None, f"{f.label}应为整数（现在是“{raw}”）"
    if number < 0:
        return None, f"{f.label}不能是负数"
    if number > 10_000_000:
        return None, f"{f.label}太大了，请核对"
    return int(number), None


def parse_date(raw: object) -> date | None:
    """2026-11-21, 2026/11/21, 2026.11.21 or 2026年11月21日; a spreadsheet's own date."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    match = _DATE_RE.fullmatch(unicodedata.normalize("NFKC", str(raw or "")).strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _date(raw: object, f: Field) -> Cleaned:
    if raw in (None, ""):
        return None, None
    value = parse_date(raw)
    if value is None:
        return None, f"{f.label}应为日期，例如 2026-11-21（现在是“{raw}”）"
    return value, None


def _credit_code(raw: object, _f: Field) -> Cleaned:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # Excel keeps numbers to 15 significant digits: the last ones are already gone.
        return (
            None,
            "统一社会信用代码被 Excel 存成了数字，末几位可能已丢失：请把这一列设为“文本”后重新填写",
        )
    return credit_code.clean(raw)


def _person(raw: object, f: Field) -> Cleaned:
    if raw in (None, ""):
        return None, None
    # The sign-up checks speak the reader's language; staff files are Chinese, and an
    # import from the command line has no request to choose a language from.
    with force_locale("zh"):
        name, error = clean_name(str(raw))
        if error is not None:
            return None, f"{f.label}：{error}"
    return name or None, None


def _phone(raw: object, f: Field) -> Cleaned:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(int(raw))  # a spreadsheet cell holding the number as a number
    if raw in (None, "") or not str(raw).strip():
        return None, None
    with force_locale("zh"):  # as for _person
        phone, error = normalise_phone(str(raw))
        if error is not None:
            return None, f"{f.label}：{error}"
    return phone, None


CHECKS: dict[str, Callable[[object, Field], Cleaned]] = {
    "text": _text,
    "long_text": _text,
    "site": _text,  # a site's name; the caller finds it within the organisation
    "org": _text,  # an organisation's name; the caller finds it in the staff's scope
    "credit_code": _credit_code,
    "choice": _choice,
    "count": _count,
    "date": _date,
    "person": _person,
    "phone": _phone,
}


def clean(
    raw: Mapping[str, object], fields: tuple[Field, ...] = FIELDS
) -> tuple[dict[str, Any], dict[str, str]]:
    """The cleaned values of `fields` and, by field name, what is wrong (in Chinese)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        value, error = CHECKS[f.kind](raw.get(f.name), f)
        if error is None and f.required and value in (None, ""):
            error = f"请填写{f.label}"
        values[f.name] = value
        if error is not None:
            errors[f.name] = error
    return values, errors
