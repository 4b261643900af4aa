"""Cancelling a session: it is kept and shown with its reason, and never counted."""

from __future__ import annotations

from kiosk.models import OutreachSession, utcnow

MAX_REASON = 200


class CancelError(ValueError):
    """Why this session cannot be cancelled; a Chinese message."""


def check_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise CancelError("请填写取消原因")
    if len(text) > MAX_REASON:
        raise CancelError(f"取消原因不能超过 {MAX_REASON} 个字")
    return text


def cancel(session: OutreachSession, reason: str | None) -> None:
    """Mark `session` cancelled (not committed). A session that was held cannot be."""
    text = check_reason(reason)
    if session.status == "cancelled":
        raise CancelError("这场沟通会已经取消了")
    if session.status == "closed":
        raise CancelError("这场沟通会已经结束，不能再取消")
    now = utcnow()
    if session.status == "open":
        # Tablets that were offline may still deliver what they took before this moment.
        session.closed_at = now
    session.status = "cancelled"
    session.cancel_reason = text
    session.cancelled_at = now
