"""Revisions of knowledge-base pages and data files edited in the admin area."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.choices import CONTENT_ACTIONS
from kiosk.models.base import Model, UTCDateTime, one_of, utcnow


class ContentRevision(Model):
    """One saved text of one file under DOCS_DIR: who, when, and the whole text.

    The whole text, not a diff: any revision can be restored on its own, and the diff
    shown in the history is worked out against the revision before it.
    """

    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Relative to DOCS_DIR, with forward slashes: benefits/health-check.md, data/stations.yml.
    path: Mapped[str] = mapped_column(sa.String(300), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    sha: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(20))
    # A draft failed the content checker: it is kept here and never written to DOCS_DIR,
    # so nothing publishes it (kiosk.kb.revisions.unpublishable_pages lists them).
    is_draft: Mapped[bool] = mapped_column(default=False)
    error_count: Mapped[int] = mapped_column(default=0)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # Kept as text too: the history still names who saved after the account is gone.
    author_name: Mapped[str | None] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    restored_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_revision.id", ondelete="SET NULL")
    )

    __table_args__ = (one_of("action", CONTENT_ACTIONS, name="action"),)
