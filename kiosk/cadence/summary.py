"""The report's one-paragraph summary, in the newspapers' words, every number computed.

For example: "2026年11月，高米店街道总工会已召开7场“双沟通”活动，其中职工沟通会5场、
企业沟通会2场；登记128人次、112人，已联系86人；本月42人通过“北京工会i会员”加入工会组织。
职工沟通会要求4场、企业沟通会要求2场，本月已达标。"
"""

from __future__ import annotations

from kiosk.cadence.report import Report
from kiosk.choices import CADENCE_STATUSES, chinese


def paragraph(report: Report) -> str:
    who = report.organisation.name
    if report.subtree and len(report.rows) > 1:
        who += f"及下属{len(report.rows) - 1}个工会"
    worker, enterprise, district = report.kinds
    parts = [f"职工沟通会{worker.held}场", f"企业沟通会{enterprise.held}场"]
    if district.held:
        parts.append(f"区级沟通会{district.held}场")
    text = (
        f"{report.month.label}，{who}已召开{report.held}场“双沟通”活动，其中"
        + "、".join(parts)
        + f"；登记{report.signups}人次、{report.people}人，已联系{report.contacted}人；"
        f"本月{report.joined_in_month}人通过“北京工会i会员”加入工会组织。"
    )
    if report.cancelled:
        text += f"另有{report.cancelled}场沟通会因故取消，未计入。"
    return text + _standing(report)


def _standing(report: Report) -> str:
    if not report.rows:
        return ""
    if len(report.rows) == 1:
        row = report.rows[0]
        asked = []
        if row.quota.worker:
            asked.append(f"职工沟通会要求{row.quota.worker}场")
        if row.quota.enterprise:
            asked.append(f"企业沟通会要求{row.quota.enterprise}场")
        if row.quota.district_session:
            asked.append("第三个周四召开区级沟通会")
        label = chinese(CADENCE_STATUSES[row.status])
        return ("、".join(asked) + "，" if asked else "") + f"本月{label}。"
    counts = report.statuses
    pieces = [
        f"{counts[key]}个{chinese(label)}" for key, label in CADENCE_STATUSES.items() if counts[key]
    ]
    return f"{len(report.rows)}个工会中，" + "，".join(pieces) + "。"
