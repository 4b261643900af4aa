"""Engine configuration, SQLite pragmas and Alembic migrations."""

from __future__ import annotations

import logging
from inspect import iscoroutinefunction
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask
from flask.cli import AppGroup

from kiosk import guard
from kiosk.extensions import db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 7_100_115  # any fixed number; the kit's key among PostgreSQL's advisory locks


def engine_config(app: Flask) -> dict[str, Any]:
    url = app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'kiosk.sqlite3'}"
    options: dict[str, Any] = {"url": url}
    parsed = sa.make_url(url)
    timeout = app.config["DATABASE_TIMEOUT_SECONDS"]
    if parsed.get_backend_name() == "sqlite":
        # Waitress serves from several threads; the pool hands each its own connection.
        # No pre-ping: a file cannot drop the connection, and the ping is a query per request.
        options["connect_args"] = {"check_same_thread": False, "timeout": timeout}
    else:
        # No pool_pre_ping: `_guard` pings on checkout itself, under the watchdog, so a
        # ping on a frozen network path cannot hang either.
        if "connect_timeout" not in parsed.query:
            # A server that cannot be reached is a 503 in seconds, not a long hang.
            options["connect_args"] = {"connect_timeout": max(2, round(timeout))}
        # One connection per waitress thread (serve --threads, 32 by default).
        options["pool_size"] = 32
        options["max_overflow"] = 8
        # All taken (every thread waiting on a slow database): 503, not a queue.
        options["pool_timeout"] = timeout
    return options


def _sqlite_pragmas(synchronous: str, timeout_seconds: float):
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the kiosk read while a sign-up is being written; busy_timeout
        # makes concurrent writers queue instead of failing with "database is locked",
        # for as long as a request may wait (then 503).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_seconds * 1000)}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        # A deleted person's data is overwritten in the file, not only unlinked from it.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return on_connect


# SQLite's errors that belong to the file under a connection, not to the statement.
_FILE_FAILURES = ("readonly database", "unable to open database file", "disk i/o error")


def _reopen_when_the_file_failed(context: sa.engine.ExceptionContext) -> None:
    """Throw away a connection whose file was read-only, missing or failing.

    SQLite opens a read-only file read-only and keeps it so: without this, the
    server would refuse writes until restarted, even after the disk was fixed.
    """
    message = str(context.original_exception).lower()
    if any(failure in message for failure in _FILE_FAILURES):
        context.is_disconnect = True


def _drop_async_teardown(app: Flask) -> None:
    """Remove flask-sqlalchemy-lite's async session teardown; the kiosk has no async engines.

    Flask runs an async teardown through asgiref's async_to_sync, a hop to another
    thread and event loop at the end of every request (about 1 ms, even for
    GET /api/health) only to find there is nothing to close.
    """
    app.teardown_appcontext_funcs[:] = [
        func
        for func in app.teardown_appcontext_funcs
        if not (func.__module__.startswith("flask_sqlalchemy_lite") and iscoroutinefunction(func))
    ]


def init_app(app: Flask) -> None:
    app.config["SQLALCHEMY_ENGINES"] = {"default": engine_config(app)}
    db.init_app(app)
    if not app.config.get("SQLALCHEMY_ASYNC_ENGINES"):
        _drop_async_teardown(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            timeout = app.config["DATABASE_TIMEOUT_SECONDS"]
            pragmas = _sqlite_pragmas(sqlite_synchronous(app), timeout)
            sa.event.listen(engine, "connect", pragmas)
            sa.event.listen(engine, "handle_error", _reopen_when_the_file_failed)
        else:
            guard.install(engine, app.config["DATABASE_TIMEOUT_SECONDS"])
    app.cli.add_command(db_group)


def sqlite_synchronous(app: Flask) -> str:
    synchronous = str(app.config["SQLITE_SYNCHRONOUS"]).upper()
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(f"KIOSK_SQLITE_SYNCHRONOUS: unknown value {synchronous!r}")
    return synchronous


def unbounded(connection: sa.Connection) -> None:
    """Lift the statement timeout for this transaction: migrations, purges, not requests."""
    connection.execution_options(**{guard.UNBOUNDED: True})
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")


def truncate_wal() -> None:
    """After deleting personal data on SQLite, empty the write-ahead log: it holds old pages.

    secure_delete zeroes freed space in the database file, but a checkpoint copies
    pages into the file without clearing the log, which keeps them until reused.
    Best effort: a reader in the middle of a query may keep part of it a moment longer.
    """
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
    if busy:
        logging.getLogger(__name__).warning("WAL not truncated: a reader was busy")


def alembic_config(connection: sa.Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(revision: str = "head") -> None:
    """Apply migrations to the current app's database.

    SQLite alters a table by copying it and dropping the old one (Alembic's batch
    mode); with foreign keys on, that DROP would delete every row referencing the
    table (ON DELETE CASCADE). So, as SQLite's own procedure says, keys go off
    outside the transaction and are checked before it commits.
    """
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                unbounded(connection)  # a migration may rewrite a large table
                if connection.dialect.name == "postgresql":
                    # Several servers deployed at once may each run `db upgrade`: the
                    # first migrates, the others wait here and then find nothing to do.
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                command.upgrade(alembic_config(connection), revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("migration left rows that break a foreign key")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    upgrade(revision)
    click.echo(f"数据库已升级到 {revision}: {db.engine.url.render_as_string(hide_password=True)}")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Autogenerate a migration from the models (for developers)."""
    with db.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)


@db_group.command("check")
def check_command() -> None:
    """Fail if the models and the migrations disagree."""
    with db.engine.begin() as connection:
        command.check(alembic_config(connection))
    click.echo("models and migrations agree")
