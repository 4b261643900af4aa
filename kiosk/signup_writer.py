"""Group commit: one writer thread per process stores every waiting sign-up in one transaction.

A sign-up is acknowledged only after the transaction holding it has committed,
so durability is exactly what the database gives a single commit (with SQLite's
synchronous=FULL, an fsync). What changes is how many sign-ups share that
commit: while one batch is being written, the requests arriving meanwhile queue
up and go together in the next. Under a reconnect storm the fsync and the
per-statement work are paid once per batch instead of once per sign-up; a lone
sign-up still goes at once, because the writer never waits to fill a batch.

Why a thread and not "whoever holds the lock writes": waiters then have to take
that lock one by one just to learn their row is in, and under load each hand-over
waits for the GIL; here the writer wakes every waiter of a batch together.

Each batch is first checked by `kiosk.admission` on the writer's connection
(tablet still bound, session open), then the admitted rows go in with
INSERT ... ON CONFLICT (id) DO NOTHING. A row that did not go in has an id that
was already stored (a retry whose answer was lost, or a race with another
process), and the caller turns that into a replay (200) or a conflict (409).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.admission import Submission, Verdict, admit
from kiosk.extensions import db
from kiosk.models import Signup

Admit = Callable[[sa.Connection, Sequence[Submission]], list[int | Verdict]]

MAX_BATCH = 500  # bounds one transaction's size and the time a batch holds the write lock
WAIT_SECONDS = 30  # a request gives up (and the tablet retries) if its batch takes longer
IDLE_EXIT_SECONDS = 30  # the thread ends when idle and restarts on the next sign-up

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_SIGNUPS = Signup.__table__
_STORED_AT = sa.select(_SIGNUPS.c.id, _SIGNUPS.c.created_at).where(
    _SIGNUPS.c.id.in_(sa.bindparam("ids", expanding=True))
)


def _insert_ignoring_duplicates(dialect: str) -> sa.Insert:
    try:
        insert = _INSERTS[dialect]
    except KeyError:
        message = f"sign-ups are stored on SQLite or PostgreSQL, not {dialect}"
        raise NotImplementedError(message) from None
    statement = insert(_SIGNUPS).on_conflict_do_nothing(index_elements=[_SIGNUPS.c.id])
    # Without it, a many-row insert on PostgreSQL reports rowcount -1.
    return statement.execution_options(preserve_rowcount=True)


def _insert_rows(
    statement: sa.Insert, connection: sa.Connection, rows: list[dict[str, Any]]
) -> set[uuid.UUID]:
    """Insert; return the ids this call stored. The others were stored before.

    Not RETURNING: a many-row RETURNING insert costs twice as much per row here
    (SQLite re-parses it for every batch size; psycopg re-parses its long SQL),
    and the row count already answers the common case, where every row is new.
    """
    if connection.execute(statement, rows).rowcount == len(rows):
        return {row["id"] for row in rows}
    # Some were replays of stored ids: ours are the rows that carry our timestamp.
    ours = {row["id"]: row["created_at"] for row in rows}
    stored = connection.execute(_STORED_AT, {"ids": list(ours)})
    return {id_ for id_, created_at in stored if created_at == ours[id_]}


_STOP: Any = object()  # queued by close(): the writer thread ends once the queue is empty


class Unavailable(Exception):
    """The database could not take the batch; nothing in it was stored. Try again."""


class _Pending:
    """One sign-up waiting for its batch's commit.

    A bare lock, taken on creation and released by the writer, is the cheapest
    way to park a request thread and wake it; a Future builds a Condition and
    a waiter lock for each wait, and this is paid once per sign-up.
    """

    __slots__ = ("submission", "_outcome", "_done")

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self._outcome: Verdict | Unavailable = Unavailable("not settled")
        self._done = threading.Lock()
        self._done.acquire()

    def settle(self, outcome: Verdict | Unavailable) -> None:
        self._outcome = outcome
        self._done.release()

    def wait(self, timeout: float) -> Verdict:
        if not self._done.acquire(timeout=timeout):
            raise Unavailable(f"no commit within {timeout:.0f} s")
        if isinstance(self._outcome, Unavailable):
            raise self._outcome
        return self._outcome


class SignupWriter:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._admit: Admit = admit  # an attribute, so a test can make the database fail
        self._statement = _insert_ignoring_duplicates(engine.dialect.name)
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        # The writer thread's own connection, kept between batches: a pool checkout
        # costs a ping and a reset, two round trips on PostgreSQL, every batch.
        self._connection: sa.Connection | None = None

    def submit(self, submission: Submission) -> Verdict:
        """Admit and store one sign-up; INSERTED once committed, else why not."""
        pending = _Pending(submission)
        with self._lock:  # the idle exit checks the queue under the same lock: nothing is stranded
            self._queue.put(pending)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="signup-writer", daemon=True)
                self._thread.start()
        return pending.wait(WAIT_SECONDS)

    def close(self) -> None:
        """End the writer thread and close its connection; the next sign-up starts it again."""
        with self._lock:
            thread = self._thread
            if thread is None:
                return
            self._queue.put(_STOP)
        thread.join(timeout=WAIT_SECONDS)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_EXIT_SECONDS)
            except queue.Empty:
                first = _STOP
            if first is _STOP:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        self._close_connection()
                        return
                continue
            batch, stop = [first], False
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                else:
                    batch.append(item)
            self._write(batch)
            if stop:  # close() came in with sign-ups still arriving: end after this batch
                self._queue.put(_STOP)

    def _write(self, batch: list[_Pending]) -> None:
        submissions = [pending.submission for pending in batch]
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = self._engine.connect()
            try:
                with self._connection.begin():
                    verdicts = self.store_batch(self._connection, submissions)
                break
            except Exception as error:  # noqa: BLE001 - every waiter must hear about it
                self._close_connection()
                disconnected = isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated
                if disconnected and attempt == 1:
                    continue  # the server restarted or dropped us: once more, freshly connected
                # Nothing in the batch was committed: each request answers 503 and
                # its tablet retries with the same id.
                for pending in batch:
                    pending.settle(Unavailable(str(error)))
                return
        for pending, verdict in zip(batch, verdicts, strict=True):
            pending.settle(verdict)

    def store_batch(self, connection: sa.Connection, batch: list[Submission]) -> list[Verdict]:
        """Admit and insert a batch in the caller's transaction: what became of each."""
        decisions = self._admit(connection, batch)
        # Only the first occurrence of an id in a batch can insert it.
        first_by_id: dict[uuid.UUID, dict[str, Any]] = {}
        rows: list[dict[str, Any] | None] = []
        for submission, decision in zip(batch, decisions, strict=True):
            if isinstance(decision, Verdict):
                rows.append(None)
                continue
            row = {**submission.row, "session_id": decision}
            first_by_id.setdefault(row["id"], row)
            rows.append(row)
        inserted: set[uuid.UUID] = set()
        if first_by_id:
            inserted = _insert_rows(self._statement, connection, list(first_by_id.values()))
        verdicts: list[Verdict] = []
        for decision, row in zip(decisions, rows, strict=True):
            if row is None:
                verdicts.append(Verdict(decision))
            elif first_by_id[row["id"]] is row and row["id"] in inserted:
                verdicts.append(Verdict.INSERTED)
            else:
                verdicts.append(Verdict.DUPLICATE)
        return verdicts

    def _close_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # a dead connection may fail to close
                connection.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        app.extensions["kiosk_signup_writer"] = SignupWriter(db.engine)


def writer() -> SignupWriter:
    return current_app.extensions["kiosk_signup_writer"]
