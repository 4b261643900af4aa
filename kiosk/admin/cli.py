"""Admin operations as `flask --app kiosk …` commands: schedule export and purge."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from kiosk.admin import retention, schedule
from kiosk.extensions import db

# AppGroup and with_appcontext: commands run inside an app context however invoked.
schedule_group = AppGroup("schedule", help="The published session schedule (沟通会日程).")


@schedule_group.command("export")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write. Default: print it. Publishing (kb publish) writes it by itself.",
)
def schedule_export(output: Path | None) -> None:
    """Print (or write) the sessions not yet ended, as the knowledge base's schedule reads them."""
    sessions = schedule.upcoming()
    text = schedule.render(sessions)
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"已写入 {len(sessions)} 场沟通会：{output}")


@click.command("purge")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help="Age in days. Default: RETENTION_DAYS (365).",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_appcontext
def purge_command(days: int | None, dry_run: bool) -> None:
    """Delete sign-ups past the retention period, and orphaned follow-ups and attention items."""
    days = days or int(current_app.config["RETENTION_DAYS"])
    if dry_run:
        counts = retention.purge(days, dry_run=True)
        db.session.rollback()
    else:
        # The deletion and its audit entry commit together.
        counts = retention.purge_and_record(days, by="command")
    summary = (
        f"{counts.signups} 条登记、{counts.follow_ups} 条跟进记录、"
        f"{counts.attention_items} 条待处理记录（早于 {days} 天）"
    )
    if dry_run:
        click.echo(f"试运行，未删除任何数据。将会删除：{summary}")
    else:
        click.echo(f"已删除：{summary}")


def init_app(app: Flask) -> None:
    app.cli.add_command(schedule_group)
    app.cli.add_command(purge_command)
