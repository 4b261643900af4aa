"""Staff accounts and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.models.base import Model, UTCDateTime, utcnow
from kiosk.models.organisation import Organisation


class StaffUser(UserMixin, Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(60), unique=True)
    display_name: Mapped[str | None] = mapped_column(sa.String(60))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    # 内容编辑: may edit the knowledge base in the admin area (kiosk.admin.access).
    is_content_editor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of every login's cookie: logout, a password change and disabling bump it,
    # and every cookie carrying an older number stops working (kiosk.auth).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What flask-login keeps in the session cookie: the id and the session version."""
        return f"{self.id}:{self.session_version}"


class AuditEvent(Model):
    """What staff did with personal data. Never stores the data itself."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    actor_name: Mapped[str | None] = mapped_column(sa.String(60))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    remote_addr: Mapped[str | None] = mapped_column(sa.String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
