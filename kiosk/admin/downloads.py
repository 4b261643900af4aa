"""Files staff download: Chinese names that say what is inside, encoded per RFC 6266/5987."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Response

BEIJING = ZoneInfo("Asia/Shanghai")
# Characters Windows, macOS or a WeChat transfer refuse in a file name.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(*parts: str | date | None, ext: str) -> str:
    """瀛海镇总工会-职工沟通会-2026-12-10-登记.xlsx: the parts that are given, joined by -."""
    words = [UNSAFE.sub("", str(part)).strip() for part in parts if part]
    return "-".join(word for word in words if word) + "." + ext


def today() -> date:
    return datetime.now(BEIJING).date()


def attachment(body: bytes | Iterable[bytes], mimetype: str, name: str, fallback: str) -> Response:
    """A download of `body` (whole, or streamed in pieces) named `name`, never cached.

    Content-Disposition carries the Chinese name as `filename*=UTF-8''…` (RFC 6266 with
    RFC 5987's encoding), which every current browser saves, and `fallback`, an ASCII
    name that says the same in English, as `filename` for the rest. (send_file's own
    fallback would strip the Chinese and leave "--2026-12-10-.xlsx".)
    """
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
