"""Dates and times staff type as text, in 24-hour Chinese form, whatever the browser's locale.

`<input type="date|time|month|datetime-local">` draws the browser's own format: on an
English system that is 12/10/2026 and 2:00 PM. Staff at a union office read
2026-12-10 14:00, so these inputs are text with a pattern, a placeholder and a hint,
and the server parses what was typed (full-width digits and colons too).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

# The attributes of each kind of input; templates add them with `| xmlattr`.
INPUTS: dict[str, dict[str, str]] = {
    "date": {
        "type": "text",
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": "2026-12-10",
        "pattern": r"\d{4}-\d{2}-\d{2}",
        "title": "年-月-日，例如 2026-12-10",
    },
    "time": {
        "type": "text",
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": "14:00",
        "pattern": r"\d{1,2}:\d{2}",
        "title": "24 小时制，例如 14:00",
    },
    "month": {
        "type": "text",
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": "2026-12",
        "pattern": r"\d{4}-\d{2}",
        "title": "年-月，例如 2026-12",
    },
    "datetime": {
        "type": "text",
        "inputmode": "numeric",
        "autocomplete": "off",
        "placeholder": "2026-12-10 14:00",
        "pattern": r"\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}",
        "title": "年-月-日 时:分，24 小时制，例如 2026-12-10 14:00",
    },
}
DATETIME_HINT = "24 小时制，北京时间，例如 2026-12-10 14:00"

_DATETIME = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*[ T]\s*(\d{1,2}):(\d{2})")


def parse_datetime(typed: str) -> datetime | None:
    """2026-12-10 14:00 (or 2026/12/10 14:00, a T for the space, full-width digits) as a
    naive datetime; None if it is not a real date and time."""
    folded = unicodedata.normalize("NFKC", typed or "").strip()
    match = _DATETIME.fullmatch(folded)
    if not match:
        return None
    try:
        return datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return None
