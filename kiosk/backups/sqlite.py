"""SQLite: a consistent copy while the server is serving, and putting one back.

SQLite's online backup API copies the database page by page inside one read
transaction; with WAL, sign-ups keep being written meanwhile and the copy is
the database as it was at one instant.
"""

from __future__ import annotations

import gzip
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

EXTENSION = ".sqlite3.gz"


def database_path(engine: sa.Engine) -> Path:
    name = engine.url.database
    if not name or name == ":memory:":
        raise ValueError("内存数据库无法备份")
    return Path(name)


def snapshot(engine: sa.Engine) -> bytes:
    """The whole database as one compressed file."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        with closing(sqlite3.connect(database_path(engine), timeout=30)) as source:
            with closing(sqlite3.connect(copy)) as target:
                source.backup(target)
        return gzip.compress(copy.read_bytes(), compresslevel=6)


def restore(engine: sa.Engine, data: bytes) -> None:
    """Replace the database's contents with a backup (the caller has checked it may)."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError) as error:
        raise ValueError("备份文件已损坏，无法解压") from error
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "restore.sqlite3"
        copy.write_bytes(raw)
        with closing(sqlite3.connect(copy)) as source:
            try:
                ok = source.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
            except sqlite3.DatabaseError as error:
                raise ValueError("这不是本系统的备份文件") from error
            if not ok or "alembic_version" not in tables:
                raise ValueError("这不是本系统的备份文件，或文件已损坏")
            engine.dispose()
            target_path = database_path(engine)
            target_path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(target_path, timeout=30)) as target:
                source.backup(target)
