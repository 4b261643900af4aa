"""Whether a sign-up may be stored now: its tablet still bound to its session, the session open.

The writer (`kiosk.signups.store`) decides this in the transaction that stores
the batch, so a tablet revoked a moment ago cannot slip a sign-up in. The rows
it needs change rarely and are shared by a batch's sign-ups: they are read once
per batch, not once per request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kiosk.models import OutreachSession, TabletBinding

# A tablet's clock may run a little fast: "collected before closing" allows this much.
CLOCK_SKEW = timedelta(minutes=5)

# Each refusal as the API names it, with its HTTP status.
STATUS = {
    "unknown_session": 404,
    "tablet_not_bound": 403,
    "tablet_bound_to_other_session": 403,
    "session_not_open": 403,
    "session_closed": 403,
}


@dataclass(frozen=True, slots=True)
class Submission:
    """A validated sign-up on its way to the writer."""

    row: dict[str, Any]  # the signup row, all but session_id, which admission decides
    session_code: str
    binding_id: uuid.UUID | None  # the tablet that sent it; None from the phone form
    grace: timedelta  # how long after closing a queued kiosk sign-up is still taken
    # When a booth laptop received it (relay mode): "collected before closing" is judged
    # by this, for phone and kiosk sign-ups alike, instead of the tablet's clock.
    collected_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Binding:
    """What admission needs of the tablet's live binding."""

    session_id: int
    bound_at: datetime


def refusal(
    submission: Submission, session: sa.Row | None, binding: Binding | None, now: datetime
) -> str | None:
    """Why this sign-up may not be stored now, or None if it may.

    `session` is the row (id, status, closed_at) of the session its code names, if
    any; `binding` the tablet's binding now (None if revoked, or from the phone form).
    """
    if submission.binding_id is not None:
        if binding is None:
            return "tablet_not_bound"
        if session is not None and binding.session_id != session.id:
            return "tablet_bound_to_other_session"
    if session is None:
        return "unknown_session"
    if session.status == "open":
        return None
    if session.status == "planned":
        return "session_not_open"
    # A tablet that was offline may deliver its queue after the session closed:
    # what was collected before closing is taken, within the grace period. A booth
    # laptop in relay mode vouches for when it received each sign-up (`collected_at`).
    # A tablet's clock is only its word, so it must put the sign-up inside the time the
    # tablet was bound to this open session, as the server saw it: a claim of 2020 is
    # refused.
    client_time, closed_at = submission.row["client_time"], session.closed_at
    if submission.collected_at is not None:
        in_time = closed_at is not None and submission.collected_at <= closed_at + CLOCK_SKEW
    else:
        in_time = (
            submission.row["source"] == "kiosk"
            and binding is not None
            and closed_at is not None
            and client_time is not None
            and binding.bound_at - CLOCK_SKEW <= client_time <= closed_at + CLOCK_SKEW
        )
    if in_time and closed_at is not None and now <= closed_at + submission.grace:
        return None
    return "session_closed"


_SESSIONS = sa.select(
    OutreachSession.code, OutreachSession.id, OutreachSession.status, OutreachSession.closed_at
).where(OutreachSession.code.in_(sa.bindparam("codes", expanding=True)))
_BOUND_TO = sa.select(TabletBinding.id, TabletBinding.session_id, TabletBinding.bound_at).where(
    TabletBinding.id.in_(sa.bindparam("ids", expanding=True)),
    TabletBinding.revoked_at.is_(None),
)


def admit(connection: sa.Connection, batch: Sequence[Submission], now: datetime) -> list[int | str]:
    """For each submission, the session id to store it under, or why it is refused."""
    codes = sorted({submission.session_code for submission in batch})
    sessions = {row.code: row for row in connection.execute(_SESSIONS, {"codes": codes})}
    tablets = sorted({s.binding_id for s in batch if s.binding_id is not None})
    bound_to: dict[uuid.UUID, Binding] = {}
    if tablets:
        bound_to = {
            id_: Binding(session_id, bound_at)
            for id_, session_id, bound_at in connection.execute(_BOUND_TO, {"ids": tablets})
        }
    decisions: list[int | str] = []
    for submission in batch:
        session = sessions.get(submission.session_code)
        tablet = bound_to.get(submission.binding_id) if submission.binding_id else None
        reason = refusal(submission, session, tablet, now)
        decisions.append(reason if reason or session is None else session.id)
    return decisions
