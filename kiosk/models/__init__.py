"""Typed SQLAlchemy 2.x models. Alembic migrations live in kiosk/migrations.

The enumerations their CHECK constraints use are in `kiosk.choices`.
"""

from kiosk.models.attention import AttentionItem
from kiosk.models.base import Model, UTCDateTime, utcnow
from kiosk.models.cadence import CalendarFeed, Quota
from kiosk.models.company import (
    Company,
    CompanyContact,
    ImportDraft,
    Need,
    SessionMinutes,
    UnionStatusChange,
)
from kiosk.models.content import ContentRevision
from kiosk.models.lease import JobLease
from kiosk.models.organisation import Organisation, Site
from kiosk.models.outreach import (
    OutreachSession,
    TabletBinding,
    new_session_code,
    normalise_code,
)
from kiosk.models.relay import RelayCredential, RelayReceipt
from kiosk.models.signup import FollowUp, Signup
from kiosk.models.staff import AuditEvent, StaffUser

__all__ = [
    "AttentionItem",
    "AuditEvent",
    "Company",
    "CompanyContact",
    "ContentRevision",
    "CalendarFeed",
    "FollowUp",
    "ImportDraft",
    "JobLease",
    "Model",
    "Need",
    "Organisation",
    "OutreachSession",
    "SessionMinutes",
    "Quota",
    "RelayCredential",
    "RelayReceipt",
    "Signup",
    "Site",
    "StaffUser",
    "TabletBinding",
    "UnionStatusChange",
    "UTCDateTime",
    "new_session_code",
    "normalise_code",
    "utcnow",
]
