"""Forms of the joined import: the file, the column mapping, the confirmation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField

from kiosk.admin.forms import options
from kiosk.joined.matching import Mapping

NONE = -1


class UploadForm(FlaskForm):
    file = FileField("会员名单文件（Excel .xlsx 或 CSV）", render_kw={"accept": ".xlsx,.csv,.txt"})


class MappingForm(FlaskForm):
    phone = SelectField("手机号在哪一列", coerce=int)
    name = SelectField("姓名在哪一列（可不选）", coerce=int)
    joined_on = SelectField("入会日期在哪一列（可不选，不选则按今天）", coerce=int)
    confirm = BooleanField("我已核对预览，确认导入")

    def set_columns(self, headers: list[str]) -> MappingForm:
        columns = [(index, f"{header}（第{index + 1}列）") for index, header in enumerate(headers)]
        self.phone.choices = options(columns)
        self.name.choices = options([(NONE, "（没有这一列）"), *columns])
        self.joined_on.choices = options([(NONE, "（没有这一列）"), *columns])
        return self

    def mapping(self) -> Mapping:
        def optional(value: int | None) -> int | None:
            return None if value is None or value == NONE else value

        return Mapping(
            int(self.phone.data or 0), optional(self.name.data), optional(self.joined_on.data)
        )
