"""Staff passwords and credential checks (scrypt via Werkzeug)."""

from __future__ import annotations

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk import audit
from kiosk.extensions import db
from kiosk.models import StaffUser, utcnow

# Verifying against this keeps the time of an unknown-user login equal to a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def authenticate(username: str, password: str) -> StaffUser | None:
    """The active user with these credentials, or None."""
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username.strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def end_sessions(user: StaffUser) -> None:
    """Every login of this user ends: their cookies carry the old session version."""
    user.session_version = (user.session_version or 0) + 1


def set_password(user: StaffUser, password: str) -> None:
    """A new password; every login made with the old one ends."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_sessions(user)


def create_user(
    username: str,
    password: str,
    *,
    organisation_id: int | None = None,
    is_admin: bool = False,
    is_content_editor: bool = False,
    display_name: str | None = None,
) -> StaffUser:
    if not is_admin and organisation_id is None:
        raise ValueError("工作人员账号必须属于一个工会组织")
    user = StaffUser(
        username=username.strip(),
        display_name=display_name,
        organisation_id=organisation_id,
        is_admin=is_admin,
        is_content_editor=is_content_editor,
        password_hash="",
    )
    set_password(user, password)
    db.session.add(user)
    db.session.commit()
    return user


def set_content_editor(user: StaffUser, granted: bool) -> None:
    """Grant or take away 内容编辑, audited; the change applies to the user's next request."""
    if user.is_content_editor == granted:
        return
    user.is_content_editor = granted
    db.session.commit()
    audit.record(
        "content_editor_grant" if granted else "content_editor_revoke",
        organisation_id=user.organisation_id,
        user=user.username,
    )
