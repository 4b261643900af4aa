"""The laptop's link to the city server: its state in memory, its counts from the database."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app

from kiosk.extensions import db
from kiosk.models import OutreachSession, RelayReceipt, Signup
from kiosk.scoping import Scope, in_scope

EXTENSION_KEY = "kiosk.relay"
FIRST_BACKOFF_SECONDS = 2.0


@dataclass
class LinkState:
    """The last contact with the city server, as this process saw it."""

    connected: bool | None = None  # None: not tried since the server started
    last_contact_at: datetime | None = None
    last_error: str | None = None
    failures: int = 0
    next_attempt: float = 0.0  # time.monotonic() before which the timer does not try
    # One push at a time per process: the timer, the button and the CLI share it.
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self, now: datetime, interval: float) -> None:
        self.connected, self.last_contact_at, self.last_error = True, now, None
        self.failures = 0
        self.next_attempt = time.monotonic() + interval

    def failed(self, message: str, max_backoff: float) -> None:
        self.connected, self.last_error = False, message
        self.failures += 1
        # Doubling, with jitter so that many laptops do not return at the same instant.
        delay = min(FIRST_BACKOFF_SECONDS * 2 ** (self.failures - 1), max_backoff)
        self.next_attempt = time.monotonic() + delay * random.uniform(0.5, 1.0)  # noqa: S311


def link(app: Flask | None = None) -> LinkState:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions.setdefault(EXTENSION_KEY, LinkState())


def _no_receipt() -> sa.ColumnElement[bool]:
    return ~sa.exists().where(RelayReceipt.signup_id == Signup.id)


@dataclass(frozen=True)
class Counts:
    pending: int
    attention: int
    last_push: datetime | None
    local_sessions: int  # made on this laptop and not yet taken by the city server


def counts(scope: Scope = None) -> Counts:
    """Pending and refused sign-ups (of `scope`'s organisations), and the last acknowledgement."""
    by_org = in_scope(OutreachSession.organisation_id, scope)
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Signup)
        .join(OutreachSession)
        .where(_no_receipt(), by_org)
    )
    attention = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RelayReceipt)
        .join(Signup, Signup.id == RelayReceipt.signup_id)
        .join(OutreachSession)
        .where(RelayReceipt.outcome == "attention", by_org)
    )
    last_push = db.session.scalar(
        sa.select(sa.func.max(RelayReceipt.recorded_at)).where(RelayReceipt.outcome == "acked")
    )
    local = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutreachSession)
        .where(
            OutreachSession.upstream_pulled_at.is_(None),
            OutreachSession.upstream_pushed_at.is_(None),
            OutreachSession.status != "cancelled",
            by_org,
        )
    )
    return Counts(pending or 0, attention or 0, last_push, local or 0)
