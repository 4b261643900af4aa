"""How far each sign-up export being downloaded has got, for the 导出进度 page.

An export is written by the server process while the browser downloads it, so
its progress lives in that process: a small table in memory, kept for the most
recent exports only. `flask --app kiosk serve` runs one process (waitress,
many threads), which is why this needs no database table; a restart forgets
the table, as it also ends every download under way.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime

from kiosk.models import utcnow

KEPT = 100  # exports remembered by this process, newest first
STATES = {"running": "正在导出", "done": "已完成", "stopped": "已中断"}


@dataclass(frozen=True)
class Export:
    id: str
    user_id: int
    kind: str  # "csv" or "xlsx"
    total: int  # rows the filter matched when the export started
    written: int = 0
    state: str = "running"
    started_at: datetime = field(default_factory=utcnow)
    finished_at: datetime | None = None

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(self.written * 100 // self.total, 100)


_lock = threading.Lock()
_exports: OrderedDict[str, Export] = OrderedDict()


def valid_id(raw: str | None) -> str | None:
    """An id the page made up (URL-safe, 16–64 characters), or None."""
    if raw and 16 <= len(raw) <= 64 and all(c.isalnum() or c in "-_" for c in raw):
        return raw
    return None


def start(user_id: int, kind: str, total: int, export_id: str | None = None) -> Export:
    export = Export(valid_id(export_id) or secrets.token_urlsafe(12), user_id, kind, total)
    with _lock:
        _exports.pop(export.id, None)  # an id reused by the same page starts afresh
        _exports[export.id] = export
        while len(_exports) > KEPT:
            _exports.popitem(last=False)
    return export


def _update(export_id: str, **changes: object) -> None:
    with _lock:
        if export_id in _exports:
            _exports[export_id] = replace(_exports[export_id], **changes)  # type: ignore[arg-type]


def advance(export_id: str, written: int) -> None:
    _update(export_id, written=written)


def finish(export_id: str, *, completed: bool) -> None:
    _update(export_id, state="done" if completed else "stopped", finished_at=utcnow())


def get(export_id: str, user_id: int) -> Export | None:
    """One export, only for the staff member who started it."""
    with _lock:
        export = _exports.get(export_id)
    return export if export is not None and export.user_id == user_id else None


def of_user(user_id: int) -> list[Export]:
    """This staff member's exports, newest first."""
    with _lock:
        return [e for e in reversed(_exports.values()) if e.user_id == user_id]
