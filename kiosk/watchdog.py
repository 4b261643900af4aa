"""Cut a PostgreSQL connection whose statement has waited past its deadline (a frozen network).

PostgreSQL's `statement_timeout` ends a slow statement, but only a server that
hears from us can apply it. On a frozen network path (a dead router, a stalled
proxy, a VM paused) the driver waits for an answer forever: no TCP error comes,
because nothing ever says the connection is gone. Each such request held a server
thread until all were held and even /kb/ stopped answering. So a thread of our
own watches the statements in flight and shuts down the socket of any that has
waited a little longer than the server would have allowed it: the driver wakes
with "server closed the connection", the request answers 503, and the pool
throws that connection away.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

log = logging.getLogger(__name__)

MARGIN_SECONDS = 1.0  # the server's own statement_timeout should normally win
TICK_SECONDS = 0.25


def socket_of(dbapi_connection: Any) -> int | None:
    """The file descriptor under a psycopg 3 connection, if it is open."""
    try:
        return int(dbapi_connection.pgconn.socket)
    except Exception:  # noqa: BLE001 - closed or not psycopg: nothing to watch
        return None


def _shut_down(fd: int) -> None:
    """Shut the socket down for everyone holding it; the driver owns (and later closes) the fd."""
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    with duplicate:
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Watchdog:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._armed: dict[int, tuple[float, int]] = {}  # id(connection) → (deadline, fd)
        self._thread: threading.Thread | None = None
        self._cut: set[int] = set()  # connections cut and not yet reported by their error

    def arm(self, dbapi_connection: Any) -> None:
        fd = socket_of(dbapi_connection)
        if fd is None:
            return
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds, fd)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="db-watchdog", daemon=True)
                self._thread.start()

    def disarm(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)
            self._cut.discard(id(dbapi_connection))

    def was_cut(self, dbapi_connection: Any) -> bool:
        """Whether this connection's last error came from being cut here (asked once)."""
        with self._lock:
            if id(dbapi_connection) in self._cut:
                self._cut.discard(id(dbapi_connection))
                return True
            return False

    def cut_waiting(self) -> None:
        """Cut every connection that has waited over a second: their network path is known dead."""
        started_before = time.monotonic() - MARGIN_SECONDS
        with self._lock:
            waiting = [
                key
                for key, (deadline, _fd) in self._armed.items()
                if deadline - self.seconds <= started_before
            ]
            cut = [self._armed.pop(key)[1] for key in waiting]
            self._cut.update(waiting)
        for fd in cut:
            _shut_down(fd)

    def _loop(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                expired = [key for key, (deadline, _fd) in self._armed.items() if deadline <= now]
                cut = [self._armed.pop(key)[1] for key in expired]
                self._cut.update(expired)
                if not self._armed and not cut:
                    self._thread = None  # idle: the next statement starts it again
                    return
            for fd in cut:
                log.warning("database statement past its deadline: connection cut")
                _shut_down(fd)
