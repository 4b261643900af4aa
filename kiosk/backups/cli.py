"""`flask --app kiosk backup` and `flask --app kiosk restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.backups import files, sealing, taking
from kiosk.database import upgrade


@click.command("backup")
@click.option("--output", help="Folder for the backup (default: KIOSK_BACKUP_DIR).")
@click.option("--keep", type=int, help="Then keep only this many backups in that folder.")
@with_appcontext
def backup_command(output: str | None, keep: int | None) -> None:
    """Write a compressed backup named with the time; safe while `serve` is running."""
    try:
        path = taking.take(output)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"已备份：{path}（{path.stat().st_size} 字节）")
    if not current_app.config.get("BACKUP_PASSPHRASE"):
        click.echo("提示：备份未加密。设置 KIOSK_BACKUP_PASSPHRASE 可加密备份。")
    if keep is not None:
        for deleted in files.keep_latest(path.parent, keep):
            click.echo(f"已删除旧备份：{deleted.name}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds data.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore FILE into this instance (stop `serve` first); refuses a database with data."""
    passphrase = current_app.config.get("BACKUP_PASSPHRASE")
    if sealing.is_sealed(file.read_bytes()[: len(sealing.MAGIC)]) and not passphrase:
        passphrase = click.prompt("备份密码", hide_input=True)
    try:
        taking.restore(file, passphrase=passphrase, force=force)
    except (ValueError, sealing.SealError) as error:
        raise click.ClickException(str(error)) from error
    upgrade()  # a backup from an older version is brought up to this one's schema
    click.echo(f"已从 {file.name} 恢复")
