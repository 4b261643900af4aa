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

Rows go in with INSERT ... ON CONFLICT (id) DO NOTHING RETURNING id: the ids that
come back are the new rows; any other id was already stored (a retry whose
answer was lost, or a race with another process), and the caller turns that
into a replay (200) or a conflict (409).
"""

from __future__ import annotations

import queue
import threading
import uuid
from concurrent.futures import Future
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.extensions import db
from kiosk.models import Signup

MAX_BATCH = 500  # bounds one transaction's size and the time a batch holds the write lock
WAIT_SECONDS = 30  # a request gives up (and the tablet retries) if its batch takes longer
IDLE_EXIT_SECONDS = 30  # the thread ends when idle and restarts on the next sign-up

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def _insert_ignoring_duplicates(dialect: str) -> sa.Insert:
    try:
        insert = _INSERTS[dialect]
    except KeyError:
        message = f"sign-ups are stored on SQLite or PostgreSQL, not {dialect}"
        raise NotImplementedError(message) from None
    table = Signup.__table__
    return insert(table).on_conflict_do_nothing(index_elements=[table.c.id]).returning(table.c.id)


class SignupWriter:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._statement = _insert_ignoring_duplicates(engine.dialect.name)
        self._queue: queue.SimpleQueue[tuple[dict[str, Any], Future[bool]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def insert(self, values: dict[str, Any]) -> bool:
        """Store one row; True if it is new, False if its id was already stored."""
        done: Future[bool] = Future()
        with self._lock:  # the idle exit checks the queue under the same lock: nothing is stranded
            self._queue.put((values, done))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="signup-writer", daemon=True)
                self._thread.start()
        return done.result(timeout=WAIT_SECONDS)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_EXIT_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    def _write(self, batch: list[tuple[dict[str, Any], Future[bool]]]) -> None:
        first_by_id: dict[uuid.UUID, dict[str, Any]] = {}
        for values, _ in batch:
            first_by_id.setdefault(values["id"], values)
        try:
            with self._engine.begin() as connection:
                result = connection.execute(self._statement, list(first_by_id.values()))
                inserted = set(result.scalars())
        except Exception as error:  # noqa: BLE001 - every waiter must hear about it
            # Nothing in the batch was committed; each request answers 503 and its
            # tablet retries with the same id.
            for _, done in batch:
                done.set_exception(error)
            return
        for values, done in batch:
            # Only the first occurrence of an id in a batch can have inserted it.
            is_first = first_by_id[values["id"]] is values
            done.set_result(is_first and values["id"] in inserted)


def init_app(app: Flask) -> None:
    with app.app_context():
        app.extensions["kiosk_signup_writer"] = SignupWriter(db.engine)


def writer() -> SignupWriter:
    return current_app.extensions["kiosk_signup_writer"]
