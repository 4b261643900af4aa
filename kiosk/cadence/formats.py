"""The monthly report as JSON (for scripts) and as a standalone HTML file (to print or mail)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from kiosk import choices
from kiosk.cadence import charts, tally
from kiosk.cadence.report import Report
from kiosk.cadence.summary import paragraph

CSS = Path(__file__).resolve().parent.parent / "static" / "admin" / "report.css"


def as_json(report: Report) -> dict[str, object]:
    return {
        "org": report.organisation.name,
        "month": str(report.month),
        "subtree": report.subtree,
        "sessions": {
            k.kind: {
                "held": k.held,
                "required": k.required,
                "planned": k.planned,
                "cancelled": k.cancelled,
            }
            for k in report.kinds
        },
        "signups": report.signups,
        "people": report.people,
        "contacted": report.contacted,
        "joined": report.joined,
        "joined_in_month": report.joined_in_month,
        "companies_established": report.companies_established,
        "funnel": dict(report.funnel),
        "occupations": dict(report.occupations),
        "employers": dict(report.employers),
        "weeks": [
            {
                "week": w.week.number,
                "from": w.week.first.isoformat(),
                "to": w.week.last.isoformat(),
                "held": w.held,
                "signups": w.signups,
            }
            for w in report.weeks
        ],
        "unions": [tally.as_json(row) for row in report.rows],
        "summary": paragraph(report),
    }


@dataclass(frozen=True)
class Panel:
    """A chart and the table of the same numbers beside it."""

    svg: str
    caption: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]]


def panels(report: Report) -> dict[str, Panel]:
    kinds = [(k.label, k.held, k.required, k.planned, k.cancelled) for k in report.kinds]
    weeks = [(w.week.label, w.held, w.signups) for w in report.weeks]
    return {
        "kinds": Panel(
            charts.horizontal("各类沟通会已召开场数", [(k[0], k[1]) for k in kinds]),
            "各类沟通会（场）",
            ("类型", "已召开", "要求", "尚未召开", "已取消"),
            kinds,
        ),
        "funnel": Panel(
            charts.horizontal("从登记到入会（人）", report.funnel, css="bar funnel"),
            "本月登记者的跟进（人）",
            ("环节", "人数"),
            list(report.funnel),
        ),
        "weeks": Panel(
            charts.columns(
                "每周沟通会与登记",
                [f"第{w.week.number}周" for w in report.weeks],
                [
                    ("已召开（场）", [w.held for w in report.weeks]),
                    ("登记（人次）", [w.signups for w in report.weeks]),
                ],
            ),
            "每周沟通会与登记",
            ("周", "已召开（场）", "登记（人次）"),
            weeks,
        ),
        "occupations": Panel(
            charts.horizontal("登记者职业（人）", report.occupations),
            "职业（人）",
            ("职业", "人数"),
            list(report.occupations),
        ),
        "employers": Panel(
            charts.horizontal("登记者所在平台/单位（人）", report.employers),
            "平台/单位（人）",
            ("平台/单位", "人数"),
            list(report.employers),
        ),
    }


def html(report: Report) -> str:
    """A self-contained page: the report's own CSS inline, no links out, nothing to fetch."""
    # Rendered straight from the environment: no request, so no context processors,
    # and the shared body leaves out its links to admin pages when `standalone`.
    template = current_app.jinja_env.get_template("admin/reports/standalone.html")
    return template.render(
        report=report,
        summary=paragraph(report),
        panels=panels(report),
        css=CSS.read_text(encoding="utf-8"),
        choices=choices,
        standalone=True,
    )
