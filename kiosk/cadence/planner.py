"""Plan a month: expand a pattern for one union, preview it, create what is missing.

Idempotent: a slot is "already there" when the union has a session of the same
kind starting at the same moment (whatever its status, cancelled included), so
running the same plan twice creates nothing the second time. Slots that have
already started are never created: a planned session in the past would count
as held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from kiosk import audit
from kiosk.cadence import tally
from kiosk.cadence.months import BEIJING, Month, local_date, month_day
from kiosk.cadence.pattern import PatternError, Rule, Slot, expand
from kiosk.choices import SESSION_KINDS, chinese
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site, StaffUser, utcnow


@dataclass
class Line:
    slot: Slot
    state: str  # "new", "exists" (code set) or "past"
    site_id: int | None
    title: str
    code: str | None = None


@dataclass
class Plan:
    organisation: Organisation
    month: Month
    lines: list[Line]
    warnings: list[str] = field(default_factory=list)

    @property
    def new(self) -> list[Line]:
        return [line for line in self.lines if line.state == "new"]

    def as_json(self) -> list[dict[str, object]]:
        """What `plan month --dry-run` prints: the sessions it would create."""
        return [
            {
                "kind": line.slot.kind,
                "title": line.title,
                "site": line.slot.site,
                "start": line.slot.starts_at.astimezone(BEIJING).isoformat(),
                "end": line.slot.ends_at.astimezone(BEIJING).isoformat(),
            }
            for line in self.new
        ]


def prepare(
    organisation: Organisation, month: Month, rules: list[Rule], now: datetime | None = None
) -> Plan:
    """The plan for `organisation` in `month`: each slot new, already there or past."""
    now = now or utcnow()
    sites = {
        site.name: site.id
        for site in db.session.scalars(
            sa.select(Site).where(Site.organisation_id == organisation.id)
        )
    }
    missing = sorted({r.site for r in rules if r.site and r.site not in sites})
    if missing:
        raise PatternError(f"{organisation.name}没有这些点位：{'、'.join(missing)}")
    existing = {
        (s.kind, s.starts_at): s.code
        for s in db.session.execute(
            sa.select(OutreachSession.kind, OutreachSession.starts_at, OutreachSession.code).where(
                OutreachSession.organisation_id == organisation.id,
                OutreachSession.starts_at >= month.starts_at,
                OutreachSession.starts_at < month.ends_at,
            )
        )
    }
    titles = {(r.kind, r.site, r.start): r.title for r in rules}
    lines = []
    for slot in expand(rules, month):
        code = existing.get((slot.kind, slot.starts_at))
        state = "exists" if code else "past" if slot.starts_at <= now else "new"
        local_start = slot.starts_at.astimezone(BEIJING).time()
        title = titles.get((slot.kind, slot.site, local_start)) or (
            f"{organisation.name}{chinese(SESSION_KINDS[slot.kind])}"
        )
        lines.append(Line(slot, state, sites.get(slot.site) if slot.site else None, title, code))
    plan = Plan(organisation, month, lines)
    plan.warnings = _warnings(plan, now)
    return plan


def _warnings(plan: Plan, now: datetime) -> list[str]:
    """Where the month, with this plan created, still falls short of the quota."""
    [row] = tally.month_rows(plan.month, {plan.organisation.id}, now)
    warnings = []
    for kind, figure in (("worker", row.worker), ("enterprise", row.enterprise)):
        added = sum(1 for line in plan.new if line.slot.kind == kind)
        total = len(figure.held) + len(figure.planned) + added
        if total < figure.required:
            warnings.append(
                f"按此排期，{plan.month.label}{chinese(SESSION_KINDS[kind])}共 {total} 场，"
                f"少于要求的 {figure.required} 场"
            )
    if row.quota.district_session:
        added = any(_on_third_thursday(line, plan.month) for line in plan.new)
        if not (row.district.held or row.district.planned or added):
            warnings.append(
                f"按此排期，{plan.month.label}第三个周四"
                f"（{month_day(plan.month.third_thursday)}）没有区级沟通会"
            )
    for line in plan.lines:
        if line.slot.kind == "district" and not _on_third_thursday(line, plan.month):
            warnings.append(
                f"{month_day(local_date(line.slot.starts_at))}的区级沟通会不在第三个周四，不计入达标"
            )
            break
    return warnings


def _on_third_thursday(line: Line, month: Month) -> bool:
    return line.slot.kind == "district" and local_date(line.slot.starts_at) == month.third_thursday


def create(plan: Plan, by: StaffUser | None) -> list[OutreachSession]:
    """Add the plan's new sessions and the audit entry; the caller commits them together."""
    created = []
    for line in plan.new:
        # Checked again inside the transaction: a second click, or another staff member.
        taken = db.session.scalar(
            sa.select(OutreachSession.id).where(
                OutreachSession.organisation_id == plan.organisation.id,
                OutreachSession.kind == line.slot.kind,
                OutreachSession.starts_at == line.slot.starts_at,
            )
        )
        if taken:
            continue
        session = OutreachSession(
            title=line.title,
            kind=line.slot.kind,
            organisation_id=plan.organisation.id,
            site_id=line.site_id,
            starts_at=line.slot.starts_at,
            ends_at=line.slot.ends_at,
            status="planned",
        )
        db.session.add(session)
        created.append(session)
    db.session.flush()
    audit.record(
        "plan_month",
        actor=by,
        organisation_id=plan.organisation.id,
        month=str(plan.month),
        created=len(created),
        sessions=[s.code for s in created][:50],
        commit=False,
    )
    return created
