"""The 排期 form: a union, a month, and a few rule rows, turned into a pattern."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField
from wtforms.validators import InputRequired, Regexp

from kiosk.admin.forms import options
from kiosk.cadence.months import WEEKDAY_NAMES
from kiosk.choices import SESSION_KINDS
from kiosk.typed_dates import INPUTS

RULE_ROWS = 5
WEEKS = [
    ("every", "每周"),
    ("1", "第1个"),
    ("2", "第2个"),
    ("3", "第3个"),
    ("4", "第4个"),
    ("1,3", "第1、3个"),
    ("2,4", "第2、4个"),
]


class RuleForm(Form):
    """One row; a row with no kind is left out.

    The choices are not checked here (WTForms would say so in English):
    kiosk.cadence.pattern checks every value and says what is wrong in Chinese.
    """

    kind = SelectField(
        "类型", choices=options([("", "（不使用）"), *SESSION_KINDS.items()]), validate_choice=False
    )
    weeks = SelectField("哪几周", choices=options(WEEKS), validate_choice=False)
    weekday = SelectField(
        "星期",
        choices=options((str(n), name) for n, name in enumerate(WEEKDAY_NAMES, 1)),
        validate_choice=False,
    )
    start = StringField("开始", render_kw=INPUTS["time"])
    end = StringField("结束", render_kw=INPUTS["time"])
    site = SelectField("点位", validate_choice=False)
    title = StringField("标题（可不填）", render_kw={"maxlength": 100})


class PlanForm(FlaskForm):
    organisation_id = SelectField("工会", coerce=int, validators=[InputRequired("请选择工会")])
    month = StringField(
        "月份",
        validators=[InputRequired("请选择月份"), Regexp(r"^\d{4}-\d{2}$", message="月份格式不对")],
        render_kw=INPUTS["month"],
    )
    rules = FieldList(FormField(RuleForm), min_entries=RULE_ROWS, max_entries=RULE_ROWS)


# The example month: every Tuesday afternoon (worker), the 2nd and 4th
# Wednesday (enterprise), and the district session on the third Thursday.
EXAMPLE = [
    {"kind": "worker", "weeks": "every", "weekday": "2", "start": "14:00", "end": "17:00"},
    {"kind": "enterprise", "weeks": "2,4", "weekday": "3", "start": "09:30", "end": "11:30"},
]


def prepare(form: PlanForm, orgs: list[tuple[int, str]], sites: list[tuple[str, str]]) -> PlanForm:
    form.organisation_id.choices = options(orgs)
    for row in form.rules:
        row.form.site.choices = options([("", "（不指定）"), *sites])
    return form


def pattern(form: PlanForm) -> dict[str, Any]:
    """The rows as the pattern file's structure, for kiosk.cadence.pattern.parse."""
    sessions = []
    for row in form.rules:
        data = row.form.data
        if not data["kind"]:
            continue
        sessions.append(
            {
                "kind": data["kind"],
                "weeks": data["weeks"],
                "weekday": data["weekday"],
                "start": data["start"],
                "end": data["end"],
                "site": data["site"] or None,
                "title": data["title"] or None,
            }
        )
    return {"sessions": sessions}
