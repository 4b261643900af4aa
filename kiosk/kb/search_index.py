"""The search index as riders need it: synonyms found, keywords kept out of snippets, UTF-8.

Material's search plugin writes site/search/search_index.json: one entry per section, with
its title, its text (Chinese already cut into words by jieba, joined by U+200B) and the
page's tags. This module rewrites that file after the build, adding two fields that search
matches and results never show (Material's result template prints title, text and tags):

- ``synonyms``: for each word of a synonym group (docs/data/synonyms.yml) that the
  section's text contains, every word of that group, weighted like the text. Words are
  kept whole (交通事故, not 交通/事故): the query segmenter (search_worker.py) looks for
  the longest word the index knows, so 交通事故 typed finds exactly these sections.
- ``keywords``: the page's tags, on its first entry only, and the groups of the tags and of
  the words in the entry's title, weighted like the title. Material printed tags under
  every result and copied them onto every section, so all of a tagged page's sections
  ranked alike and each snippet ended in a line of keywords.

Every word of a group is added, the one found too, so any word of a group finds what any
other finds. The file is written as UTF-8: Han characters shrink from six bytes to three.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import jieba

KEYWORDS = "keywords"
SYNONYMS = "synonyms"
# Material's defaults are title 1000, text 1, tags 1,000,000. A keyword counts like a word
# of the title: the editor chose it to say what the page is about. A synonym counts like
# the word it stands for in the text.
BOOSTS = {KEYWORDS: 1000.0, SYNONYMS: 1.0}

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TAG = re.compile(r"<[^>]+>")
CUT = "\u200b"  # what Material's plugin puts between jieba's words


def cut(text: str) -> str:
    """Cut the Chinese in text into words the way Material's search plugin does."""
    return HAN.sub(lambda m: CUT + CUT.join(jieba.cut(m.group(0))) + CUT, text).strip(CUT)


class Tokens:
    """The words of an index entry, split as the browser splits them, for phrase lookups."""

    def __init__(self, text: str, separator: re.Pattern[str]) -> None:
        self.words = [w for w in separator.split(TAG.sub(" ", text).lower()) if w]
        self.known = set(self.words)

    def has(self, phrase: list[str]) -> bool:
        if not phrase or not self.known.issuperset(phrase):
            return False
        size = len(phrase)
        return any(self.words[i : i + size] == phrase for i in range(len(self.words) - size + 1))


def split_word(word: str, separator: re.Pattern[str]) -> list[str]:
    return [w for w in separator.split(cut(word).lower()) if w]


def expand(words: Iterable[str], groups: list[list[str]]) -> list[str]:
    """Each word with all the words of its group (itself first if it has none), deduplicated."""
    result: list[str] = []
    for word in words:
        group = next((g for g in groups if word in g), [word])
        result += [w for w in group if w not in result]
    return result


def enrich(data: dict[str, Any], groups: list[list[str]]) -> dict[str, Any]:
    """Add the keyword and synonym fields to every entry of a parsed search index."""
    separator = re.compile(data["config"]["separator"])
    phrases = {w: split_word(w, separator) for group in groups for w in group}

    def found_in(text: str) -> list[str]:
        tokens = Tokens(text, separator)
        return [w for w, phrase in phrases.items() if tokens.has(phrase)]

    pages: set[str] = set()
    for doc in data["docs"]:
        tags = [str(t) for t in doc.pop("tags", None) or [] if str(t).strip()]
        page = doc["location"].split("#", 1)[0]
        # Material copies the page's tags onto every section; they belong to the page.
        if page in pages:
            tags = []
        pages.add(page)
        # A word in both the tags and the title counts twice: the page is about it.
        keywords = expand(tags, groups) + expand(found_in(doc["title"]), groups)
        synonyms = expand(found_in(doc["text"]), groups)
        if keywords:
            doc[KEYWORDS] = " ".join(keywords)
        if synonyms:
            doc[SYNONYMS] = " ".join(synonyms)
    data["config"]["fields"].pop("tags", None)
    data["config"]["fields"].update({name: {"boost": b} for name, b in BOOSTS.items()})
    return data


def rewrite(raw: str, groups: list[list[str]]) -> str:
    """The search_index.json text Material wrote, enriched and re-encoded as UTF-8."""
    data = enrich(json.loads(raw), groups)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
