"""Storing a sign-up exactly once: one writer thread per process commits what is waiting.

A request hands its validated sign-up to the writer and waits. The writer takes
every sign-up queued at that moment as one batch: one transaction that admits
them (`kiosk.signups.refusal`) and inserts with INSERT … ON CONFLICT (id) DO
NOTHING, one commit, then each waiter is woken with its answer. The answer comes
only after the commit, so nothing acknowledged can be lost; a lone sign-up goes
at once, as a batch of one. Under a reconnect storm the commit (SQLite's fsync)
is paid once per batch instead of once per sign-up.

An id that is already stored inserts nothing: the same content gets the first
receipt again (200), other content gets 409, whoever stored it first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from kiosk import privacy
from kiosk.extensions import db
from kiosk.models import Signup, utcnow
from kiosk.signups.refusal import CLOCK_SKEW, STATUS, Submission, admit
from kiosk.signups.validation import CleanSignup

MAX_BATCH = 500  # bounds one transaction, and how long it holds SQLite's write lock
WAIT_SECONDS = 10  # then the request answers 503; the tablet gives up after 15 s anyway
IDLE_SECONDS = 10  # the writer thread ends after this long with nothing to write
# Refusals that may hide a replay: a tablet whose first answer was lost must get its
# receipt, not a 403, even after the session closed.
_MAYBE_STORED = {"session_not_open", "session_closed"}

log = logging.getLogger(__name__)

_SIGNUPS = Signup.__table__
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_STORED = sa.select(_SIGNUPS.c.id, _SIGNUPS.c.content_hash, _SIGNUPS.c.created_at).where(
    _SIGNUPS.c.id.in_(sa.bindparam("ids", expanding=True))
)


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]


class Unavailable(Exception):
    """The database could not take the sign-up; nothing was stored. Send it again."""


REFUSED = Outcome(422, {})  # the database refused this row itself, e.g. a value too long


def content_hash(clean: CleanSignup) -> str:
    """A fingerprint of what the person submitted; server-side fields are left out."""
    fields = {
        "session": clean.session,
        **clean.person,
        "consent_version": clean.consent_version,
        "client_time": clean.client_time.isoformat() if clean.client_time else None,
    }
    encoded = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def submission(
    clean: CleanSignup, *, source: str, binding_id: uuid.UUID | None, now: datetime
) -> Submission:
    """The row to store, and what admission needs to know about it."""
    grace = timedelta(hours=current_app.config["SYNC_GRACE_HOURS"])
    # The server's clock is the truth; the tablet's is information (kept in client_time).
    # A consent time is taken from it only when it is plausible: not in the future, and
    # not older than a queued sign-up can be (the sync grace period).
    consented_at = clean.client_time
    if consented_at is None or not now - grace - CLOCK_SKEW <= consented_at <= now + CLOCK_SKEW:
        consented_at = now
    consented_at = min(consented_at, now)
    row = {
        "id": clean.id,
        **clean.person,
        "consent_version": clean.consent_version or privacy.notice_version(),
        "consented_at": consented_at,
        "source": source,
        "tablet_id": binding_id,
        "client_time": clean.client_time,
        "created_at": now,
        "content_hash": content_hash(clean),
    }
    return Submission(row, clean.session, binding_id, grace)


def store(clean: CleanSignup, *, source: str, binding_id: uuid.UUID | None = None) -> Outcome:
    """Store the sign-up once, if its session (and tablet) allow; Unavailable if not now.

    `binding_id` names the tablet that sent it: the sign-up is refused unless that
    binding is still live and bound to the sign-up's session.
    """
    pending = submission(clean, source=source, binding_id=binding_id, now=utcnow())
    writer: Writer = current_app.extensions["kiosk_signup_writer"]
    outcome = writer.submit(pending)
    if outcome is REFUSED:  # said here, in the reader's language, not in the writer thread
        return Outcome(422, {"errors": {"signup": _("这条登记无法保存，请检查填写的内容。")}})
    return outcome


def store_many(submissions: Sequence[Submission]) -> list[Outcome | Unavailable]:
    """Store many prepared sign-ups through the one writer: each one's answer, in order.

    For a relay push of hundreds at once: they share the writer's batches (and their
    commits) instead of waiting one request at a time. A sign-up not committed in
    time is Unavailable and is sent again.
    """
    writer: Writer = current_app.extensions["kiosk_signup_writer"]
    outcomes = writer.submit_many(submissions)
    refused = Outcome(422, {"errors": {"signup": _("这条登记无法保存，请检查填写的内容。")}})
    return [refused if outcome is REFUSED else outcome for outcome in outcomes]


def _outcome(submission: Submission, decision: int | str, stored: tuple | None) -> Outcome:
    """The answer for one submission, from its admission and the row stored under its id."""
    if stored is None:  # refused, and not a replay of a stored sign-up
        return Outcome(STATUS[str(decision)], {"error": decision})
    digest, created_at = stored
    if digest != submission.row["content_hash"]:
        return Outcome(409, {"error": "id_reused", "id": str(submission.row["id"])})
    # The receipt: the same for the first post and every replay.
    receipt = {
        "id": str(submission.row["id"]),
        "session": submission.session_code,
        "received_at": created_at.astimezone(UTC).isoformat(),
    }
    return Outcome(201 if created_at == submission.row["created_at"] else 200, receipt)


def store_batch(connection: sa.Connection, batch: list[Submission]) -> list[Outcome]:
    """Admit and insert a batch in the caller's transaction: the answer for each."""
    decisions = admit(connection, batch, utcnow())
    rows: dict[uuid.UUID, dict[str, Any]] = {}
    for sub, decision in zip(batch, decisions, strict=True):
        if isinstance(decision, int):  # an id's first submission is the one that can insert it
            rows.setdefault(sub.row["id"], {**sub.row, "session_id": decision})
    if rows:
        insert = _INSERTS[connection.dialect.name](_SIGNUPS)
        insert = insert.on_conflict_do_nothing(index_elements=["id"])
        connection.execute(insert, list(rows.values()))
    # Whose row is stored under each id, ours or an earlier one's: read back in one query.
    ids = [
        sub.row["id"]
        for sub, decision in zip(batch, decisions, strict=True)
        if isinstance(decision, int) or decision in _MAYBE_STORED
    ]
    found = connection.execute(_STORED, {"ids": ids}) if ids else []
    stored = {id_: (digest, created_at) for id_, digest, created_at in found}
    return [
        _outcome(sub, decision, stored.get(sub.row["id"]))
        for sub, decision in zip(batch, decisions, strict=True)
    ]


class Writer:
    """The one thread of this process that writes sign-ups, started by the first one."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting: list[tuple[Submission, Future[Outcome]]] = []
        self._running = False

    def submit(self, submission: Submission) -> Outcome:
        """Queue the sign-up and wait for its batch's commit: its answer, or Unavailable."""
        answer: Future[Outcome] = Future()
        with self._lock:
            self._waiting.append((submission, answer))
            if self._running:
                self._wake.notify()
            else:
                self._running = True
                threading.Thread(target=self._run, name="signup-writer", daemon=True).start()
        try:
            return answer.result(timeout=WAIT_SECONDS)
        except TimeoutError:
            raise Unavailable(f"not committed within {WAIT_SECONDS} s") from None

    def submit_many(self, submissions: Sequence[Submission]) -> list[Outcome | Unavailable]:
        """Queue them all at once and wait for their commits: each answer, or Unavailable."""
        answers: list[Future[Outcome]] = [Future() for _ in submissions]
        with self._lock:
            self._waiting.extend(zip(submissions, answers, strict=True))
            if self._running:
                self._wake.notify()
            else:
                self._running = True
                threading.Thread(target=self._run, name="signup-writer", daemon=True).start()
        # Each batch of MAX_BATCH is one commit; the last may wait behind the others.
        deadline = time.monotonic() + WAIT_SECONDS * (1 + len(submissions) // MAX_BATCH)
        results: list[Outcome | Unavailable] = []
        for answer in answers:
            try:
                results.append(answer.result(timeout=max(0.0, deadline - time.monotonic())))
            except TimeoutError:
                results.append(Unavailable(f"not committed within {WAIT_SECONDS} s"))
            except Unavailable as error:
                results.append(error)
        return results

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    self._wake.wait(IDLE_SECONDS)
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                if not batch:
                    self._running = False  # idle: the next sign-up starts the thread again
                    return
            submissions, answers = zip(*batch, strict=True)
            for answer, outcome in zip(answers, self.write(list(submissions)), strict=True):
                if isinstance(outcome, Unavailable):
                    answer.set_exception(outcome)
                else:
                    answer.set_result(outcome)

    def write(self, batch: list[Submission]) -> Sequence[Outcome | Unavailable]:
        """The answer for each sign-up of the batch, once committed; Unavailable if not."""
        try:
            return self._transaction(batch)
        except (sa.exc.IntegrityError, sa.exc.DataError) as error:
            # A row the database refuses (a value too long for its column, say) must
            # not fail the others: each goes on its own, and only that one is refused.
            if len(batch) > 1:
                return [self.write([submission])[0] for submission in batch]
            log.warning("sign-up %s refused by the database: %s", batch[0].row["id"], _why(error))
            return [REFUSED]
        except Exception as error:  # noqa: BLE001 - every waiter must hear about it
            # Nothing in the batch was committed: each request answers 503 and its
            # tablet sends the same id again.
            log.warning("sign-up batch of %d not stored: %s", len(batch), _why(error))
            return [Unavailable(_why(error))] * len(batch)

    def _transaction(self, batch: list[Submission], *, retry: bool = True) -> list[Outcome]:
        try:
            with self._engine.begin() as connection:
                return store_batch(connection, batch)
        except sa.exc.DBAPIError as error:
            if retry and error.connection_invalidated:
                # The server restarted or dropped us: once more, on a fresh connection.
                return self._transaction(batch, retry=False)
            raise


def _why(error: Exception) -> str:
    """The driver's error, never the statement's parameters: they hold personal data."""
    cause = getattr(error, "orig", None) or error
    if isinstance(error, sa.exc.IntegrityError | sa.exc.DataError):  # their detail quotes the row
        return type(cause).__name__
    return f"{type(cause).__name__}: {cause}"


def init_app(app: Flask) -> None:
    with app.app_context():
        app.extensions["kiosk_signup_writer"] = Writer(db.engine)
