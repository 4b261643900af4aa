"""Template globals: choice labels, the sign-up fields, language and time formatting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, request
from flask_babel import get_locale

from kiosk import choices
from kiosk.signups.fields import FIELDS
from kiosk.typed_dates import INPUTS

BEIJING = ZoneInfo("Asia/Shanghai")


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Times are stored in UTC and shown in Beijing time, where every booth is."""
    if value is None:
        return ""
    return value.astimezone(BEIJING).strftime(fmt)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = local_time

    @app.context_processor
    def inject() -> dict:
        return {
            "choices": choices,
            "signup_fields": FIELDS,
            "current_locale": str(get_locale()),
            "current_path": request.full_path.rstrip("?"),
            "typed_inputs": INPUTS,
        }
