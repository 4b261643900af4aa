"""Every rule about which organisations a staff member may see, in one place.

A staff member sees their own organisation and every one below it (a district
union sees its towns); an admin sees everything; an account with no
organisation sees nothing. Views, list queries, exports, the dashboard and the
kiosk setup all ask this module rather than writing the rule again.
"""

from __future__ import annotations

from typing import Any, TypeAlias, TypeVar

import sqlalchemy as sa

from kiosk.extensions import db
from kiosk.models import Organisation, StaffUser

Scope: TypeAlias = set[int] | None
"""Organisation ids a staff member may see; None means every organisation (admins)."""

Statement = TypeVar("Statement", bound=sa.Select[Any])


def descendant_ids(root_id: int) -> set[int]:
    """root_id and all organisations under it (walks the parent links breadth-first)."""
    found = {root_id}
    frontier = {root_id}
    while frontier:
        children = set(
            db.session.scalars(
                sa.select(Organisation.id).where(Organisation.parent_id.in_(frontier))
            )
        )
        frontier = children - found
        found |= frontier
    return found


def visible_org_ids(user: StaffUser) -> Scope:
    """The organisations `user` may see."""
    if user.is_admin:
        return None
    if user.organisation_id is None:
        return set()
    return descendant_ids(user.organisation_id)


def can_see_org(user: StaffUser, organisation_id: int | None) -> bool:
    """Whether `user` may see a row of this organisation; a row of none is for admins only."""
    if organisation_id is None:
        return user.is_admin
    visible = visible_org_ids(user)
    return visible is None or organisation_id in visible


def in_scope(column: sa.ColumnElement[int], scope: Scope) -> sa.ColumnElement[bool]:
    """The WHERE clause keeping rows whose organisation `column` is in `scope`."""
    if scope is None:
        return sa.true()
    return column.in_(scope) if scope else sa.false()


def scoped(statement: Statement, column: sa.ColumnElement[int], scope: Scope) -> Statement:
    """`statement` narrowed to rows whose organisation `column` is in `scope`."""
    return statement if scope is None else statement.where(in_scope(column, scope))


def organisation_choices(scope: Scope) -> list[tuple[int, str]]:
    """(id, name) of the organisations in `scope`, for a form's select."""
    statement = sa.select(Organisation.id, Organisation.name).order_by(Organisation.id)
    return [
        (row.id, row.name) for row in db.session.execute(scoped(statement, Organisation.id, scope))
    ]
