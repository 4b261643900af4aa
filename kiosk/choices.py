"""Every fixed choice, defined once: stable keys stored in the database, translated labels.

The model CHECK constraints, the CLI, the admin forms, the exports and the schedule
export all read these. Labels are lazy: shown in the reader's language; `chinese`
gives the label as written here, for files that are always Chinese.
"""

from __future__ import annotations

from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

OCCUPATIONS = {
    "courier": _l("快递员"),
    "food_delivery": _l("外卖送餐员"),
    "ride_hailing": _l("网约车司机"),
    "truck_driver": _l("货车司机"),
    "delivery": _l("网约配送员"),
    "domestic": _l("家政服务员"),
    "other": _l("其他"),
}

INTERESTS = {
    "health_check": _l("免费体检"),
    "legal": _l("法律咨询"),
    "counselling": _l("心理关怀"),
    "mutual_aid": _l("职工互助保障"),
    "recreation": _l("文体活动"),
    "training": _l("技能培训"),
    "haircut": _l("义务理发"),
}

SESSION_KINDS = {
    "worker": _l("职工沟通会"),
    "enterprise": _l("企业沟通会"),
    "district": _l("区级沟通会"),
}

SESSION_STATUSES = {
    "planned": _l("未开始"),
    "open": _l("进行中"),
    "closed": _l("已结束"),
    # Kept and shown with its reason, never counted towards a quota.
    "cancelled": _l("已取消"),
}

ORG_LEVELS = {"district": _l("区"), "subdistrict": _l("街道/镇"), "industrial_park": _l("产业基地")}

SOURCES = {"kiosk": _l("现场平板"), "phone": _l("本人手机")}

FOLLOW_UP_STATUSES = {
    "pending": _l("待联系"),
    "contacted": _l("已联系"),
    "joined": _l("已通过i会员入会"),
    "unreachable": _l("无法联系"),
    "declined": _l("不愿入会"),
}

# How a union's month stands against its quota (kiosk.cadence.rules decides).
CADENCE_STATUSES = {
    "met": _l("已达标"),
    "on_track": _l("进行中"),
    "at_risk": _l("有风险"),
    "missed": _l("未达标"),
}

ATTENTION_RESOLUTIONS = {"stored": _l("已保存为登记"), "dismissed": _l("已忽略")}


def chinese(label: LazyString | str) -> str:
    """The label as written above, whatever the reader's language."""
    with force_locale("zh"):  # no catalog for zh: the message id itself
        return str(label)


# Staff-only enumerations for companies (企业) and 一企一档. The admin area is Chinese
# only, so these are plain strings with no catalog entries.
COMPANY_INDUSTRIES = {
    "express": "快递",
    "food_delivery": "外卖配送",
    "ride_hailing": "网约车",
    "freight": "货运",
    "domestic": "家政",
    "other": "其他",
}

PLATFORM_RELATIONS = {
    "platform": "平台企业",
    "franchise": "加盟商/配送站",
    "outsourcing": "劳务外包",
    "other": "其他",
}

# In funnel order: a company moves from 未建会 through 筹建中 to 已建会.
UNION_STATUSES = {"none": "未建会", "preparing": "筹建中", "established": "已建会"}

CONTACT_KINDS = {
    "session": "企业沟通会",
    "visit": "走访",
    "call": "电话",
    "union_step": "建会进展",
}

NEED_STATUSES = {"todo": "待办", "doing": "办理中", "done": "已解决"}

# What made a knowledge-base revision (kiosk.kb.revisions); staff see it, so Chinese only.
# "baseline" keeps the file as it was found, changed outside the admin area (a git pull,
# an imported zip), before an edit.
CONTENT_ACTIONS = {
    "edit": "编辑",
    "create": "新建",
    "restore": "恢复旧版本",
    "baseline": "原有内容",
}

# What the city server answered a booth laptop for one forwarded sign-up (relay mode);
# staff-only, like the company enumerations.
RELAY_OUTCOMES = {"acked": "已上传", "attention": "上传被拒，待处理", "dismissed": "已忽略"}
