"""The fields a person fills in to sign up, declared once.

Everything else reads this list: the server's checks (`validation`), the stored row
and its fingerprint (`store`), the form on the tablet and the phone
(templates/_signup_fields.html), the tablet's offline checks (static/js/validate.js,
given the rules as JSON), the staff's correction form and the export columns.
Adding a field means adding it here, to the `Signup` model and in a migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from kiosk.choices import INTERESTS, OCCUPATIONS

# name: a person's name; phone: a mainland mobile number; text: free text;
# choice: one key of `choices`; choices: any number of them.
Kind = Literal["name", "phone", "text", "choice", "choices"]


@dataclass(frozen=True)
class Field:
    name: str  # the API's key and the Signup column
    label: LazyString  # what staff and exports call it
    kind: Kind
    required: bool = False
    # In characters, once cleaned; for the phone, what may be typed (spaces, +86).
    max_length: int | None = None
    choices: Mapping[str, LazyString] = field(default_factory=dict)
    prompt: LazyString | None = None  # the form's wording, where it differs from the label
    other_of: str | None = None  # free text saying which, when this choice field is "other"
    missing: LazyString | None = None  # what a required field says when left empty
    invalid: LazyString | None = None  # what a choice field says of a value not offered

    @property
    def asks(self) -> LazyString:
        return self.prompt or self.label


FIELDS: tuple[Field, ...] = (
    Field("name", _l("姓名"), "name", required=True, max_length=30, missing=_l("请填写姓名")),
    Field("phone", _l("手机号"), "phone", required=True, max_length=20, missing=_l("请填写手机号")),
    Field(
        "occupation",
        _l("职业"),
        "choice",
        required=True,
        choices=OCCUPATIONS,
        missing=_l("请选择职业"),
        invalid=_l("请从列表中选择职业"),
    ),
    Field(
        "occupation_other",
        _l("其他职业"),
        "text",
        max_length=40,
        prompt=_l("其他职业（请写明）"),
        other_of="occupation",
        missing=_l("选择“其他”时请写明职业"),
    ),
    Field("employer", _l("所在平台/单位"), "text", max_length=60),
    Field("area", _l("工作区域"), "text", max_length=60),
    Field(
        "interests",
        _l("想了解的服务"),
        "choices",
        choices=INTERESTS,
        prompt=_l("想了解的服务（可多选）"),
        invalid=_l("请从列表中选择"),
    ),
)

BY_NAME: Mapping[str, Field] = {f.name: f for f in FIELDS}
