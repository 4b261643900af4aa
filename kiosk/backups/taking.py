"""Taking a backup and restoring one, whichever database the instance runs on."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from kiosk.backups import files, postgres, sealing, sqlite
from kiosk.extensions import db
from kiosk.models import utcnow

log = logging.getLogger(__name__)

# Any row in these means the instance is in use: restore will not overwrite it unasked.
IN_USE_TABLES = ("organisation", "staff_user", "outreach_session", "signup")


def _engine_kind() -> str:
    return db.engine.dialect.name


def take(output: str | None = None, *, passphrase: str | None = None) -> Path:
    """Write one backup into `output` (or BACKUP_DIR) and return its path."""
    passphrase = passphrase or current_app.config.get("BACKUP_PASSPHRASE")
    if _engine_kind() == "sqlite":
        data, extension = sqlite.snapshot(db.engine), sqlite.EXTENSION
    else:
        data, extension = postgres.snapshot(db.engine), postgres.EXTENSION
    if passphrase:
        data = sealing.seal(data, passphrase)
    path = files.backup_dir(output) / files.name_for(utcnow(), extension, bool(passphrase))
    files.write_atomically(path, data)
    return path


def rows_in_use() -> int:
    """How many rows the tables of a used instance hold (0: empty, or never migrated)."""
    existing = set(sa.inspect(db.engine).get_table_names())
    total = 0
    with db.engine.connect() as connection:
        for table in IN_USE_TABLES:
            if table in existing:
                total += connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0  # noqa: S608
    return total


def restore(path: Path, *, passphrase: str | None = None, force: bool = False) -> None:
    """Put a backup back; refuse an instance holding data unless `force`."""
    passphrase = passphrase or current_app.config.get("BACKUP_PASSPHRASE")
    data = sealing.unseal(path.read_bytes(), passphrase)
    in_use = rows_in_use()
    if in_use and not force:
        raise ValueError(
            f"这个数据库里已有 {in_use} 行数据，恢复会覆盖它们。确认要覆盖，请加 --force"
        )
    if _engine_kind() == "sqlite":
        if data[:2] != b"\x1f\x8b":
            raise ValueError("这不是 SQLite 备份（.sqlite3.gz）")
        sqlite.restore(db.engine, data)
    else:
        if not data.startswith(b"PGDMP"):
            raise ValueError("这不是 PostgreSQL 备份（.pgdump）")
        postgres.restore(db.engine, data, clean=bool(in_use))


def scheduled(app: object) -> None:
    """The periodic job: one backup, then keep the newest BACKUP_KEEP."""
    path = take()
    deleted = files.keep_latest(path.parent, current_app.config["BACKUP_KEEP"])
    log.info("backup %s written; %d old backups deleted", path.name, len(deleted))
