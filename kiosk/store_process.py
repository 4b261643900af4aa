"""The writer process: a `BatchStore` in a child process, fed batches over a pipe.

Why a process: the web process is one CPython interpreter, and every request
thread, the batching thread and the database driver share its GIL. Storing a
batch through SQLAlchemy is Python work, and the driver lets the GIL go on every
statement, after which the writer queues to get it back behind the request
threads. In a process of its own that work runs on the other CPU, and the web
process only sends the batch and reads back one verdict per sign-up.

Nothing about durability changes: the child replies after the commit, and the
request thread answers only then. If the child dies or hangs, the batch's
requests answer 503 and their tablets retry with the same ids; the next batch
starts a new child. A batch the child committed just before dying is then
stored already, and the retry gets the stored receipt (200), not a second row.

Started with "spawn", never "fork": the web process has threads and open
connections that a forked child must not inherit.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from kiosk.admission import Submission, Verdict
from kiosk.batch_store import BatchStore, Unavailable
from kiosk.database import make_engine

# A batch is normally committed in milliseconds; a child that has not answered by
# then is stuck (a locked database file, a hung server), and its requests have
# already given up (signup_writer.WAIT_SECONDS).
REPLY_SECONDS = 30
START_SECONDS = 30


@dataclass(frozen=True)
class EngineSpec:
    """What the child needs to build an engine like the web process's: picklable."""

    options: dict[str, Any]  # sqlalchemy.create_engine keyword arguments, url included
    sqlite_synchronous: str


def _child_main(spec: EngineSpec, pipe: Connection) -> None:
    # Ctrl-C in a terminal reaches the whole process group; the child stops when
    # the web process closes the pipe, after finishing the batch in hand.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = BatchStore(make_engine(spec.options, spec.sqlite_synchronous))
    try:
        # A database that is down now is retried with each batch, which then gets 503.
        with contextlib.suppress(Exception):
            store.open()
        pipe.send("ready")
        while True:
            try:
                batch = pipe.recv()
            except EOFError:
                return
            reply: list[Verdict] | Unavailable
            try:
                reply = store.store(batch)
            except Unavailable as error:
                reply = error
            pipe.send(reply)
    except (BrokenPipeError, ConnectionResetError):
        return  # the web process went away; nothing is waiting for an answer
    finally:
        store.close()


class _Gone(Exception):
    """The child died: the pipe broke or ended."""


class StoreProcess:
    """Same interface as BatchStore; the work happens in a child process.

    Only the batching thread calls it, one batch at a time.
    """

    def __init__(self, spec: EngineSpec) -> None:
        self._spec = spec
        self._process: multiprocessing.process.BaseProcess | None = None
        self._pipe: Connection | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def open(self) -> Connection:
        """Start the child if there is none, and wait until it is ready.

        A child that died is noticed by `store` when its pipe breaks, which stops it.
        """
        if self._pipe is not None:
            return self._pipe
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_child_main, args=(self._spec, theirs), name="signup-store", daemon=True
        )
        process.start()
        theirs.close()  # so that the child's death shows here as EOF
        self._process, self._pipe = process, ours
        try:
            self._receive(ours, START_SECONDS)
        except _Gone as gone:
            raise Unavailable(f"the writer process did not start: {gone}") from gone
        return ours

    def store(self, batch: list[Submission]) -> list[Verdict]:
        for attempt in (1, 2):
            pipe = self.open()
            try:
                self._send(pipe, batch)
                reply = self._receive(pipe, REPLY_SECONDS)
            except _Gone as gone:
                # Safe to send again to a new child: a row the dead one committed is
                # found by its id, and its request gets the stored receipt.
                if attempt == 1:
                    continue
                raise Unavailable(f"the writer process failed twice: {gone}") from gone
            if isinstance(reply, Unavailable):
                raise reply
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, pipe: Connection, batch: list[Submission]) -> None:
        try:
            pipe.send(batch)
        except OSError as error:
            self._stop(kill=True)
            raise _Gone(repr(error)) from error

    def _receive(self, pipe: Connection, timeout: float) -> Any:
        try:
            if pipe.poll(timeout):
                return pipe.recv()
        except (EOFError, OSError) as error:
            self._stop(kill=True)
            raise _Gone(repr(error)) from error
        # Hung (a locked database file, a stuck server): its requests have given up.
        self._stop(kill=True)
        raise Unavailable(f"the writer process gave no answer within {timeout:.0f} s")

    def close(self) -> None:
        """Let the child finish the batch in hand and end; kill it if it will not."""
        self._stop(kill=False)

    def _stop(self, *, kill: bool) -> None:
        pipe, process = self._pipe, self._process
        self._pipe = self._process = None
        if pipe is not None:
            pipe.close()
        if process is None:
            return
        if not kill:
            process.join(timeout=REPLY_SECONDS)
        if process.is_alive():
            process.kill()
        process.join()
