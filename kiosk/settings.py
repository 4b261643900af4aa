"""Every setting the kiosk reads, declared once as data.

The README's configuration table is checked against this list by a test, so a
setting cannot exist without being documented.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_SECRET_KEY = "dev"  # noqa: S105 - the value create_app refuses to serve with


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    convert: Callable[[str], Any] = str

    @property
    def env_var(self) -> str:
        return f"KIOSK_{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY", DEFAULT_SECRET_KEY, "Signs cookies and tablet bindings. Must be changed."
    ),
    Setting(
        "INSTANCE_PATH",
        None,
        "Folder holding config.py and the default SQLite file. Default: instance/ beside kiosk/.",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL. Default: SQLite file instance/kiosk.sqlite3 (WAL, foreign keys on).",
    ),
    Setting("KB_DIR", None, "Built knowledge base served at /kb/. Default: site/ beside docs/."),
    Setting("DOCS_DIR", None, "The knowledge base sources (privacy notice, schedule data file)."),
    Setting("KB_PUBLIC_URL", None, "Public URL of the knowledge base for QR codes. Default: /kb/."),
    Setting("PUBLIC_BASE_URL", None, "Public base URL for phone sign-up QR codes. Default: host."),
    Setting("JOIN_URL", None, "北京工会i会员 join link, rendered as a QR code."),
    Setting("JOIN_QR_IMAGE", None, "Path to an official join QR image (used instead of JOIN_URL)."),
    Setting("WECHAT_GROUP_QR_IMAGE", None, "Optional path to a WeChat group QR image."),
    Setting("IDLE_SECONDS", 60, "Seconds of form inactivity before the idle warning.", int),
    Setting("IDLE_WARNING_SECONDS", 10, "Length of the idle warning before the form clears.", int),
    Setting("THANKS_SECONDS", 12, "Seconds the thank-you screen stays before returning.", int),
    Setting("MAX_CONTENT_LENGTH", 16 * 1024, "Largest request body accepted, in bytes.", int),
    Setting(
        "PHONE_SIGNUP_RATE_LIMIT", "10 per minute", "Limit for /s/<code> sign-ups per address."
    ),
    Setting("LOGIN_RATE_LIMIT", "5 per minute", "Limit for login attempts per account/address."),
    Setting("REDIS_URL", None, "Redis for rate-limit storage. Default: in-process memory."),
    Setting(
        "SYNC_GRACE_HOURS", 72, "Hours after closing that queued tablet sign-ups are accepted.", int
    ),
    Setting(
        "RETENTION_DAYS", 365, "Default age in days after which `purge` deletes sign-ups.", int
    ),
    Setting("SESSION_IDLE_MINUTES", 30, "Staff logins expire after this many idle minutes.", int),
    Setting("SECURE_COOKIES", False, "Mark cookies Secure (set to true behind HTTPS).", _bool),
    Setting("TABLET_BINDING_DAYS", 7, "Days a tablet binding cookie stays valid.", int),
    Setting("SYNC_BASE_BACKOFF_MS", 2000, "Sender's first retry delay (doubles, jittered).", int),
    Setting("SYNC_MAX_BACKOFF_MS", 300_000, "Longest wait between sender retries.", int),
    Setting("SYNC_INTERVAL_SECONDS", 30, "How often the tablet sends its queue anyway.", int),
    Setting("SYNC_TIMEOUT_MS", 15_000, "Abort and retry a slower sign-up POST.", int),
    Setting("SQLITE_SYNCHRONOUS", "FULL", "SQLite synchronous pragma (FULL survives power loss)."),
)


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Map every KIOSK_* variable that names a known setting onto its converted value."""
    environ = os.environ if environ is None else environ
    found: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env_var)
        if raw is not None:
            found[setting.name] = setting.convert(raw)
    return found
