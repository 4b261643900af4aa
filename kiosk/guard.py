"""Time limits on a database server's engine: statement timeout, watchdog, breaker.

Installed on PostgreSQL engines (a SQLite file has `busy_timeout` instead, and
no network path to freeze). Every wait on the server is bounded:

* connecting: `connect_timeout` (kiosk.database);
* a statement: PostgreSQL's `statement_timeout`, set on each new connection; the
  watchdog (kiosk.watchdog) cuts the connection a second later if the server
  never answered;
* a checkout: the pool pings a connection it has held (as pool_pre_ping would),
  under the watchdog too;
* after a failure to reach the server: the breaker (kiosk.availability) refuses
  at once for a few seconds, so one request waits for the timeout, not all of them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kiosk.availability import Breaker, DatabaseUnavailable, is_unreachable
from kiosk.watchdog import MARGIN_SECONDS, Watchdog

STATEMENT_TIMEOUT = "57014"  # query_canceled: statement_timeout, or a cancel request

# An execution option: no statement timeout on this connection (migrations, purges).
UNBOUNDED = "kiosk_unbounded"


def _sqlstate(error: BaseException) -> str | None:
    return getattr(error, "sqlstate", None)


def _dbapi_connection(context: sa.engine.ExceptionContext) -> Any:
    """The driver connection the error happened on (a statement's, or a commit's)."""
    cursor = getattr(context, "cursor", None)  # not set when the error came while connecting
    if cursor is not None:
        return cursor.connection
    try:
        connection = getattr(context, "connection", None)
        return connection.connection.dbapi_connection if connection else None
    except Exception:  # noqa: BLE001 - already closed or invalidated
        return None


def install(engine: sa.Engine, timeout_seconds: float) -> None:
    breaker = Breaker()
    watchdog = Watchdog(timeout_seconds + MARGIN_SECONDS)

    @sa.event.listens_for(engine, "do_connect")
    def before_connect(*_args: Any) -> None:
        breaker.check()  # refused at once, before a connect that would only time out

    @sa.event.listens_for(engine, "connect")
    def set_statement_timeout(dbapi_connection: Any, _record: Any) -> None:
        breaker.succeeded()
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(timeout_seconds * 1000)}")
        dbapi_connection.commit()

    @sa.event.listens_for(engine, "checkout")
    def ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        breaker.check()
        if record.info.pop("fresh", False):
            return
        watchdog.arm(dbapi_connection)
        try:
            # A dead connection (the server restarted) is replaced; only if connecting
            # afresh fails too is the server unreachable.
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception:  # noqa: BLE001 - any failure means: reconnect
            alive = False
        cut = watchdog.was_cut(dbapi_connection)
        watchdog.disarm(dbapi_connection)
        if cut:
            breaker.failed()  # no answer at all: the path is frozen, a reconnect would hang too
            raise DatabaseUnavailable("the database did not answer a ping")
        if not alive:
            # The pool connects afresh (once); a refused connect raises to the caller.
            raise sa.exc.DisconnectionError("ping failed")

    @sa.event.listens_for(engine, "first_connect")
    @sa.event.listens_for(engine, "connect")
    def mark_fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info["fresh"] = True  # just connected: no need to ping it

    @sa.event.listens_for(engine, "before_cursor_execute")
    def arm(conn: sa.Connection, cursor: Any, *_args: Any) -> None:
        if not conn.get_execution_options().get(UNBOUNDED):
            watchdog.arm(cursor.connection)

    @sa.event.listens_for(engine, "after_cursor_execute")
    def disarm(conn: sa.Connection, cursor: Any, *_args: Any) -> None:
        watchdog.disarm(cursor.connection)
        breaker.succeeded()

    @sa.event.listens_for(engine, "commit")
    @sa.event.listens_for(engine, "rollback")
    def arm_end(conn: sa.Connection) -> None:
        # A commit on a frozen path waits like a statement. Disarmed on check-in.
        if conn.closed or conn.invalidated or conn.get_execution_options().get(UNBOUNDED):
            return
        dbapi_connection = conn.connection.dbapi_connection
        if dbapi_connection is not None:
            watchdog.arm(dbapi_connection)

    @sa.event.listens_for(engine, "checkin")
    def disarm_end(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection is not None:
            watchdog.disarm(dbapi_connection)

    @sa.event.listens_for(engine, "handle_error")
    def on_error(context: sa.engine.ExceptionContext) -> None:
        dbapi_connection = _dbapi_connection(context)
        cut = False
        if dbapi_connection is not None:
            cut = watchdog.was_cut(dbapi_connection)
            watchdog.disarm(dbapi_connection)
        # Unreachable: a connect that failed, a statement the watchdog had to cut, or one
        # the server cancelled at its timeout. One connection dropped (a restart, a
        # terminated backend) is not: the pool reconnects.
        connecting = getattr(context, "connection", None) is None
        if (
            cut
            or (connecting and is_unreachable(context.original_exception))
            or (_sqlstate(context.original_exception) == STATEMENT_TIMEOUT)
        ):
            breaker.failed()
            watchdog.cut_waiting()
