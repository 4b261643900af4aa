"""The monthly report (月度报告) for one union, or rolled up over the unions under it.

Definitions (also in the README):
- the month's sessions are those that start in it (Beijing time); its sign-ups
  are the sign-ups taken at those sessions;
- people: distinct phone numbers among those sign-ups;
- contacted: of those people, the ones whose follow-up status is 已联系,
  已通过i会员入会 or 不愿入会 (someone spoke to them);
- joined (in the funnel): of those people, the ones now marked 已通过i会员入会;
- joined this month: people whose join date (FollowUp.joined_on) is in the month,
  whenever they signed up: the figure the unions report.
- companies established (本月新建会企业): companies in the company file (一企一档)
  of these unions that reached 已建会 during the month (kiosk.companies.queries).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from kiosk.cadence import quotas, rules, tally
from kiosk.cadence.months import Month, Week
from kiosk.choices import OCCUPATIONS, SESSION_KINDS, chinese
from kiosk.companies.queries import established_in_month
from kiosk.extensions import db
from kiosk.models import FollowUp, Organisation, OutreachSession, Signup, utcnow

CONTACTED = ("contacted", "joined", "declined")
TOP_EMPLOYERS = 8
NO_EMPLOYER = "未填写"
OTHER = "其他"


@dataclass
class KindLine:
    kind: str
    held: int
    required: int
    planned: int
    cancelled: int

    @property
    def label(self) -> str:
        return chinese(SESSION_KINDS[self.kind])


@dataclass
class WeekLine:
    week: Week
    held: int
    signups: int


@dataclass
class Report:
    organisation: Organisation
    month: Month
    subtree: bool
    generated_at: datetime
    rows: list[rules.Row]  # each union's month (one row unless rolled up)
    kinds: list[KindLine]
    signups: int = 0
    people: int = 0
    contacted: int = 0
    joined: int = 0  # of this month's people, now joined
    joined_in_month: int = 0
    companies_established: int = 0  # 本月新建会企业（家）
    occupations: list[tuple[str, int]] = field(default_factory=list)
    employers: list[tuple[str, int]] = field(default_factory=list)
    weeks: list[WeekLine] = field(default_factory=list)

    @property
    def held(self) -> int:
        return sum(line.held for line in self.kinds)

    @property
    def cancelled(self) -> int:
        return sum(line.cancelled for line in self.kinds)

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [("登记", self.people), ("已联系", self.contacted), ("已入会", self.joined)]

    @property
    def statuses(self) -> Counter[str]:
        return Counter(row.status for row in self.rows)


def build(
    organisation: Organisation, month: Month, *, subtree: bool, now: datetime | None = None
) -> Report:
    now = now or utcnow()
    org_ids = tally.Tree().below(organisation.id) if subtree else {organisation.id}
    rows = tally.month_rows(month, org_ids, now)
    report = Report(organisation, month, subtree, now, rows, _kinds(rows))
    sessions = _month_sessions(month, org_ids)
    _people(report, sessions)
    _breakdowns(report, sessions)
    _weeks(report, month, org_ids, now)
    report.joined_in_month = (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(FollowUp.phone))).where(
                FollowUp.organisation_id.in_(org_ids),
                FollowUp.status == "joined",
                FollowUp.joined_on >= month.first_day,
                FollowUp.joined_on <= month.last_day,
            )
        )
        or 0
    )
    report.companies_established = established_in_month(month.year, month.month, org_ids)
    return report


def _kinds(rows: list[rules.Row]) -> list[KindLine]:
    lines = []
    for kind in ("worker", "enterprise"):
        figures = [getattr(row, kind) for row in rows]
        lines.append(
            KindLine(
                kind,
                held=sum(len(f.held) for f in figures),
                required=sum(f.required for f in figures),
                planned=sum(len(f.planned) for f in figures),
                cancelled=sum(len(f.cancelled) for f in figures),
            )
        )
    # The district session is one shared event: counted once, not once per union.
    held, planned, cancelled = set(), set(), set()
    for row in rows:
        held.update(row.district.held)
        planned.update(row.district.planned)
        cancelled.update(row.district.cancelled)
    required = 1 if any(row.quota.district_session for row in rows) else 0
    lines.append(KindLine("district", len(held), required, len(planned), len(cancelled)))
    return lines


def _month_sessions(month: Month, org_ids: set[int]) -> sa.Subquery:
    return (
        sa.select(OutreachSession.id, OutreachSession.organisation_id)
        .where(
            OutreachSession.organisation_id.in_(org_ids),
            OutreachSession.starts_at >= month.starts_at,
            OutreachSession.starts_at < month.ends_at,
        )
        .subquery()
    )


def _signups(sessions: sa.Subquery) -> sa.Select:
    return (
        sa.select()
        .select_from(Signup)
        .join(sessions, Signup.session_id == sessions.c.id)
        .outerjoin(
            FollowUp,
            sa.and_(
                FollowUp.organisation_id == sessions.c.organisation_id,
                FollowUp.phone == Signup.phone,
            ),
        )
    )


def _people(report: Report, sessions: sa.Subquery) -> None:
    phones = sa.func.count(sa.distinct(Signup.phone))
    report.signups, report.people = db.session.execute(
        _signups(sessions).add_columns(sa.func.count(Signup.id), phones)
    ).one()
    report.contacted = db.session.scalar(
        _signups(sessions).add_columns(phones).where(FollowUp.status.in_(CONTACTED))
    )
    report.joined = db.session.scalar(
        _signups(sessions).add_columns(phones).where(FollowUp.status == "joined")
    )


def _breakdowns(report: Report, sessions: sa.Subquery) -> None:
    """Distinct people per occupation and per platform/employer (one person may give two)."""
    phones = sa.func.count(sa.distinct(Signup.phone))
    by_occupation = dict(
        db.session.execute(
            _signups(sessions).add_columns(Signup.occupation, phones).group_by(Signup.occupation)
        ).all()
    )
    report.occupations = [
        (chinese(label), by_occupation[key])
        for key, label in OCCUPATIONS.items()
        if key in by_occupation
    ]
    employers: Counter[str] = Counter()
    for employer, count in db.session.execute(
        _signups(sessions).add_columns(Signup.employer, phones).group_by(Signup.employer)
    ):
        employers[(employer or "").strip() or NO_EMPLOYER] += count
    # Largest first; ties by name, so the order is the same on every database.
    ranked = sorted(
        ((name, n) for name, n in employers.items() if name != NO_EMPLOYER),
        key=lambda pair: (-pair[1], pair[0]),
    )
    top, rest = ranked[:TOP_EMPLOYERS], ranked[TOP_EMPLOYERS:]
    if rest:
        top.append((OTHER, sum(n for _, n in rest)))
    if employers[NO_EMPLOYER]:
        top.append((NO_EMPLOYER, employers[NO_EMPLOYER]))
    report.employers = top


def _weeks(report: Report, month: Month, org_ids: set[int], now: datetime) -> None:
    counts = dict(
        db.session.execute(
            sa.select(Signup.session_id, sa.func.count(Signup.id))
            .join(OutreachSession, Signup.session_id == OutreachSession.id)
            .where(
                OutreachSession.organisation_id.in_(org_ids),
                OutreachSession.starts_at >= month.starts_at,
                OutreachSession.starts_at < month.ends_at,
            )
            .group_by(Signup.session_id)
        ).all()
    )
    lines = {week.number: WeekLine(week, 0, 0) for week in month.weeks()}
    for session in db.session.execute(
        sa.select(
            OutreachSession.id,
            *[getattr(OutreachSession, c) for c in ("code", "kind", "status")],
            OutreachSession.starts_at,
            OutreachSession.ends_at,
            OutreachSession.organisation_id,
        ).where(
            OutreachSession.organisation_id.in_(org_ids),
            OutreachSession.starts_at >= month.starts_at,
            OutreachSession.starts_at < month.ends_at,
        )
    ):
        line = lines[month.week_of(session.starts_at).number]
        line.signups += counts.get(session.id, 0)
        if rules.is_held(rules.Item(*session[1:]), now):
            line.held += 1
    report.weeks = list(lines.values())


def required_text(quota: quotas.Required) -> str:
    parts = [f"职工沟通会 {quota.worker} 场", f"企业沟通会 {quota.enterprise} 场"]
    if quota.district_session:
        parts.append("第三个周四的区级沟通会")
    return "、".join(parts)
