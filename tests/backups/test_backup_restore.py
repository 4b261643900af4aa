"""`backup` and `restore`: named with the time, compressed, encrypted on request, no overwrite."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk import create_app, periodic
from kiosk.backups import files, sealing
from kiosk.extensions import db
from kiosk.models import Organisation
from tests.conftest import World, base_config


def make_backup(app: Flask, folder: Path, *args: str) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(folder), *args])
    assert result.exit_code == 0, result.output
    (path,) = [p for p in files.backups_in(folder) if p.name in result.output]
    return path


def fresh_sqlite(tmp_path: Path, name: str, **extra: object) -> Flask:
    return create_app(base_config(f"sqlite:///{tmp_path / name}", **extra))


def test_a_backup_is_compressed_and_named_with_the_time(app: Flask, world: World, tmp_path):
    path = make_backup(app, tmp_path / "out")
    sqlite = app.config["DATABASE_URL"].startswith("sqlite")
    extension = r"\.sqlite3\.gz" if sqlite else r"\.pgdump"
    assert re.fullmatch(rf"kiosk-\d{{8}}T\d{{6}}Z{extension}", path.name)
    data = path.read_bytes()
    assert data[:2] == b"\x1f\x8b" if sqlite else data.startswith(b"PGDMP")
    assert path.stat().st_mode & 0o777 == 0o600


def test_an_sqlite_backup_restores_into_an_empty_instance(app: Flask, world: World, tmp_path):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("PostgreSQL restore is pg_restore's: see test_a_postgres_backup_restores")
    path = make_backup(app, tmp_path / "out")
    fresh = fresh_sqlite(tmp_path, "fresh.sqlite3")
    result = fresh.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        names = set(db.session.scalars(sa.select(Organisation.name)))
    assert names == {"大兴区总工会", "瀛海镇总工会", "西红门镇总工会"}


def test_restore_refuses_an_instance_with_data_unless_forced(app: Flask, world: World, tmp_path):
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("SQLite restore")
    path = make_backup(app, tmp_path / "out")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code == 1
    assert "这个数据库里已有" in refused.output and "--force" in refused.output
    with app.app_context():
        db.session.add(Organisation(name="后来加的工会", level="subdistrict"))
        db.session.commit()
    forced = runner.invoke(args=["restore", str(path), "--force"])
    assert forced.exit_code == 0, forced.output
    with app.app_context():
        assert "后来加的工会" not in set(db.session.scalars(sa.select(Organisation.name)))


def test_a_postgres_backup_restores(app: Flask, world: World, tmp_path):
    if app.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("pg_dump and pg_restore")
    path = make_backup(app, tmp_path / "out")
    with app.app_context():
        db.session.add(Organisation(name="后来加的工会", level="subdistrict"))
        db.session.commit()
        db.engine.dispose()
    result = app.test_cli_runner().invoke(args=["restore", str(path), "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = set(db.session.scalars(sa.select(Organisation.name)))
    assert names == {"大兴区总工会", "瀛海镇总工会", "西红门镇总工会"}


def test_an_encrypted_backup_needs_its_passphrase(app: Flask, world: World, tmp_path):
    app.config["BACKUP_PASSPHRASE"] = "booth laptop passphrase"
    path = make_backup(app, tmp_path / "out")
    assert path.name.endswith(".enc") and sealing.is_sealed(path.read_bytes())
    assert b"\xe7\x80\x9b\xe6\xb5\xb7" not in path.read_bytes()  # 瀛海 is not readable
    if not app.config["DATABASE_URL"].startswith("sqlite"):
        return
    wrong = fresh_sqlite(tmp_path, "wrong.sqlite3", BACKUP_PASSPHRASE="not it")
    result = wrong.test_cli_runner().invoke(args=["restore", str(path)])
    assert result.exit_code == 1 and "密码不对，或备份文件已损坏" in result.output
    prompted = fresh_sqlite(tmp_path, "prompted.sqlite3")
    result = prompted.test_cli_runner().invoke(
        args=["restore", str(path)], input="booth laptop passphrase\n"
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "这不是 SQLite 备份"),
        (gzip.compress(b"not a database at all", mtime=0), "这不是本系统的备份文件"),
        (gzip.compress(b"x", mtime=0)[:5], "备份文件已损坏，无法解压"),
    ],
    ids=["not_gzip", "not_a_database", "truncated"],
)
def test_restore_refuses_what_is_not_a_backup(tmp_path, content: bytes, message: str) -> None:
    bogus = tmp_path / "kiosk-bogus.sqlite3.gz"
    bogus.write_bytes(content)
    fresh = fresh_sqlite(tmp_path, "fresh.sqlite3")
    result = fresh.test_cli_runner().invoke(args=["restore", str(bogus)])
    assert result.exit_code == 1 and message in result.output


def test_only_the_newest_backups_are_kept(app: Flask, world: World, tmp_path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"kiosk-202611{day:02d}T000000Z.sqlite3.gz").write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(folder), "--keep", "3"])
    assert result.exit_code == 0, result.output
    kept = sorted(p.name for p in folder.iterdir())
    assert kept[:2] == ["kiosk-20261104T000000Z.sqlite3.gz", "kiosk-20261105T000000Z.sqlite3.gz"]
    assert len(kept) == 4 and kept[-1] == "notes.txt"


def test_serve_backs_up_daily_and_at_shutdown_keeping_fourteen(tmp_path) -> None:
    app = fresh_sqlite(tmp_path, "k.sqlite3", BACKUP_DIR=str(tmp_path / "b"))
    (job,) = [j for j in periodic.jobs_of(app) if j.name == "backup"]
    assert (job.every_seconds, job.at_shutdown) == (24 * 3600, True)
    assert app.config["BACKUP_KEEP"] == 14
    with app.app_context():
        from kiosk.database import upgrade

        upgrade()
    folder = tmp_path / "b"
    folder.mkdir()
    for day in range(1, 16):
        (folder / f"kiosk-202611{day:02d}T000000Z.sqlite3.gz").write_bytes(b"old")
    timer = periodic.Timer(app, tick_seconds=0.01)
    timer.start()
    timer.stop()  # runs the shutdown backup
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 14 and names[0] == "kiosk-20261103T000000Z.sqlite3.gz"
    assert gzip.decompress(Path(folder / names[-1]).read_bytes())[:15] == b"SQLite format 3"


def test_automatic_backups_can_be_turned_off(tmp_path) -> None:
    app = fresh_sqlite(tmp_path, "k.sqlite3", BACKUP_INTERVAL_HOURS=0)
    assert "backup" not in [j.name for j in periodic.jobs_of(app)]
