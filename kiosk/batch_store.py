"""Storing one batch of sign-ups in one transaction, on a connection kept for the purpose.

`kiosk.signup_writer` gathers the batches; this module is what it does with each:
admit them (`kiosk.admission`: tablet still bound, session open), then insert the
admitted rows with INSERT ... ON CONFLICT (id) DO NOTHING. A row that did not go
in has an id that was already stored (a retry whose answer was lost, or a race
with another process), and the caller turns that into a replay (200) or a
conflict (409).

The same class runs in the web process or in the writer process
(`kiosk.store_process`); nothing here needs Flask.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.admission import Submission, Verdict, admit
from kiosk.models import Signup

Admit = Callable[[sa.Connection, Sequence[Submission]], list[int | Verdict]]

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
_SIGNUPS = Signup.__table__
_STORED_AT = sa.select(_SIGNUPS.c.id, _SIGNUPS.c.created_at).where(
    _SIGNUPS.c.id.in_(sa.bindparam("ids", expanding=True))
)


class Unavailable(Exception):
    """The database could not take the batch; nothing in it was stored. Try again."""


def _insert_ignoring_duplicates(dialect: str) -> sa.Insert:
    try:
        insert = _INSERTS[dialect]
    except KeyError:
        message = f"sign-ups are stored on SQLite or PostgreSQL, not {dialect}"
        raise NotImplementedError(message) from None
    statement = insert(_SIGNUPS).on_conflict_do_nothing(index_elements=[_SIGNUPS.c.id])
    # Without it, a many-row insert on PostgreSQL reports rowcount -1.
    return statement.execution_options(preserve_rowcount=True)


def _insert_rows(
    statement: sa.Insert, connection: sa.Connection, rows: list[dict[str, Any]]
) -> set[uuid.UUID]:
    """Insert; return the ids this call stored. The others were stored before.

    Not RETURNING: a many-row RETURNING insert costs twice as much per row here
    (SQLite re-parses it for every batch size; psycopg re-parses its long SQL),
    and the row count already answers the common case, where every row is new.
    """
    if connection.execute(statement, rows).rowcount == len(rows):
        return {row["id"] for row in rows}
    # Some were replays of stored ids: ours are the rows that carry our timestamp.
    ours = {row["id"]: row["created_at"] for row in rows}
    stored = connection.execute(_STORED_AT, {"ids": list(ours)})
    return {id_ for id_, created_at in stored if created_at == ours[id_]}


class BatchStore:
    """Admits and inserts batches on one connection of its own, kept between batches.

    A pool checkout costs a ping and a reset, two round trips on PostgreSQL, every
    batch; a kept connection costs nothing until the database drops it, and then
    the batch is tried once more on a fresh one.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._admit: Admit = admit  # an attribute, so a test can make the database fail
        self._statement = _insert_ignoring_duplicates(engine.dialect.name)
        self._connection: sa.Connection | None = None

    def open(self) -> sa.Connection:
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection

    def store(self, batch: list[Submission]) -> list[Verdict]:
        """What became of each submission, once committed; Unavailable if nothing was."""
        for attempt in (1, 2):
            try:
                connection = self.open()
                with connection.begin():
                    return self.store_batch(connection, batch)
            except Exception as error:  # noqa: BLE001 - every waiter must hear about it
                self.close()
                disconnected = isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated
                if disconnected and attempt == 1:
                    continue  # the server restarted or dropped us: once more, freshly connected
                raise Unavailable(str(error)) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def store_batch(self, connection: sa.Connection, batch: Sequence[Submission]) -> list[Verdict]:
        """Admit and insert a batch in the caller's transaction: what became of each."""
        decisions = self._admit(connection, batch)
        # Only the first occurrence of an id in a batch can insert it.
        first_by_id: dict[uuid.UUID, dict[str, Any]] = {}
        rows: list[dict[str, Any] | None] = []
        for submission, decision in zip(batch, decisions, strict=True):
            if isinstance(decision, Verdict):
                rows.append(None)
                continue
            row = {**submission.row, "session_id": decision}
            first_by_id.setdefault(row["id"], row)
            rows.append(row)
        inserted: set[uuid.UUID] = set()
        if first_by_id:
            inserted = _insert_rows(self._statement, connection, list(first_by_id.values()))
        verdicts: list[Verdict] = []
        for decision, row in zip(decisions, rows, strict=True):
            if row is None:
                verdicts.append(Verdict(decision))
            elif first_by_id[row["id"]] is row and row["id"] in inserted:
                verdicts.append(Verdict.INSERTED)
            else:
                verdicts.append(Verdict.DUPLICATE)
        return verdicts

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # a dead connection may fail to close
                connection.close()
