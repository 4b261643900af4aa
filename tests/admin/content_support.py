"""Helpers for the content-editing tests: a copy of docs/ as DOCS_DIR, a content editor."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from kiosk.extensions import db
from kiosk.models import ContentRevision, StaffUser

ROOT = Path(__file__).resolve().parents[2]
PAGE = "benefits/health-check.md"


def copy_docs(app: Flask, tmp_path: Path) -> Path:
    """DOCS_DIR outside the checkout, as on a server: the tests never touch docs/."""
    docs = tmp_path / "content" / "docs"
    shutil.copytree(ROOT / "docs", docs)
    app.config["DOCS_DIR"] = str(docs)
    return docs


def make_content_editor(app: Flask, username: str = "staff") -> None:
    with app.app_context():
        user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username))
        user.is_content_editor = True
        db.session.commit()


def revisions_of(app: Flask, path: str) -> list[ContentRevision]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(ContentRevision)
            .where(ContentRevision.path == path)
            .order_by(ContentRevision.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def editor_form(text: str, base_sha: str, **changes: str) -> dict[str, str]:
    """The editor's form as a browser posts it for a page's text, with some fields changed."""
    from kiosk.admin.content_form import field_values, source_rows
    from kiosk.kb.front_matter import split

    parts = split(text)
    data = {"base_sha": base_sha, "body": parts.body, **field_values(parts)}
    for index, row in enumerate(source_rows(parts)):
        for key, value in row.items():
            data[f"sources-{index}-{key}"] = value
    data.update(changes)
    return data
