"""Backups: `flask --app kiosk backup|restore`, and `serve` taking them on a schedule.

They hold personal data: the README's Backups section says where to keep them
and for how long. Taking, restoring and naming are in `taking`, `sqlite`,
`postgres`, `sealing` (encryption) and `files` (names and how many are kept).
"""

from __future__ import annotations

from flask import Flask

from kiosk import periodic


def init_app(app: Flask) -> None:
    from kiosk.backups import cli, taking

    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.restore_command)
    hours = app.config["BACKUP_INTERVAL_HOURS"]
    if hours > 0:
        periodic.register(
            app,
            periodic.Job(
                "backup",
                every_seconds=hours * 3600,
                first_after_seconds=hours * 3600,
                run=taking.scheduled,
                at_shutdown=True,
            ),
        )
