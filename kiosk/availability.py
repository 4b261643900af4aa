"""When the database cannot answer now: which errors mean "try again", and the 503 they become.

A database that is down, unreachable, read-only, full or too slow is not the
request's fault: every route answers 503 with `Retry-After` (a Chinese page, or
JSON under /api/), never a 500, and the tablet or browser tries again later.
`Breaker` makes that answer quick: after one request has found the database
unreachable, the others are told so at once instead of each waiting out a
connection timeout and holding a server thread meanwhile.
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import ServiceUnavailable

RETRY_AFTER_SECONDS = 5

# PostgreSQL SQLSTATEs that say "not now" rather than "not this": connection
# exceptions (08), insufficient resources such as a full disk (53), operator
# intervention such as a shutdown or a cancelled statement (57), system errors (58),
# a read-only transaction (25006), and a serialization failure or deadlock (40001, 40P01).
_TRANSIENT_CLASSES = ("08", "53", "57", "58")
_TRANSIENT_CODES = ("25006", "40001", "40P01")
# Those that also mean the server cannot be reached, or not in time: open the breaker.
_UNREACHABLE_CODES = ("57014", "57P01", "57P02", "57P03")


class DatabaseUnavailable(Exception):
    """The database was found unreachable a moment ago; not tried again yet."""


def _sqlstate(error: sa.exc.DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None)


def is_unavailable(error: BaseException) -> bool:
    """Whether the error means the database cannot do this now (503), not a bug (500)."""
    if isinstance(error, DatabaseUnavailable | sa.exc.TimeoutError):
        return True  # the breaker, or no pooled connection free in time
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    sqlstate = _sqlstate(error)
    if sqlstate:
        return sqlstate.startswith(_TRANSIENT_CLASSES) or sqlstate in _TRANSIENT_CODES
    # No SQLSTATE: a PostgreSQL connection that failed before the server said anything,
    # or SQLite's own: locked, read-only, disk full, disk I/O error, unable to open.
    return isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)


def is_unreachable(error: BaseException, *, is_disconnect: bool = False) -> bool:
    """Whether the server could not be reached (or not in time), rather than refusing one thing."""
    if is_disconnect:
        return True
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    sqlstate = _sqlstate(error)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in _UNREACHABLE_CODES
    return isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError)


class Breaker:
    """After a failure to reach the database, refuse at once until `pause` has passed.

    Then one caller probes (its request may wait for a connection timeout) while the
    others are still refused; its success closes the breaker, its failure restarts it.
    """

    def __init__(self, pause: float = RETRY_AFTER_SECONDS) -> None:
        self.pause = pause
        self._lock = threading.Lock()
        self._failing = False
        self._until = 0.0

    def check(self) -> None:
        """Raise DatabaseUnavailable while open; let one caller through when a probe is due."""
        if not self._failing:  # the common case, without the lock
            return
        with self._lock:
            now = time.monotonic()
            if not self._failing:
                return
            if now < self._until:
                raise DatabaseUnavailable("the database was unreachable moments ago")
            self._until = now + self.pause  # this caller probes; the others wait for it

    def failed(self) -> None:
        with self._lock:
            self._failing = True
            self._until = time.monotonic() + self.pause

    def succeeded(self) -> None:
        if self._failing:
            with self._lock:
                self._failing = False
                self._until = 0.0

    @property
    def is_open(self) -> bool:
        return self._failing


def unavailable(error: Exception) -> Response:
    """The 503 for a database that cannot answer now, in the shape the route's clients read."""
    from kiosk import errors  # errors renders pages; importing it here keeps this module small

    current_app.logger.warning("database unavailable on %s: %s", type(error).__name__, _why(error))
    if request.path.startswith("/api/"):
        # The same answer POST /api/signups gives: the tablet keeps the item and retries.
        response = jsonify(error="try_again")
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        return response
    # The error page must not ask the database who is logged in: it is the thing that failed.
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    return errors.handle(ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS))


def _why(error: Exception) -> str:
    """The driver's message, never the statement's parameters: they may hold personal data."""
    cause = getattr(error, "orig", None) or error
    return f"{type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}"


def _on_database_error(error: Exception) -> Response:
    if is_unavailable(error):
        return unavailable(error)
    raise error  # a bug: Flask logs it and answers with the 500 page


def init_app(app: Flask) -> None:
    app.register_error_handler(sa.exc.SQLAlchemyError, _on_database_error)
    app.register_error_handler(DatabaseUnavailable, unavailable)
