"""Which sign-ups of a batch may be stored: decided by the writer, in the writing transaction.

The checks (is the tablet still bound, to this session; is the session open, or
closed recently enough for a queued sign-up) need two rows that change rarely
and are shared by every sign-up of a session. Reading them once per batch, on
the writer's connection, instead of once per request, is what lets the sign-up
API keep up with a booth's worth of tablets reconnecting at once: a request
thread never touches the database on the way in.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from kiosk.models import OutreachSession, TabletBinding, utcnow

# A tablet's clock may run a little fast: "collected before closing" allows this much.
CLOCK_SKEW = timedelta(minutes=5)


class Verdict(StrEnum):
    """What became of one submission. Refusals double as the API's error codes."""

    INSERTED = "inserted"
    DUPLICATE = "duplicate"  # the id was already stored: a replay or a reused id
    UNKNOWN_SESSION = "unknown_session"
    TABLET_NOT_BOUND = "tablet_not_bound"
    TABLET_BOUND_TO_OTHER_SESSION = "tablet_bound_to_other_session"
    SESSION_NOT_OPEN = "session_not_open"
    SESSION_CLOSED = "session_closed"


@dataclass(frozen=True, slots=True)
class Submission:
    """A validated sign-up on its way to the writer."""

    row: dict[str, Any]  # the signup row, all but session_id, which admission fills in
    session_code: str
    source: str  # "kiosk" or "phone"
    binding_id: uuid.UUID | None  # the tablet that sent it; it must still be bound
    client_time: datetime | None
    grace: timedelta  # how long after closing a queued kiosk sign-up is still accepted


@dataclass(frozen=True, slots=True)
class SessionState:
    id: int
    status: str
    closed_at: datetime | None


# Built once: compiling a statement costs more than running it on SQLite.
# One row answers the common case for each session a batch names: the session's
# state, and how many of the batch's tablets are live on it. One row, not one per
# tablet: every row fetched lets the GIL go and a waiting request thread in,
# and the writer then queues to get it back.
_LIVE_ON_SESSION = sa.and_(
    TabletBinding.session_id == OutreachSession.id,
    TabletBinding.revoked_at.is_(None),
    TabletBinding.id.in_(sa.bindparam("binding_ids", expanding=True)),
)
_SESSION_AND_LIVE_COUNT = sa.select(
    OutreachSession.id,
    OutreachSession.status,
    OutreachSession.closed_at,
    sa.select(sa.func.count()).where(_LIVE_ON_SESSION).scalar_subquery(),
).where(OutreachSession.code == sa.bindparam("code"))
# When the count falls short (a tablet revoked or moved): which ones are live.
_LIVE_ON = sa.select(TabletBinding.id).where(
    TabletBinding.session_id == sa.bindparam("session_id"),
    TabletBinding.revoked_at.is_(None),
    TabletBinding.id.in_(sa.bindparam("binding_ids", expanding=True)),
)
# Only for a tablet that is not live on the session it names: revoked, or moved.
_LIVE_BINDING = sa.select(TabletBinding.id).where(
    TabletBinding.id == sa.bindparam("binding_id", type_=sa.Uuid),
    TabletBinding.revoked_at.is_(None),
)


def refusal(
    session: SessionState,
    *,
    source: str,
    client_time: datetime | None,
    grace: timedelta,
    now: datetime,
) -> Verdict | None:
    """Why this session cannot take the sign-up now, or None if it can."""
    if session.status == "open":
        return None
    if session.status == "planned":
        return Verdict.SESSION_NOT_OPEN
    # A tablet that was offline may deliver its queue after the session closed:
    # accept what was collected before closing, within the grace period.
    closed_at = session.closed_at
    if (
        source == "kiosk"
        and closed_at is not None
        and client_time is not None
        and client_time <= closed_at + CLOCK_SKEW
        and now <= closed_at + grace
    ):
        return None
    return Verdict.SESSION_CLOSED


@dataclass(frozen=True, slots=True)
class _Facts:
    sessions: dict[str, SessionState]
    live_on: set[tuple[uuid.UUID, int]]  # (binding id, session id) pairs that may submit


def _facts(connection: sa.Connection, batch: Sequence[Submission]) -> _Facts:
    tablets_by_code: dict[str, set[uuid.UUID]] = {}
    for submission in batch:
        tablets = tablets_by_code.setdefault(submission.session_code, set())
        if submission.binding_id is not None:
            tablets.add(submission.binding_id)
    facts = _Facts({}, set())
    for code, tablets in tablets_by_code.items():
        ids = sorted(tablets)
        row = connection.execute(
            _SESSION_AND_LIVE_COUNT, {"code": code, "binding_ids": ids}
        ).first()
        if row is None:
            continue
        session_id, status, closed_at, live = row
        facts.sessions[code] = SessionState(session_id, status, closed_at)
        if live != len(ids):
            params = {"session_id": session_id, "binding_ids": ids}
            ids = list(connection.execute(_LIVE_ON, params).scalars())
        facts.live_on.update((binding_id, session_id) for binding_id in ids)
    return facts


def _tablet_refusal(
    connection: sa.Connection, binding_id: uuid.UUID, session: SessionState | None
) -> Verdict:
    """Why a tablet that is not live on the session it names was refused (the rare case)."""
    live = connection.execute(_LIVE_BINDING, {"binding_id": binding_id}).first()
    if live is None:
        return Verdict.TABLET_NOT_BOUND
    if session is None:
        return Verdict.UNKNOWN_SESSION
    return Verdict.TABLET_BOUND_TO_OTHER_SESSION


def admit(connection: sa.Connection, batch: Sequence[Submission]) -> list[int | Verdict]:
    """For each submission, the session id to store it under, or why it is refused."""
    facts = _facts(connection, batch)
    now = utcnow()
    decisions: list[int | Verdict] = []
    for submission in batch:
        session = facts.sessions.get(submission.session_code)
        if submission.binding_id is not None and (
            session is None or (submission.binding_id, session.id) not in facts.live_on
        ):
            decisions.append(_tablet_refusal(connection, submission.binding_id, session))
        elif session is None:
            decisions.append(Verdict.UNKNOWN_SESSION)
        else:
            reason = refusal(
                session,
                source=submission.source,
                client_time=submission.client_time,
                grace=submission.grace,
                now=now,
            )
            decisions.append(reason or session.id)
    return decisions
