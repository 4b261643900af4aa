"""stations.yml and local.yml as form rows, and back to YAML that keeps the file's comments.

Staff never see YAML: the admin forms hand rows of fields to `stations_text` and
`local_text`, and the one set of rules in kiosk.kb.data_check judges the text that
would be written. Each problem is then put back on the row and field it concerns.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from kiosk.kb.data_check import LOCAL_KEYS
from kiosk.kb.problems import Problem
from kiosk.kb.render import LOCAL_LABELS
from kiosk.kb.yaml_lines import item_lines, key_lines, load_plain

STATION_KEYS: tuple[str, ...] = (
    "name",
    "organisation",
    "address",
    "hours",
    "facilities",
    "map_url",
    "note",
)
REQUIRED_STATION_KEYS: tuple[str, ...] = ("name", "organisation", "hours")
# local.yml's keys in the order the form shows them.
LOCAL_ORDER: tuple[str, ...] = (*LOCAL_LABELS, "deletion_contact", "retention_days")
assert set(LOCAL_ORDER) == LOCAL_KEYS  # noqa: S101 - one list of keys, checked at import


def _data(text: str) -> Any:
    try:
        return load_plain(text)
    except yaml.YAMLError:
        return None


def stations(text: str) -> list[dict[str, Any]]:
    data = _data(text)
    rows = data.get("stations") if isinstance(data, dict) else None
    return [row for row in rows or [] if isinstance(row, dict)]


def local(text: str) -> dict[str, Any]:
    data = _data(text)
    return data if isinstance(data, dict) else {}


def _leading(text: str, key: str) -> str:
    """The lines before the top-level key: the file's explanation for whoever edits it."""
    line = key_lines(text).get(key)
    if line is None:
        return text if text.endswith("\n") or not text else text + "\n"
    return "".join(text.splitlines(keepends=True)[: line - 1])


def stations_text(original: str, rows: list[dict[str, Any]]) -> str:
    """stations.yml with these stations, under the comments the file started with."""
    if not rows:
        return _leading(original, "stations") + "stations: []\n"
    lines = ["stations:\n"]
    for row in rows:
        first = "  - "
        for key in STATION_KEYS:
            value = row.get(key)
            # Required keys are written even when empty, so the checker's error names
            # the right field.
            if value in (None, "", []) and key not in REQUIRED_STATION_KEYS:
                continue
            if key == "facilities":
                shown = f"[{', '.join(_scalar(v) for v in value)}]"
            else:
                shown = _scalar(value) if value not in (None, "") else ""
            lines.append(f"{first}{key}: {shown}".rstrip() + "\n")
            first = "    "
    return _leading(original, "stations") + "".join(lines)


def local_text(original: str, values: dict[str, Any]) -> str:
    """local.yml with each value replaced on its own line; comments stay where they were."""
    lines = original.splitlines(keepends=True)
    where = key_lines(original)
    for key in sorted(LOCAL_ORDER, key=lambda k: -where.get(k, 0)):  # bottom up: lines stay put
        value = values.get(key)
        line = f"{key}: {_scalar(value)}\n"
        if key not in where:
            lines.append(line)
            continue
        start = where[key] - 1
        end = start + 1
        while end < len(lines) and lines[end].startswith((" ", "\t")):
            end += 1  # a value continued on indented lines
        lines[start:end] = [line]
    return "".join(lines)


def _scalar(value: Any) -> str:
    if value in (None, ""):
        return "null"
    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


def station_problems(text: str, problems: list[Problem]) -> dict[tuple[int, str], list[str]]:
    """Problems by (station index, field); field "" is the station as a whole, and index -1
    the file as a whole."""
    found: dict[tuple[int, str], list[str]] = {}
    items = item_lines(text, "stations")
    for problem in problems:
        spot = (-1, "")
        for index, keys in enumerate(items):
            for key, line in keys.items():
                if line == problem.line:
                    spot = (index, key)
        found.setdefault(spot, []).append(problem.message)
    return found


def local_problems(text: str, problems: list[Problem]) -> dict[str, list[str]]:
    """Problems by local.yml key ("" for the file as a whole)."""
    by_line = {line: key for key, line in key_lines(text).items()}
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(by_line.get(problem.line, ""), []).append(problem.message)
    return found


# Words in a synonym group are typed on one line, separated as people write lists.
WORD_SEPARATORS = re.compile(r"[、，,；;\s]+")


def words_of(line: str) -> list[str]:
    return [word for word in WORD_SEPARATORS.split(line.strip()) if word]


def synonyms_rows(text: str) -> tuple[list[list[str]], list[str]]:
    """The groups and the skipped words, as typed in the file (invalid items left out)."""
    data = _data(text)
    data = data if isinstance(data, dict) else {}
    groups = [
        [str(w) for w in group if w is not None]
        for group in data.get("groups") or []
        if isinstance(group, list)
    ]
    ignore = [str(w) for w in data.get("ignore") or [] if w is not None]
    return groups, ignore


# A word that needs no quotes in a YAML flow list. kiosk.kb.synonyms reads words as typed,
# so 12351 stays bare (as staff write it), and only YAML's own punctuation is quoted.
PLAIN_WORD = re.compile(r"[^\s,\[\]{}#:&*!|>'\"%@`?-][^,\[\]{}#:]*(?<!\s)")


def _flow(words: list[str]) -> str:
    def shown(word: str) -> str:
        plain = PLAIN_WORD.fullmatch(word) and word.lower() not in ("null", "~")
        return word if plain else json.dumps(word, ensure_ascii=False)  # valid YAML too

    return f"[{', '.join(shown(word) for word in words)}]"


def synonyms_text(original: str, groups: list[list[str]], ignore: list[str]) -> str:
    """synonyms.yml with these groups, each under the comment its group had (matched by a
    shared word), and the file's other comments where they were."""
    lines = original.splitlines(keepends=True)
    comments: dict[str, str] = {}
    for where in item_lines(original, "groups"):
        start = where[""] - 1
        above = start
        while above > 0 and lines[above - 1].lstrip().startswith("#"):
            above -= 1
        comment = "".join(lines[above:start])
        group = load_plain(lines[start].split("-", 1)[1]) if "-" in lines[start] else None
        for word in group if isinstance(group, list) else []:
            comments.setdefault(str(word), comment)
    out = [_leading(original, "groups"), "groups:\n"]
    for group in groups:
        comment = next((comments[w] for w in group if w in comments), "")
        out.append(comment + f"  - {_flow(group)}\n")
    ignore_at = key_lines(original).get("ignore")
    if ignore_at is not None:
        above = ignore_at - 1
        while above > 0 and lines[above - 1].lstrip().startswith("#"):
            above -= 1
        out.append("\n" + "".join(lines[above : ignore_at - 1]))
    out.append(f"ignore: {_flow(ignore)}\n")
    return "".join(out)


def synonyms_problems(text: str, problems: list[Problem]) -> dict[int | str, list[str]]:
    """Problems by group index, "ignore", or "" for the file as a whole."""
    by_line: dict[int, int | str] = {}
    for index, where in enumerate(item_lines(text, "groups")):
        by_line[where[""]] = index
    if "ignore" in key_lines(text):
        by_line[key_lines(text)["ignore"]] = "ignore"
    found: dict[int | str, list[str]] = {}
    for problem in problems:
        found.setdefault(by_line.get(problem.line, ""), []).append(problem.message)
    return found
