"""One of several servers runs a shared job each time: the one whose conditional UPDATE wins.

Every `serve` process has the same timer and the same jobs. For a job that must
run once per period across all of them (the retention purge), each tries to move
the job's `due_at` forward with `UPDATE … WHERE due_at <= now`. The database lets
exactly one such update match: on PostgreSQL the others wait for its row lock and
then find the condition false; on SQLite writers take turns. The winner does the
work in the same transaction, so if it fails, nothing moved and another may try.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.models import JobLease

_LEASES = JobLease.__table__
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def claim(connection: sa.Connection, name: str, every: timedelta, now: datetime) -> bool:
    """In the caller's transaction: whether this server runs `name` now (then it is due again
    after `every`)."""
    # The first run anywhere creates the row; another server may do so at the same moment.
    insert = _INSERTS[connection.dialect.name](_LEASES).values(name=name, due_at=now)
    connection.execute(insert.on_conflict_do_nothing(index_elements=["name"]))
    claimed = connection.execute(
        sa.update(_LEASES)
        .where(_LEASES.c.name == name, _LEASES.c.due_at <= now)
        .values(due_at=now + every, last_run_at=now, last_holder=holder())
    )
    return claimed.rowcount == 1
