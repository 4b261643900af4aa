"""Who is logged in, admin-only and content-editor views, and fetching rows in the staff's scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from kiosk.extensions import db
from kiosk.models import (
    AttentionItem,
    Company,
    Need,
    OutreachSession,
    Signup,
    Site,
    StaffUser,
)
from kiosk.scoping import Scope, can_see_org, visible_org_ids

F = TypeVar("F", bound=Callable[..., Any])


def staff() -> StaffUser:
    """The logged-in staff member, typed (flask-login's proxy is Any)."""
    return current_user._get_current_object()  # type: ignore[no-any-return]


def visible() -> Scope:
    """The organisations the logged-in staff member may see."""
    return visible_org_ids(staff())


def admin_required(view: F) -> F:
    """Login, then 403 for anyone who is not an admin."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not staff().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def can_edit_content(user: StaffUser) -> bool:
    """内容编辑: the role is granted per account; admins hold it implicitly."""
    return user.is_admin or user.is_content_editor


def content_editor_required(view: F) -> F:
    """Login, then 403 for anyone who may not edit the knowledge base."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not can_edit_content(staff()):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


Row = TypeVar("Row")


def _scoped_or_404(
    model: type[Row], key: object, organisation_of: Callable[[Row], int | None]
) -> Row:
    """The row, if it exists and belongs to an organisation this user may see; else 404."""
    row = db.session.get(model, key)
    # 404, not 403: staff of another union learn nothing about whether the row exists.
    if row is None or not can_see_org(staff(), organisation_of(row)):
        abort(404)
    return row


def session_or_404(session_id: int) -> OutreachSession:
    return _scoped_or_404(OutreachSession, session_id, lambda s: s.organisation_id)


def site_or_404(site_id: int) -> Site:
    return _scoped_or_404(Site, site_id, lambda s: s.organisation_id)


def signup_or_404(signup_id: uuid.UUID) -> Signup:
    return _scoped_or_404(Signup, signup_id, lambda s: s.session.organisation_id)


def attention_or_404(item_id: uuid.UUID) -> AttentionItem:
    # An item whose session is gone belongs to nobody's organisation: admins only.
    return _scoped_or_404(
        AttentionItem, item_id, lambda i: i.session.organisation_id if i.session else None
    )


def company_or_404(company_id: int) -> Company:
    return _scoped_or_404(Company, company_id, lambda c: c.organisation_id)


def need_or_404(need_id: int) -> Need:
    return _scoped_or_404(Need, need_id, lambda n: n.company.organisation_id)
