"""Printed sheets: rendered on SQLite only (they test paper, not storage engines)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "kiosk.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"
