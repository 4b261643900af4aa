"""Every setting the kiosk reads, declared once as data.

The README's configuration table is rendered from this list
(`flask --app kiosk settings` prints it) and a test checks that the two are
identical, so a setting cannot exist, or change, without its documentation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

# The checkout: where the default content folder, mkdocs.yml and a hand-built site live.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_SECRET_KEY = "dev"  # noqa: S105 - the value create_app refuses to serve with


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENTS = ("development", "production")


def _environment(value: str) -> str:
    chosen = value.strip().lower()
    if chosen not in ENVIRONMENTS:
        raise ValueError(f"KIOSK_ENV must be {' or '.join(ENVIRONMENTS)}, not {value!r}")
    return chosen


GENERATORS = ("mkdocs", "zensical")


def _generator(value: str) -> str:
    chosen = value.strip().lower()
    if chosen not in GENERATORS:
        raise ValueError(f"KIOSK_KB_GENERATOR must be {' or '.join(GENERATORS)}, not {value!r}")
    return chosen


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str  # Markdown: it is the README's "Meaning" column
    convert: Callable[[str], Any] = str
    # For the README, where the raw default is None or worked out when the app starts.
    shown_default: str | None = None

    @property
    def env_var(self) -> str:
        return f"KIOSK_{self.name}"

    @property
    def default_text(self) -> str:
        """The README's "Default" column."""
        if self.shown_default is not None:
            return self.shown_default
        value = str(self.default).lower() if isinstance(self.default, bool) else self.default
        return f"`{value}`"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SECRET_KEY",
        DEFAULT_SECRET_KEY,
        "Signs cookies and tablet bindings. Must be changed.",
        shown_default=f"`{DEFAULT_SECRET_KEY}` (refused)",
    ),
    Setting(
        "ENV",
        "development",
        "`production` on a real deployment: refuses what is only acceptable on a developer's "
        "machine, such as a knowledge-base build before `docs/data/local.yml` names the union "
        "(`union_name`) and a deletion contact (`deletion_contact`). `development` warns "
        "instead.",
        _environment,
    ),
    Setting(
        "INSTANCE_PATH",
        None,
        "Folder holding `config.py` and the default SQLite file (e.g. `/var/lib/kiosk`).",
        shown_default="`instance/`",
    ),
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL, e.g. `postgresql+psycopg://user@host/db`. "
        "SQLite runs with WAL and foreign keys on.",
        shown_default="`sqlite:///instance/kiosk.sqlite3`",
    ),
    Setting(
        "SQLITE_SYNCHRONOUS",
        "FULL",
        "SQLite `synchronous` pragma. `FULL` means an acknowledged sign-up survives a power cut.",
    ),
    Setting(
        "DATABASE_TIMEOUT_SECONDS",
        5.0,
        "The longest a request waits on the database: to connect, for a free connection, for "
        "a lock (SQLite `busy_timeout`) and for one statement (PostgreSQL `statement_timeout`; "
        "a connection whose server never answers is cut a second later). Then it answers 503 "
        "with `Retry-After`.",
        float,
    ),
    Setting(
        "KB_DIR",
        None,
        "The built knowledge base, served at `/kb/`: the published site. Set it only to serve "
        "a site built by hand (`kb build --site-dir`); publishing then changes nothing visible.",
        shown_default="`<KIOSK_SITES_DIR>/current`",
    ),
    Setting(
        "DOCS_DIR",
        None,
        "The content folder: knowledge-base pages and data files, and the privacy notice. May "
        "live outside the code checkout (e.g. `/var/lib/kiosk/docs`); a `mkdocs.yml` beside it "
        "is used instead of the checkout's.",
        shown_default="`docs/`",
    ),
    Setting(
        "SITES_DIR",
        None,
        "Published sites: one folder per publish, the `current` link `/kb/` serves, the publish "
        "lock and progress. Keep it outside the checkout on a server (e.g. "
        "`/var/lib/kiosk/sites`).",
        shown_default="`instance/sites/`",
    ),
    Setting(
        "KB_GENERATOR",
        "mkdocs",
        "Which site generator publishing runs: `mkdocs` (MkDocs + Material) or `zensical`. "
        "See the README's generator table for what each supports.",
        _generator,
    ),
    Setting(
        "SCHEDULE_PUBLISH_DELAY_SECONDS",
        120,
        "When sessions change (created, edited, opened, closed, cancelled) or one starts or "
        "ends, the running server republishes the knowledge base once nothing has changed "
        "for this long. `0` turns this off: the schedule then changes on the next publish.",
        int,
    ),
    Setting(
        "KB_PUBLIC_URL",
        None,
        "Address the knowledge-base QR code and links point to.",
        shown_default="this host + `/kb/`",
    ),
    Setting(
        "PUBLIC_BASE_URL",
        None,
        "Base address for the phone sign-up and knowledge-base QR codes (set it to the booth "
        "laptop's LAN address or the public domain). Required when `KIOSK_ENV` is "
        "`production`: an address is never taken from a request's `Host` header there.",
        shown_default="this host (development only)",
    ),
    Setting(
        "JOIN_URL",
        None,
        "The 北京工会i会员 join link, rendered as a QR code.",
        shown_default="none",
    ),
    Setting(
        "JOIN_QR_IMAGE",
        None,
        "Path to the official join QR image; used instead of `KIOSK_JOIN_URL` "
        "(mini-program codes are issued as images).",
        shown_default="none",
    ),
    Setting(
        "PDF_CHROMIUM",
        "/usr/bin/chromium",
        "Chromium used to print posters, table tents and schedule sheets to PDF, if that file "
        "exists; otherwise they are drawn with ReportLab, embedding the server's Chinese font "
        "(or ReportLab's built-in STSong-Light).",
    ),
    Setting(
        "WECHAT_GROUP_QR_IMAGE",
        None,
        "Optional path to a WeChat group QR image.",
        shown_default="none",
    ),
    Setting("IDLE_SECONDS", 60, "Seconds of form inactivity before the idle warning.", int),
    Setting("IDLE_WARNING_SECONDS", 10, "How long the warning shows before the form clears.", int),
    Setting("THANKS_SECONDS", 12, "How long the thank-you screen stays.", int),
    Setting("MAX_CONTENT_LENGTH", 16 * 1024, "Largest request body, in bytes.", int),
    Setting(
        "PHONE_SIGNUP_RATE_LIMIT", "10 per minute", "Sign-ups from one address on `/s/<code>`."
    ),
    Setting(
        "LOGIN_RATE_LIMIT",
        "5 per minute; 20 per hour",
        "Failed staff sign-ins (admin login, tablet setup and exit, password change) at one "
        "account from one address. Limits are written `N per minute`, `N per hour`…; "
        "several are separated by `;`.",
    ),
    Setting(
        "LOGIN_ACCOUNT_RATE_LIMIT",
        "100 per hour",
        "Failed sign-ins at one account from all addresses together. Slower than the limit "
        "above, so that someone elsewhere cannot lock a staff member at a booth out without "
        "many addresses.",
    ),
    Setting(
        "LOGIN_ADDRESS_RATE_LIMIT",
        "10 per minute; 50 per hour",
        "Failed sign-ins from one address, whatever the account.",
    ),
    Setting(
        "TRUSTED_PROXIES",
        0,
        "How many reverse proxies (nginx, a load balancer) stand in front of the server. Each "
        "one's `X-Forwarded-For`, `-Proto` and `-Host` are then believed, so rate limits and "
        "the audit log see the client's address. `0`: no proxy, the headers are ignored (a "
        "client could forge them).",
        int,
    ),
    Setting(
        "REDIS_URL",
        None,
        "Redis for rate-limit counters, needed when several server processes run.",
        shown_default="none (in-process)",
    ),
    Setting(
        "SYNC_GRACE_HOURS",
        72,
        "After a session closes, how long a tablet may still deliver sign-ups collected before "
        "closing.",
        int,
    ),
    Setting(
        "SYNC_BASE_BACKOFF_MS",
        2000,
        "The tablet sender's first retry delay; it doubles after each failure, with jitter.",
        int,
    ),
    Setting("SYNC_MAX_BACKOFF_MS", 300_000, "The longest wait between the sender's retries.", int),
    Setting(
        "SYNC_INTERVAL_SECONDS",
        30,
        "How often the tablet tries to send its queue even without an `online` event.",
        int,
    ),
    Setting(
        "SYNC_TIMEOUT_MS",
        15_000,
        "A sign-up request slower than this is aborted and retried (same id, so never counted "
        "twice).",
        int,
    ),
    Setting(
        "RETENTION_DAYS",
        365,
        "Age in days after which `purge` deletes sign-ups (unless given `--older-than`).",
        int,
    ),
    Setting(
        "PURGE_EVERY_HOURS",
        24.0,
        "How often `serve` runs the retention purge itself (logged, and audited when it "
        "deletes). Several servers on one database agree, so only one runs it each time. "
        "`0`: never; run `purge` by hand.",
        float,
    ),
    Setting("SESSION_IDLE_MINUTES", 30, "Staff logins expire after this much inactivity.", int),
    Setting(
        "SECURE_COOKIES",
        False,
        "Mark cookies Secure and send HSTS; set to `true` behind HTTPS.",
        _bool,
    ),
    Setting("TABLET_BINDING_DAYS", 7, "How long a tablet binding cookie stays valid.", int),
    Setting(
        "UPSTREAM_URL",
        None,
        "Relay mode, on a booth laptop: the city server's address (e.g. "
        "`https://kiosk.example.org`). The laptop copies that server's sessions and forwards "
        "every sign-up to it. Unset: the laptop works alone.",
        shown_default="none (no relay)",
    ),
    Setting(
        "UPSTREAM_TOKEN",
        None,
        "Relay mode: the relay credential an admin issued on the city server (管理 → 上报凭证).",
        shown_default="none",
    ),
    Setting(
        "RELAY_INTERVAL_SECONDS",
        10,
        "Relay mode: how often `serve` forwards new sign-ups and copies the city server's "
        "sessions.",
        int,
    ),
    Setting(
        "RELAY_MAX_BACKOFF_SECONDS",
        15,
        "Relay mode: the longest wait between retries while the city server cannot be reached "
        "(the wait doubles from 2 s after each failure, with jitter).",
        int,
    ),
    Setting(
        "RELAY_BATCH_SIZE",
        500,
        "Relay mode: sign-ups forwarded in one request.",
        int,
    ),
    Setting(
        "BACKUP_DIR",
        None,
        "Where `backup` and `serve` write backups. They hold personal data: see "
        "[Backups](#backups).",
        shown_default="`instance/backups/`",
    ),
    Setting(
        "BACKUP_INTERVAL_HOURS",
        24,
        "How often `serve` takes a backup (also once when it stops); `0` turns automatic "
        "backups off.",
        int,
    ),
    Setting(
        "BACKUP_KEEP",
        14,
        "How many backups to keep; older ones are deleted after each new backup.",
        int,
    ),
    Setting(
        "BACKUP_PASSPHRASE",
        None,
        "Encrypts backups (AES-256-GCM, key from the passphrase by scrypt). `restore` needs "
        "the same passphrase. Keep it apart from the backups.",
        shown_default="none (not encrypted)",
    ),
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


def environ_value(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """One setting from its KIOSK_* variable, or its default: for tools outside the app."""
    setting = next(s for s in SETTINGS if s.name == name)
    raw = (os.environ if environ is None else environ).get(setting.env_var)
    return setting.default if raw is None else setting.convert(raw)


def markdown_table() -> str:
    """The README's configuration table: variable, default, meaning."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    rows += [f"| `{s.env_var}` | {s.default_text} | {s.help} |" for s in SETTINGS]
    return "\n".join(rows) + "\n"


@click.command("settings")
def settings_command() -> None:
    """Print every setting, its default and meaning: the README's configuration table."""
    click.echo(markdown_table(), nl=False)
