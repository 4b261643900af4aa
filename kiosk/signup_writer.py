"""Group commit: one batching thread per process hands every waiting sign-up over as one batch.

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

The thread hands each batch to a store: `kiosk.batch_store.BatchStore` in this
process, or the same in a writer process of its own (`kiosk.store_process`),
which is what `serve` uses (setting SIGNUP_WRITER_PROCESS).
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any, Protocol

from flask import Flask, current_app

from kiosk import database
from kiosk.admission import Submission, Verdict
from kiosk.batch_store import BatchStore, Unavailable
from kiosk.extensions import db
from kiosk.store_process import EngineSpec, StoreProcess

__all__ = ["SignupWriter", "Unavailable", "init_app", "writer"]

MAX_BATCH = 500  # bounds one transaction's size and the time a batch holds the write lock
WAIT_SECONDS = 30  # a request gives up (and the tablet retries) if its batch takes longer
IDLE_EXIT_SECONDS = 30  # the thread ends when idle and restarts on the next sign-up

log = logging.getLogger(__name__)

_STOP: Any = object()  # queued by close(): the writer thread ends once the queue is empty


class Store(Protocol):
    def open(self) -> object: ...
    def store(self, batch: list[Submission]) -> list[Verdict]: ...
    def close(self) -> None: ...


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
    def __init__(self, store: Store) -> None:
        self.store = store
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, submission: Submission) -> Verdict:
        """Admit and store one sign-up; INSERTED once committed, else why not."""
        pending = _Pending(submission)
        with self._lock:  # the idle exit checks the queue under the same lock: nothing is stranded
            self._queue.put(pending)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="signup-writer", daemon=True)
                self._thread.start()
        return pending.wait(WAIT_SECONDS)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def close(self) -> None:
        """End the writer thread and close its store; the next sign-up starts them again."""
        with self._lock:
            thread = self._thread
            if thread is None:
                self.store.close()
                return
            self._queue.put(_STOP)
        thread.join(timeout=WAIT_SECONDS)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_EXIT_SECONDS)
                stopping = first is _STOP
            except queue.Empty:
                # Idle: the thread ends, the store stays open. Starting a writer
                # process again would cost the next sign-up a second.
                first, stopping = _STOP, False
            if first is _STOP:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        if stopping:
                            self.store.close()
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
        try:
            verdicts = self.store.store([pending.submission for pending in batch])
        except Exception as error:  # noqa: BLE001 - every waiter must hear about it
            # Nothing in the batch was committed: each request answers 503 and
            # its tablet retries with the same id.
            if isinstance(error, Unavailable):
                log.warning("sign-up batch of %d not stored: %s", len(batch), error)
                outcome = error
            else:
                log.exception("sign-up batch of %d failed", len(batch))
                outcome = Unavailable(repr(error))
            for pending in batch:
                pending.settle(outcome)
            return
        for pending, verdict in zip(batch, verdicts, strict=True):
            pending.settle(verdict)


def _store_for(app: Flask) -> Store:
    options = app.config["SQLALCHEMY_ENGINES"]["default"]
    if app.config["SIGNUP_WRITER_PROCESS"] and database.shared_between_processes(options["url"]):
        synchronous = database.sqlite_synchronous(app)
        return StoreProcess(EngineSpec(dict(options), synchronous))
    return BatchStore(db.engine)


def init_app(app: Flask) -> None:
    with app.app_context():
        app.extensions["kiosk_signup_writer"] = SignupWriter(_store_for(app))


def writer() -> SignupWriter:
    return current_app.extensions["kiosk_signup_writer"]
