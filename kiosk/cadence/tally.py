"""The month's rows for a set of unions, read from the database and judged by `rules`."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa

from kiosk.cadence import quotas, rules
from kiosk.cadence.months import Month, local_midnight
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, utcnow
from kiosk.scoping import Scope, scoped

_ITEM_COLUMNS = (
    OutreachSession.code,
    OutreachSession.kind,
    OutreachSession.status,
    OutreachSession.starts_at,
    OutreachSession.ends_at,
    OutreachSession.organisation_id,
)


def _items(*where: sa.ColumnElement[bool]) -> list[rules.Item]:
    return [rules.Item(*r) for r in db.session.execute(sa.select(*_ITEM_COLUMNS).where(*where))]


class Tree:
    """Every organisation's parent and level, to find each union's district."""

    def __init__(self) -> None:
        rows = db.session.execute(
            sa.select(Organisation.id, Organisation.parent_id, Organisation.level)
        ).all()
        self.parent = {r.id: r.parent_id for r in rows}
        self.level = {r.id: r.level for r in rows}
        self.children: dict[int, list[int]] = defaultdict(list)
        for r in rows:
            if r.parent_id is not None:
                self.children[r.parent_id].append(r.id)

    def below(self, root: int) -> set[int]:
        found, frontier = {root}, [root]
        while frontier:
            frontier = [c for p in frontier for c in self.children[p] if c not in found]
            found.update(frontier)
        return found

    def district_of(self, org_id: int) -> int:
        """The nearest union at or above `org_id` whose level is 区; itself if there is none."""
        current: int | None = org_id
        seen: set[int] = set()
        while current is not None and current not in seen:
            if self.level.get(current) == "district":
                return current
            seen.add(current)
            current = self.parent.get(current)
        return org_id


def month_rows(month: Month, scope: Scope, now: datetime | None = None) -> list[rules.Row]:
    """One row per organisation in `scope`, shortfalls first."""
    now = now or utcnow()
    orgs = db.session.scalars(
        scoped(sa.select(Organisation), Organisation.id, scope).order_by(Organisation.name)
    ).all()
    if not orgs:
        return []
    required = quotas.for_organisations(orgs)
    own: dict[int, list[rules.Item]] = defaultdict(list)
    for item in _items(
        OutreachSession.starts_at >= month.starts_at,
        OutreachSession.starts_at < month.ends_at,
        OutreachSession.organisation_id.in_([o.id for o in orgs]),
    ):
        own[item.organisation_id].append(item)
    third = local_midnight(month.third_thursday)
    # Every union's district session is looked for in its whole district, which may
    # reach beyond what this staff member sees; only these few sessions are read.
    candidates = _items(
        OutreachSession.kind == "district",
        OutreachSession.starts_at >= third,
        OutreachSession.starts_at < third + timedelta(days=1),
    )
    tree = Tree()
    areas: dict[int, set[int]] = {}
    result = []
    for org in orgs:
        district = tree.district_of(org.id)
        if district not in areas:
            areas[district] = tree.below(district)
        in_area = [item for item in candidates if item.organisation_id in areas[district]]
        result.append(
            rules.row(
                org.id,
                org.name,
                org.level,
                required[org.id],
                own[org.id],
                in_area,
                month,
                now,
            )
        )
    return sorted(result, key=rules.sort_key)


def as_json(row: rules.Row) -> dict[str, object]:
    """The stable JSON shape of `flask --app kiosk cadence --format json`."""
    return {
        "org": row.org,
        "level": row.level,
        "worker_held": len(row.worker.held),
        "worker_required": row.worker.required,
        "enterprise_held": len(row.enterprise.held),
        "enterprise_required": row.enterprise.required,
        "district_session": row.district_session,
        "status": row.status,
        "sessions": {
            "worker": row.worker.held,
            "enterprise": row.enterprise.held,
            "district": row.district.held,
        },
        "planned": {
            "worker": row.worker.planned,
            "enterprise": row.enterprise.planned,
            "district": row.district.planned,
        },
        "cancelled": {
            "worker": row.worker.cancelled,
            "enterprise": row.enterprise.cancelled,
            "district": row.district.cancelled,
        },
    }
