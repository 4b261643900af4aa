"""The uploaded table, kept between "upload", "map columns" and "confirm" for one hour.

It holds names and phone numbers, so it lives in the instance folder (never the
session cookie), readable only by the server's user, only for the staff member
who uploaded it, and is deleted once applied or an hour later.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app

from kiosk.joined.reading import Table

KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def purge_old() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in _folder().glob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def save(table: Table, user_id: int, filename: str) -> str:
    purge_old()
    token = secrets.token_urlsafe(24)
    path = _folder() / f"{token}.json"
    payload = {"user": user_id, "filename": filename, "headers": table.headers, "rows": table.rows}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(payload, file, ensure_ascii=False)
    return token


def load(token: str, user_id: int) -> tuple[Table, str] | None:
    """The upload, if it exists, is recent and was made by this staff member."""
    if not _TOKEN.match(token):
        return None
    path = _folder() / f"{token}.json"
    try:
        if path.stat().st_mtime < time.time() - KEEP_SECONDS:
            path.unlink(missing_ok=True)
            return None
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("user") != user_id:
        return None
    return Table(payload["headers"], payload["rows"]), str(payload.get("filename") or "")


def delete(token: str) -> None:
    if _TOKEN.match(token):
        (_folder() / f"{token}.json").unlink(missing_ok=True)


def holding(phone: str, user_ids: set[int]) -> list[Path]:
    """Uploads by these staff members with `phone` in a cell, for delete-by-phone."""
    from kiosk.signups.attention import phone_key  # the one normal form of a phone

    found = []
    for path in _folder().glob("*.json"):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if payload.get("user") not in user_ids:
            continue
        cells = (cell for row in payload.get("rows") or [] for cell in row)
        if any(isinstance(cell, str | int) and phone_key(str(cell)) == phone for cell in cells):
            found.append(path)
    return found
