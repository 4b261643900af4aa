"""Chinese text uses Chinese punctuation: no half-width ? : , right after a Han character.

Scans what a person reads: every message of the catalog (the kiosk's and public pages'
Chinese msgids), every template's literal text, and the Chinese strings in the code
(admin messages are plain strings, not in the catalog). 还在填写吗？ and 待上传：0, never
还在填写吗? or 待上传: 0.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
KIOSK = ROOT / "kiosk"
HALF_WIDTH_AFTER_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff][?:,]")
# {{ _('待上传') }}: counts as 待上传: ; any other tag stands for a non-Han value.
GETTEXT = re.compile(r"""\{\{\s*_\(\s*(['"])(.*?)\1.*?\}\}""", re.S)
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Where the ASCII character is itself the thing being described, not punctuation.
QUOTED_SYNTAX = (
    "“键: 值”",  # YAML's key: value, as the knowledge-base checker asks for it
    "[车祸, 交通事故]",  # a YAML list, as the synonyms file is written
    "时:分",  # the format typed into a time field (kiosk.typed_dates)
)


def _offences(text: str) -> list[str]:
    for quoted in QUOTED_SYNTAX:
        text = text.replace(quoted, "")
    return [text[max(m.start() - 12, 0) : m.end()] for m in HALF_WIDTH_AFTER_HAN.finditer(text)]


def _template_text(path: Path) -> str:
    return TAG.sub("•", GETTEXT.sub(lambda m: m.group(2), path.read_text("utf-8")))


def _code_strings(path: Path) -> list[str]:
    """String constants, less docstrings (English, for developers) and regular expressions."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and "\\d" not in node.value
    ]


def test_the_catalog_uses_chinese_punctuation():
    with (KIOSK / "translations" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        msgids = [m.id for m in read_po(po) if m.id]
    texts = [part for msgid in msgids for part in (msgid if isinstance(msgid, tuple) else (msgid,))]
    assert [bad for text in texts for bad in _offences(text)] == []


@pytest.mark.parametrize(
    "path",
    sorted(KIOSK.glob("templates/**/*.html")),
    ids=lambda p: str(p.relative_to(KIOSK)),
)
def test_templates_use_chinese_punctuation(path: Path):
    assert _offences(_template_text(path)) == []


def test_messages_in_the_code_use_chinese_punctuation():
    found = {
        str(path.relative_to(ROOT)): bad
        for path in sorted(KIOSK.rglob("*.py"))
        if (bad := [b for text in _code_strings(path) for b in _offences(text)])
    }
    assert found == {}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("还在填写吗?", ["还在填写吗?"]),
        ("待上传: 0", ["待上传:"]),
        ("姓名,手机号", ["姓名,"]),
        ("还在填写吗？待上传：0，好", []),
        ("Place: 首航超市 (14:00), ok?", []),
        ("必须是“键: 值”的形式", []),
    ],
)
def test_the_check_itself(text: str, found: list[str]):
    assert _offences(text) == found
