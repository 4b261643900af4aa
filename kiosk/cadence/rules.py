"""The rules that decide a union's month, as pure functions (no database here).

- A session belongs to the month in which it *starts*, in Beijing time.
- **Held**: it has ended (its end time has passed, or staff closed it) and it was
  not cancelled. A cancelled session is kept and shown, and never counted.
- **Still planned**: not cancelled and not yet ended (planned, or under way).
- **Worker / enterprise**: sessions of that kind the union itself organised.
- **District session** (区级职工沟通会): a session of kind `district` starting on
  the month's third Thursday (Beijing time), organised anywhere in the union's
  district: the nearest union at or above it whose level is 区, and every union
  under that one (for a union with no 区 above it, itself and those under it).
  A 街道/镇 row and its 区 row therefore report the same district session.
  It only counts towards the status where the quota requires it; where it does
  not, `district_session` is None (shown as "不要求").
- **Status** of the month:
  - `met` (已达标): every required figure is reached;
  - `missed` (未达标): the month is over and some figure was not reached;
  - `at_risk` (有风险): the month is not over, and for some figure the held plus
    the still-planned sessions cannot reach it;
  - `on_track` (进行中): otherwise (not reached yet, but the plan reaches it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.cadence.months import Month, local_date
from kiosk.cadence.quotas import Required

STATUS_ORDER = ("missed", "at_risk", "on_track", "met")  # shortfalls first


@dataclass(frozen=True)
class Item:
    """What the rules need of a session."""

    code: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    organisation_id: int


def is_held(item: Item, now: datetime) -> bool:
    return item.status != "cancelled" and (item.status == "closed" or item.ends_at <= now)


def is_still_planned(item: Item, now: datetime) -> bool:
    return item.status != "cancelled" and not is_held(item, now)


def is_district_session(item: Item, month: Month) -> bool:
    return item.kind == "district" and local_date(item.starts_at) == month.third_thursday


@dataclass
class Figure:
    """One figure of a row: how many are required, and the sessions behind it."""

    required: int
    held: list[str] = field(default_factory=list)  # session codes
    planned: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return len(self.held) >= self.required

    @property
    def reachable(self) -> bool:
        return len(self.held) + len(self.planned) >= self.required

    @property
    def shortfall(self) -> int:
        return max(self.required - len(self.held), 0)


def figure(items: Iterable[Item], required: int, now: datetime) -> Figure:
    result = Figure(required=required)
    for item in sorted(items, key=lambda i: (i.starts_at, i.code)):
        if item.status == "cancelled":
            result.cancelled.append(item.code)
        elif is_held(item, now):
            result.held.append(item.code)
        else:
            result.planned.append(item.code)
    return result


def status(figures: Iterable[Figure], month: Month, now: datetime) -> str:
    figures = list(figures)
    if all(f.met for f in figures):
        return "met"
    if month.is_over(now):
        return "missed"
    if not all(f.reachable for f in figures):
        return "at_risk"
    return "on_track"


@dataclass
class Row:
    """One union's month."""

    organisation_id: int
    org: str
    level: str
    quota: Required
    worker: Figure
    enterprise: Figure
    district: Figure  # required is 1 when the quota asks for the district session, else 0
    status: str

    @property
    def district_session(self) -> bool | None:
        if not self.quota.district_session:
            return None
        return self.district.met

    @property
    def shortfall(self) -> int:
        return self.worker.shortfall + self.enterprise.shortfall + self.district.shortfall


def row(
    org_id: int,
    org: str,
    level: str,
    quota: Required,
    own: Iterable[Item],
    district_candidates: Iterable[Item],
    month: Month,
    now: datetime,
) -> Row:
    """A union's row from its own sessions in the month and its district's candidates."""
    own = [item for item in own if month.contains(item.starts_at)]
    worker = figure([i for i in own if i.kind == "worker"], quota.worker, now)
    enterprise = figure([i for i in own if i.kind == "enterprise"], quota.enterprise, now)
    district = figure(
        [i for i in district_candidates if is_district_session(i, month)],
        1 if quota.district_session else 0,
        now,
    )
    return Row(
        organisation_id=org_id,
        org=org,
        level=level,
        quota=quota,
        worker=worker,
        enterprise=enterprise,
        district=district,
        status=status((worker, enterprise, district), month, now),
    )


def sort_key(row: Row) -> tuple[int, int, str]:
    """Shortfalls first: missed, then at risk, then on track, then met; biggest gap first."""
    return (STATUS_ORDER.index(row.status), -row.shortfall, row.org)
