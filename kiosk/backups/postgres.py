"""PostgreSQL: a thin wrapper around pg_dump and pg_restore (package postgresql-client).

The dump is pg_dump's custom format, already compressed. The password goes to
the tools in PGPASSWORD, never on a command line that `ps` shows.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # noqa: S404 - fixed argument lists, no shell
import tempfile
from pathlib import Path
from urllib.parse import unquote

import sqlalchemy as sa

EXTENSION = ".pgdump"


def _connection(engine: sa.Engine) -> tuple[list[str], dict[str, str]]:
    """libpq arguments (without the password) and the environment carrying it."""
    url = engine.url
    plain = url.set(drivername="postgresql", password=None)
    args = ["--dbname", plain.render_as_string(hide_password=False)]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # The tests give each run its own schema through `options=-csearch_path=…`:
    # dump and restore that schema only.
    options = unquote(str(url.query.get("options", "")))
    if options.startswith("-csearch_path="):
        args += ["--schema", options.removeprefix("-csearch_path=")]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ValueError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt install postgresql-client）"
        )
    return found


def snapshot(engine: sa.Engine) -> bytes:
    args, env = _connection(engine)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dump.pgdump"
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        result = subprocess.run(  # noqa: S603
            [*command, *args, "--file", str(out)], env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise ValueError(f"pg_dump 失败：{result.stderr.strip()[:500]}")
        return out.read_bytes()


def restore(engine: sa.Engine, data: bytes, *, clean: bool) -> None:
    args, env = _connection(engine)
    engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "restore.pgdump"
        dump.write_bytes(data)
        command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        if clean:
            command += ["--clean", "--if-exists"]
        result = subprocess.run(  # noqa: S603
            [*command, *args, str(dump)], env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise ValueError(f"pg_restore 失败：{result.stderr.strip()[:500]}")
