"""Where backups go, what they are called, and how many are kept."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from flask import current_app

PREFIX = "kiosk-"
# Named with the UTC time, so sorting by name sorts by age.
STAMP = "%Y%m%dT%H%M%SZ"


def backup_dir(output: str | None = None) -> Path:
    folder = Path(
        output
        or current_app.config.get("BACKUP_DIR")
        or Path(current_app.instance_path) / "backups"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def name_for(now: datetime, extension: str, sealed: bool) -> str:
    return f"{PREFIX}{now.strftime(STAMP)}{extension}{'.enc' if sealed else ''}"


def write_atomically(path: Path, data: bytes) -> None:
    """Never a half-written file under a backup's name, even if the power goes."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(partial, 0o600)  # personal data: readable by the kiosk's own user only
    partial.replace(path)


def backups_in(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.name.startswith(PREFIX) and not p.name.endswith(".partial")
    )


def keep_latest(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups: the retention promise covers backups too."""
    found = backups_in(folder)
    doomed = found[: max(0, len(found) - keep)] if keep > 0 else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
