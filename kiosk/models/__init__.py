"""Typed SQLAlchemy 2.x models. Alembic migrations live in kiosk/migrations."""

from kiosk.models.attention import ATTENTION_RESOLUTIONS, AttentionItem
from kiosk.models.base import Model, UTCDateTime, utcnow
from kiosk.models.organisation import ORG_LEVELS, Organisation, Site
from kiosk.models.outreach import (
    SESSION_KINDS,
    SESSION_STATUSES,
    OutreachSession,
    TabletBinding,
    new_session_code,
)
from kiosk.models.signup import FOLLOW_UP_STATUSES, SIGNUP_SOURCES, FollowUp, Signup
from kiosk.models.staff import AuditEvent, StaffUser

__all__ = [
    "ATTENTION_RESOLUTIONS",
    "FOLLOW_UP_STATUSES",
    "ORG_LEVELS",
    "SESSION_KINDS",
    "SESSION_STATUSES",
    "SIGNUP_SOURCES",
    "AttentionItem",
    "AuditEvent",
    "FollowUp",
    "Model",
    "Organisation",
    "OutreachSession",
    "Signup",
    "Site",
    "StaffUser",
    "TabletBinding",
    "UTCDateTime",
    "new_session_code",
    "utcnow",
]
