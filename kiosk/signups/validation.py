"""Sign-up validation: the JSON API and the phone form here, the tablet's browser as data.

Each declared field (`kiosk.signups.fields`) is cleaned by the check for its kind,
and says what is wrong with the words `messages` lists for it. The kiosk screen
renders `browser_rules()` as JSON for static/js/validate.js, so the tablet checks
the same limits with the same words when it is offline; the server stays
authoritative. Messages are lazy, so they render in the reader's language.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from kiosk.signups.fields import BY_NAME, FIELDS, Field
from kiosk.text import clean_line
from kiosk.text import strip_invisible as _strip_invisible

CONSENT_VERSION_RE = re.compile(r"[\w.\-]{1,32}")  # fullmatch: "$" would allow a final "\n"

_MIDDLE_DOTS = "•‧・･∙⋅●"  # look-alikes people type for the name separator ·
_DASHES = "-‐‑‒–—―"
_TO_MIDDLE_DOT = str.maketrans(_MIDDLE_DOTS, "·" * len(_MIDDLE_DOTS))
_WITHOUT_DASHES = str.maketrans("", "", _DASHES)
_PHONE_RE = re.compile(r"1[3-9]\d{9}")

Message = LazyString | str
Said = Mapping[str, LazyString]


def messages(field: Field) -> dict[str, LazyString]:
    """Everything this field may tell the person, by problem; "{n}" is filled in when said."""
    said = {"format": _l("格式不正确")}
    if field.missing is not None:
        said["missing"] = field.missing
    if field.invalid is not None:
        said["invalid"] = field.invalid
    if field.kind == "name":
        said["too_long"] = _l("姓名不能超过 %(n)s 个字", n=field.max_length)
        said["chars"] = _l("姓名只能包含文字和间隔号 ·")
    elif field.kind == "phone":
        said["digits"] = _l("手机号只能包含数字")
        said["length"] = _l("手机号应为11位数字，现在是%(n)s位", n="{n}")
        said["prefix"] = _l("这不是大陆手机号，手机号以13至19开头")
    elif field.max_length is not None:
        said["too_long"] = _l("不能超过 %(n)s 个字", n=field.max_length)
    return said


CONSENT_REQUIRED = _l("请阅读并同意隐私说明后再提交")


def browser_rules() -> dict[str, Any]:
    """The declaration and its messages, in the reader's language, for validate.js."""
    return {
        "fields": [
            {
                "name": f.name,
                "kind": f.kind,
                "required": f.required,
                "max_length": f.max_length,
                "choices": list(f.choices),
                "other_of": f.other_of,
                "messages": {problem: str(text) for problem, text in messages(f).items()},
            }
            for f in FIELDS
        ],
        "consent_required": str(CONSENT_REQUIRED),
    }


def _text(raw: object, field: Field, said: Said) -> tuple[str, Message | None]:
    if raw is None:
        return "", None
    if not isinstance(raw, str):
        return "", said["format"]
    text = clean_line(raw) or ""
    if field.max_length is not None and len(text) > field.max_length:
        return text, said["too_long"]
    return text, None


def phone_form(raw: str) -> str:
    """A typed phone number as it is compared and stored: half-width, no spaces, dashes or +86.

    The one normal form for every phone the kiosk keeps (sign-ups, follow-ups, company
    contacts, needs-attention items), so delete-by-phone finds them all; valid or not.
    """
    text = _strip_invisible(unicodedata.normalize("NFKC", raw)).translate(_WITHOUT_DASHES)
    text = "".join(text.split())
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def _phone(raw: object, _field: Field, said: Said) -> tuple[str, Message | None]:
    if not isinstance(raw, str) or not raw.strip():
        return "", said["missing"]
    text = phone_form(raw)
    if not text.isascii() or not text.isdigit():
        return "", said["digits"]
    if len(text) != 11:
        return "", str(said["length"]).replace("{n}", str(len(text)))
    if not _PHONE_RE.fullmatch(text):
        return "", said["prefix"]
    return text, None


def _name(raw: object, field: Field, said: Said) -> tuple[str, Message | None]:
    if not isinstance(raw, str):
        return "", said["missing"]
    text = unicodedata.normalize("NFKC", raw).translate(_TO_MIDDLE_DOT)
    text = " ".join(_strip_invisible(text).split()).strip("· ")
    if not text:
        return "", said["missing"]
    if field.max_length is not None and len(text) > field.max_length:
        return text, said["too_long"]
    if not all(ch in "· -'" or unicodedata.category(ch)[0] in {"L", "M"} for ch in text):
        return text, said["chars"]
    return text, None


def _choice(raw: object, field: Field, said: Said) -> tuple[str, Message | None]:
    if raw in (None, ""):
        return "", None
    if not isinstance(raw, str) or raw not in field.choices:
        return "", said["invalid"]
    return raw, None


def _choices(raw: object, field: Field, said: Said) -> tuple[list[str], Message | None]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return [], said["format"]
    if any(v not in field.choices for v in values):
        return [], said["invalid"]
    return [key for key in field.choices if key in values], None  # deduplicated, in order


CHECKS: dict[str, Callable[[object, Field, Said], tuple[Any, Message | None]]] = {
    "name": _name,
    "phone": _phone,
    "text": _text,
    "choice": _choice,
    "choices": _choices,
}


def normalise_phone(raw: object) -> tuple[str, Message | None]:
    """An 11-digit mainland mobile number, or an error saying what is wrong."""
    field = BY_NAME["phone"]
    return _phone(raw, field, messages(field))


def clean_name(raw: object) -> tuple[str, Message | None]:
    field = BY_NAME["name"]
    return _name(raw, field, messages(field))


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
    person: dict[str, Any] = field(default_factory=dict)  # by field name, as it is stored
    consent: bool = False
    consent_version: str | None = None
    client_time: datetime | None = None


def _check_fields(data: Mapping[str, Any], out: CleanSignup, errors: dict) -> None:
    for f in FIELDS:
        said = messages(f)
        raw = data.get(f.name, [] if f.kind == "choices" else None)
        value, error = CHECKS[f.kind](raw, f, said)
        if error is None and f.required and not value:
            error = said["missing"]
        out.person[f.name] = (value or None) if f.kind == "text" else value
        if error is not None:
            errors[f.name] = error
    for f in FIELDS:
        if f.other_of is None:
            continue
        chose_other = out.person[f.other_of] == "other"
        if chose_other and not out.person[f.name] and f.name not in errors:
            errors[f.name] = messages(f)["missing"]
        if not chose_other:
            out.person[f.name] = None


def validate_signup(data: Mapping[str, Any]) -> tuple[CleanSignup, dict[str, Message]]:
    """Clean a submitted sign-up; return the cleaned values and field errors."""
    out = CleanSignup()
    errors: dict[str, Message] = {}

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

    _check_fields(data, out, errors)

    consent = data.get("consent")
    out.consent = consent is True or consent in ("on", "true", "1", "yes")
    if not out.consent:
        errors["consent"] = CONSENT_REQUIRED
    version = data.get("consent_version")
    if isinstance(version, str) and CONSENT_VERSION_RE.fullmatch(version):
        out.consent_version = version
    elif version not in (None, ""):
        errors["consent_version"] = _l("格式不正确")

    out.client_time, error = parse_client_time(data.get("client_time"))
    if error:
        errors["client_time"] = error
    return out, errors
