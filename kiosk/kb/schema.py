"""What a knowledge-base page and data file may contain: page types, fields, sections, values."""

from __future__ import annotations

import re

from flask_babel import force_locale

from kiosk.choices import SESSION_KINDS

# Every benefit page has these H2 sections, in this order. Readers learn where to look.
BENEFIT_SECTIONS: tuple[str, ...] = (
    "是什么",
    "谁可以享受",
    "怎么申请/领取",
    "在哪里、什么时间",
    "需要带什么",
    "咨询与联系",
    "来源与更新日期",
)

POLICY_SECTIONS: tuple[str, ...] = (
    "一句话说明",
    "和你有什么关系",
    "要点",
    "你可以怎么做",
    "来源与更新日期",
)

# Help guides (求助指南) answer "what do I do now?" for a rider in trouble.
HELP_SECTIONS: tuple[str, ...] = (
    "先做什么",
    "一步一步",
    "要留的证据",
    "找谁",
    "时限",
    "来源与更新日期",
)

SECTIONS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "benefit": BENEFIT_SECTIONS,
    "policy": POLICY_SECTIONS,
    "help": HELP_SECTIONS,
}

# A page asks for generated content with a marker alone on its line: <!-- kb:stations -->.
MARKER = re.compile(r"^<!-- kb:([\w-]+) -->$", re.MULTILINE)
SOURCES_MARKER = "<!-- kb:sources -->"
POCKET_MARKER = "<!-- kb:pocket -->"

# The pocket guide prints, for every benefit page, the sections its own front matter names
# under this field.
POCKET_FIELD = "pocket_sections"

# Every page type, with the name the admin editor shows for it.
PAGE_TYPE_LABELS: dict[str, str] = {
    "benefit": "会员权益",
    "policy": "政策解读",
    "help": "求助指南",
    "guide": "办事指南",
    "faq": "常见问题",
    "index": "栏目首页",
    "home": "网站首页",
    "generated": "自动生成的页面",
    "privacy": "隐私说明",
    "staff": "工作人员用",
}
PAGE_TYPES: frozenset[str] = frozenset(PAGE_TYPE_LABELS)

# Fields every page of these types must carry in its front matter.
SCHEMA_TYPES: frozenset[str] = frozenset({"benefit", "policy", "guide", "help"})
SCHEMA_FIELDS: tuple[str, ...] = ("title", "type", "summary", "audience", "reviewed", "sources")

# Folders under docs/ that are not pages: templates for new pages, data files, theme overrides.
NOT_PAGES: tuple[str, ...] = ("templates", "data", "overrides")

# What a service station in docs/data/stations.yml may say it has.
FACILITIES: tuple[str, ...] = ("休息区", "饮用水", "换电柜", "图书", "心理咨询室")


def session_kinds() -> tuple[str, ...]:
    """The kinds docs/data/schedule.yml may name: the kiosk's session kinds, in Chinese."""
    # The schedule file is the knowledge base's data, Chinese whatever the reader's language.
    with force_locale("zh"):
        return tuple(str(label) for label in SESSION_KINDS.values())
