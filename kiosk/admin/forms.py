"""WTForms for the admin area. Choices that depend on the staff member are set per request.

Everything staff type is cleaned like a sign-up field (`kiosk.text`) before it is
checked or stored: the length limits apply to what will be stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput

from kiosk.accounts import MIN_PASSWORD_LENGTH
from kiosk.choices import FOLLOW_UP_STATUSES, ORG_LEVELS, SESSION_KINDS, chinese
from kiosk.signups.fields import FIELDS, Field
from kiosk.text import clean_block, clean_line
from kiosk.typed_dates import DATETIME_HINT, INPUTS, parse_datetime

try:  # WTForms ≥ 3.3 wants SelectChoice objects; older versions take (value, label) tuples
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - depends on the installed WTForms
    SelectChoice = None  # type: ignore[assignment,misc]

BEIJING = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
TOO_LONG = "不能超过 %(max)d 个字"
COUNT = "场数应为 0–31 的整数"


def options(pairs: Iterable[tuple[Any, Any]]) -> list[Any]:
    """Select choices from (value, label) pairs, in the form this WTForms version prefers."""
    if SelectChoice is None:
        return [(value, str(label)) for value, label in pairs]
    return [SelectChoice(value, str(label)) for value, label in pairs]


def to_utc(local: datetime) -> datetime:
    """Staff type Beijing time; it is stored as UTC."""
    return local.replace(tzinfo=BEIJING).astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """The naive Beijing time a date-and-time input shows."""
    return value.astimezone(BEIJING).replace(tzinfo=None)


class BeijingDateTimeField(StringField):
    """A Beijing date and time typed as 2026-12-10 14:00 (see kiosk.typed_dates)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, render_kw=INPUTS["datetime"], description=DATETIME_HINT, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        self.data = parse_datetime(str(valuelist[0]))
        if self.data is None:
            raise ValueError("请按“2026-12-10 14:00”的格式填写（24 小时制）")

    def _value(self) -> str:
        if isinstance(self.data, datetime):
            return self.data.strftime(LOCAL_FORMAT)
        return self.raw_data[0] if self.raw_data else ""


class LoginForm(FlaskForm):
    username = StringField(
        "用户名", validators=[DataRequired("请填写用户名"), Length(max=60, message=TOO_LONG)]
    )
    password = PasswordField(
        "密码", validators=[DataRequired("请填写密码"), Length(max=200, message=TOO_LONG)]
    )


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired("请填写当前密码")])
    new = PasswordField(
        "新密码",
        validators=[
            DataRequired("请填写新密码"),
            Length(
                min=MIN_PASSWORD_LENGTH, max=200, message=f"新密码至少需要 {MIN_PASSWORD_LENGTH} 位"
            ),
        ],
    )
    confirm = PasswordField(
        "再输入一次新密码", validators=[EqualTo("new", "两次输入的新密码不一致")]
    )


class SessionForm(FlaskForm):
    kind = SelectField("类型", choices=options(SESSION_KINDS.items()))
    organisation_id = SelectField("主办工会", coerce=int, validators=[InputRequired("请选择工会")])
    site_id = SelectField("点位", coerce=int)
    title = StringField(
        "标题（不填则自动生成）",
        filters=[clean_line],
        validators=[Optional(), Length(max=100, message="标题不能超过 100 个字")],
    )
    starts_at = BeijingDateTimeField("开始时间", validators=[InputRequired("请填写开始时间")])
    ends_at = BeijingDateTimeField("结束时间", validators=[InputRequired("请填写结束时间")])
    notes = TextAreaField(
        "备注", filters=[clean_block], validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
    # One public line per session: the schedule page shows it and the poster prints it.
    public_note = StringField(
        "现场提供（公开：印在海报上，显示在知识库的沟通会日程上；可不填）",
        filters=[clean_line],
        validators=[Optional(), Length(max=200, message="不能超过 200 个字")],
        description="只写这场沟通会现场真有的，例如：宣传折页和口袋书；北京银行工作人员到场办卡",
    )

    def validate_ends_at(self, field: BeijingDateTimeField) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError("结束时间必须晚于开始时间")


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "取消原因",
        validators=[DataRequired("请填写取消原因"), Length(max=200, message=TOO_LONG)],
    )


class FeedForm(FlaskForm):
    organisation_id = SelectField("工会", coerce=int, validators=[InputRequired("请选择工会")])
    label = StringField(
        "用途（例如：张主任的手机日历）",
        validators=[DataRequired("请写明用途"), Length(max=60, message=TOO_LONG)],
    )


class QuotaForm(FlaskForm):
    # Text, not IntegerField: its "Not a valid integer value." has no Chinese.
    worker = StringField(
        "职工沟通会（场/月）",
        validators=[
            InputRequired("请填写场数"),
            Regexp(r"^(?:[0-9]|[12][0-9]|3[01])$", message=COUNT),
        ],
        render_kw={"inputmode": "numeric"},
    )
    enterprise = StringField(
        "企业沟通会（场/月）",
        validators=[
            InputRequired("请填写场数"),
            Regexp(r"^(?:[0-9]|[12][0-9]|3[01])$", message=COUNT),
        ],
        render_kw={"inputmode": "numeric"},
    )
    district_session = BooleanField("要求第三个周四的区级沟通会")


class OverrideForm(QuotaForm):
    organisation_id = SelectField("工会", coerce=int, validators=[InputRequired("请选择工会")])


class SiteForm(FlaskForm):
    organisation_id = SelectField("所属工会", coerce=int, validators=[InputRequired("请选择工会")])
    name = StringField(
        "点位名称",
        filters=[clean_line],
        validators=[DataRequired("请填写点位名称"), Length(max=100, message=TOO_LONG)],
    )
    address = StringField(
        "地址", filters=[clean_line], validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    notes = TextAreaField(
        "备注", filters=[clean_block], validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )


class OrganisationForm(FlaskForm):
    name = StringField(
        "工会组织名称",
        filters=[clean_line],
        validators=[DataRequired("请填写工会组织名称"), Length(max=100, message=TOO_LONG)],
    )
    level = SelectField("层级", choices=options(ORG_LEVELS.items()))
    # 0 stands for "none": SelectField with coerce=int cannot carry None.
    parent_id = SelectField("上级工会", coerce=int)


class FollowUpForm(FlaskForm):
    status = SelectField("跟进状态", choices=options(FOLLOW_UP_STATUSES.items()))
    note = TextAreaField(
        "备注", filters=[clean_block], validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )


class DeletePersonForm(FlaskForm):
    phone = StringField(
        "手机号", validators=[DataRequired("请填写手机号"), Length(max=20, message=TOO_LONG)]
    )
    confirm = BooleanField(
        "我确认：此人已要求删除个人信息", validators=[DataRequired("请勾选确认")]
    )


class ConfirmDeleteForm(FlaskForm):
    confirm = BooleanField(
        "我确认：此人已要求删除个人信息", validators=[DataRequired("请勾选确认")]
    )


class UserForm(FlaskForm):
    username = StringField(
        "用户名", validators=[DataRequired("请填写用户名"), Length(max=60, message=TOO_LONG)]
    )
    display_name = StringField(
        "姓名", filters=[clean_line], validators=[Optional(), Length(max=60, message=TOO_LONG)]
    )
    organisation_id = SelectField("所属工会", coerce=int)
    is_admin = BooleanField("管理员（可查看所有工会）")
    is_content_editor = BooleanField("内容编辑（可以修改知识库网站的页面和数据）")
    password = PasswordField(
        "初始密码",
        validators=[
            DataRequired("请填写初始密码"),
            Length(
                min=MIN_PASSWORD_LENGTH, max=200, message=f"密码至少需要 {MIN_PASSWORD_LENGTH} 位"
            ),
        ],
    )


def _fix_field(field: Field) -> Any:
    """The staff's input for one declared sign-up field."""
    label = chinese(field.label)
    if field.kind == "choices":
        # Ticked like the tablet's form: a checkbox per choice, not a <select multiple>.
        choices = options(field.choices.items())
        return SelectMultipleField(label, choices=choices, option_widget=CheckboxInput())
    if field.kind == "choice":
        return SelectField(label, choices=options([("", "请选择"), *field.choices.items()]))
    return StringField(label, render_kw={"inputmode": "numeric"} if field.kind == "phone" else None)


# The fields of a refused sign-up, one per declared field, for staff to correct.
AttentionFixForm = type(
    "AttentionFixForm", (FlaskForm,), {field.name: _fix_field(field) for field in FIELDS}
)


class RelayCredentialForm(FlaskForm):
    organisation_id = SelectField("所属工会", coerce=int, validators=[InputRequired("请选择工会")])
    label = StringField(
        "名称",
        filters=[clean_line],
        validators=[
            DataRequired("请填写名称，例如：瀛海镇现场笔记本"),
            Length(max=60, message=TOO_LONG),
        ],
    )
