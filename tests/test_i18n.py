"""The English catalog is complete for every screen a worker sees, and compiled.

Messages are extracted from the sources right now (with babel.cfg), so a new
Chinese string in a kiosk or public template fails here until it is translated:

    pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-output \
        -o kiosk/translations/messages.pot .
    pybabel update -i kiosk/translations/messages.pot -d kiosk/translations
    pybabel compile -d kiosk/translations
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "kiosk" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
POT = TRANSLATIONS / "messages.pot"

# What a worker or booth volunteer sees: these must all be in English too.
WORKER_FACING = (
    "kiosk/templates/base.html",
    "kiosk/templates/_signup_fields.html",
    "kiosk/templates/kiosk/",
    "kiosk/templates/public/",
    "kiosk/templates/errors/",
    "kiosk/choices.py",
    "kiosk/credentials.py",
    "kiosk/signups/",
    "kiosk/views/kiosk_screen.py",
    "kiosk/views/public.py",
)
HAN = re.compile(r"[\u3400-\u9fff]")


def _extracted() -> dict[str, set[str]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found: dict[str, set[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, set()).add(filename.replace("\\", "/"))
    return found


@pytest.fixture(scope="module")
def catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


@pytest.fixture(scope="module")
def worker_msgids() -> set[str]:
    return {
        msgid
        for msgid, files in _extracted().items()
        if any(f.startswith(prefix) for f in files for prefix in WORKER_FACING)
    }


def test_every_worker_facing_message_has_english(catalog, worker_msgids) -> None:
    assert len(worker_msgids) > 80
    missing = sorted(m for m in worker_msgids if not (catalog.get(m) and catalog.get(m).string))
    fuzzy = sorted(m for m in worker_msgids if catalog.get(m) and catalog.get(m).fuzzy)
    assert missing == [], "run pybabel extract/update, then translate"
    assert fuzzy == []


def test_template_catalog_lists_them(worker_msgids) -> None:
    with POT.open("rb") as f:
        pot = {m.id for m in read_po(f) if m.id}
    assert sorted(worker_msgids - pot) == [], "run pybabel extract"


def test_compiled_catalog_matches_po(catalog) -> None:
    with MO.open("rb") as f:
        compiled = read_mo(f)
    expected = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    actual = {m.id: m.string for m in compiled if m.id}
    assert actual == expected, "run pybabel compile -d kiosk/translations"


def test_placeholders_survive_translation(catalog) -> None:
    for message in catalog:
        if message.id and message.string:
            wanted = sorted(re.findall(r"%\(\w+\)s", message.id))
            assert sorted(re.findall(r"%\(\w+\)s", message.string)) == wanted, message.id


def _visible_han(html: str, allowed: tuple[str, ...]) -> list[str]:
    # The privacy notice (docs/privacy.md) exists in Chinese only: the tablet's dialog and
    # the phone page's own copy of it (its button back to the form is translated).
    html = re.sub(r"<dialog id=\"privacy-dialog\".*?</dialog>", "", html, flags=re.S)
    html = re.sub(r"<article class=\"prose\">.*?</article>", "", html, flags=re.S)
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    for text in allowed:
        html = html.replace(text, "")
    return sorted(set(HAN.findall(html)))


@pytest.mark.parametrize("path", ["/kiosk/", "/kiosk/setup", "/kiosk/exit"])
def test_kiosk_pages_in_english_have_no_chinese_left(tablet: FlaskClient, path: str) -> None:
    tablet.set_cookie("lang", "en")
    html = tablet.get(path).get_data(as_text=True)
    # The session's own name and place are data, and 中文 names the other language.
    assert _visible_han(html, ("瀛海镇职工沟通会", "首航超市", "中文")) == []


def test_phone_form_in_english_has_no_chinese_left(client: FlaskClient, world) -> None:
    client.set_cookie("lang", "en")
    html = client.post(f"/s/{world.session_code}", data={"name": ""}).get_data(as_text=True)
    assert "Please enter your name" in html
    assert _visible_han(html, ("瀛海镇职工沟通会", "首航超市", "中文")) == []
