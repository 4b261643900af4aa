"""Sign-up validation shared by the JSON API and the phone form.

Messages are lazy so they render in the reader's language. The kiosk's
JavaScript mirrors these rules for offline use; the server stays authoritative.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from kiosk.choices import INTERESTS, OCCUPATIONS

NAME_MAX = 30
TEXT_MAX = 60
OTHER_MAX = 40
CONSENT_VERSION_RE = re.compile(r"[\w.\-]{1,32}")  # fullmatch: "$" would allow a final "\n"

_MIDDLE_DOTS = "•‧・･∙⋅●"  # look-alikes people type for the name separator ·
_DASHES = "-‐‑‒–—―"
_TO_MIDDLE_DOT = str.maketrans(_MIDDLE_DOTS, "·" * len(_MIDDLE_DOTS))
_WITHOUT_DASHES = str.maketrans("", "", _DASHES)
_PHONE_RE = re.compile(r"1[3-9]\d{9}")


def _strip_invisible(text: str) -> str:
    """Drop control and format characters (zero-width spaces, BOMs, bidi marks).

    Lone surrogates (Cs) go too: JSON can smuggle them in as \\ud800 escapes and
    no database driver can encode them.
    """
    if text.isprintable():  # then none of those is present: the usual case, checked in C
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})


def clean_text(raw: object, limit: int) -> tuple[str, LazyString | None]:
    if raw is None:
        return "", None
    if not isinstance(raw, str):
        return "", _l("格式不正确")
    text = " ".join(_strip_invisible(unicodedata.normalize("NFKC", raw)).split())
    if len(text) > limit:
        return text, _l("不能超过 %(n)s 个字", n=limit)
    return text, None


def normalise_phone(raw: object) -> tuple[str, LazyString | None]:
    """Return an 11-digit mainland mobile number, or an error saying what is wrong."""
    if not isinstance(raw, str) or not raw.strip():
        return "", _l("请填写手机号")
    text = _strip_invisible(unicodedata.normalize("NFKC", raw)).translate(_WITHOUT_DASHES)
    text = "".join(text.split())
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not text.isascii() or not text.isdigit():
        return "", _l("手机号只能包含数字")
    if len(text) != 11:
        return "", _l("手机号应为11位数字，现在是%(n)s位", n=len(text))
    if not _PHONE_RE.fullmatch(text):
        return "", _l("这不是大陆手机号，手机号以13至19开头")
    return text, None


def clean_name(raw: object) -> tuple[str, LazyString | None]:
    if not isinstance(raw, str):
        return "", _l("请填写姓名")
    text = unicodedata.normalize("NFKC", raw).translate(_TO_MIDDLE_DOT)
    text = " ".join(_strip_invisible(text).split()).strip("· ")
    if not text:
        return "", _l("请填写姓名")
    if len(text) > NAME_MAX:
        return text, _l("姓名不能超过 %(n)s 个字", n=NAME_MAX)
    allowed = all(ch in "· -'" or unicodedata.category(ch)[0] in {"L", "M"} for ch in text)
    if not allowed:
        return text, _l("姓名只能包含文字和间隔号 ·")
    return text, None


def parse_client_time(raw: object) -> tuple[datetime | None, LazyString | None]:
    if raw in (None, ""):
        return None, None
    if not isinstance(raw, str) or len(raw) > 40:
        return None, _l("时间格式不正确")
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None, _l("时间格式不正确")
    if value.tzinfo is None:
        return None, _l("时间需要带时区")
    try:
        return value.astimezone(UTC), None
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
        return None, _l("时间格式不正确")


@dataclass
class CleanSignup:
    id: uuid.UUID | None = None
    session: str = ""
    name: str = ""
    phone: str = ""
    occupation: str = ""
    occupation_other: str | None = None
    employer: str | None = None
    area: str | None = None
    interests: list[str] = field(default_factory=list)
    consent: bool = False
    consent_version: str | None = None
    client_time: datetime | None = None


def _check_choice_fields(data: Mapping[str, Any], out: CleanSignup, errors: dict) -> None:
    occupation = data.get("occupation")
    if occupation in (None, ""):
        errors["occupation"] = _l("请选择职业")
    elif not isinstance(occupation, str) or occupation not in OCCUPATIONS:
        errors["occupation"] = _l("请从列表中选择职业")
    else:
        out.occupation = occupation
    other, error = clean_text(data.get("occupation_other"), OTHER_MAX)
    if error:
        errors["occupation_other"] = error
    elif out.occupation == "other" and not other:
        errors["occupation_other"] = _l("选择“其他”时请写明职业")
    out.occupation_other = other if out.occupation == "other" and other else None

    interests = data.get("interests", [])
    if isinstance(interests, str):
        interests = [interests]
    if not isinstance(interests, list) or not all(isinstance(i, str) for i in interests):
        errors["interests"] = _l("格式不正确")
    elif any(i not in INTERESTS for i in interests):
        errors["interests"] = _l("请从列表中选择")
    else:
        out.interests = sorted(set(interests), key=list(INTERESTS).index)


def validate_signup(data: Mapping[str, Any]) -> tuple[CleanSignup, dict[str, LazyString]]:
    """Clean a submitted sign-up; return the cleaned values and field errors."""
    out = CleanSignup()
    errors: dict[str, LazyString] = {}

    raw_id = data.get("id")
    try:
        out.id = uuid.UUID(raw_id) if isinstance(raw_id, str) and len(raw_id) <= 40 else None
    except ValueError:
        out.id = None
    if out.id is None:
        errors["id"] = _l("缺少有效的登记编号")

    session = data.get("session")
    # Codes are short ASCII letters and digits; anything else (NUL bytes, surrogates)
    # cannot name a session and would make the database driver raise.
    if (
        isinstance(session, str)
        and 0 < len(session) <= 16
        and session.isascii()
        and session.isalnum()
    ):
        out.session = session
    else:
        errors["session"] = _l("缺少沟通会编号")

    out.name, error = clean_name(data.get("name"))
    if error:
        errors["name"] = error
    out.phone, error = normalise_phone(data.get("phone"))
    if error:
        errors["phone"] = error
    _check_choice_fields(data, out, errors)
    for key in ("employer", "area"):
        value, error = clean_text(data.get(key), TEXT_MAX)
        if error:
            errors[key] = error
        setattr(out, key, value or None)

    consent = data.get("consent")
    out.consent = consent is True or consent in ("on", "true", "1", "yes")
    if not out.consent:
        errors["consent"] = _l("请阅读并同意隐私说明后再提交")
    version = data.get("consent_version")
    if isinstance(version, str) and CONSENT_VERSION_RE.fullmatch(version):
        out.consent_version = version
    elif version not in (None, ""):
        errors["consent_version"] = _l("格式不正确")

    out.client_time, error = parse_client_time(data.get("client_time"))
    if error:
        errors["client_time"] = error
    return out, errors
