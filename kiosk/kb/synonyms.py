"""Search words from docs/data/synonyms.yml: synonym groups, and the words search skips.

``groups`` is a list of lists: words a reader may type for one thing. ``ignore`` lists the
words riders wrap around a question (怎么, 如何, 吗 …), which say nothing about what they
look for. Words are read as the text staff typed, so 12356 needs no quotes and 010 stays 010.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kiosk.kb.problems import Problem, error

FILE = "synonyms.yml"
EXAMPLE = "[车祸, 交通事故]"
NULL = "tag:yaml.org,2002:null"  # null or ~: YAML's "nothing here"


@dataclass
class SearchWords:
    groups: list[list[str]] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


def _key(root: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    return next((v for k, v in root.value if getattr(k, "value", None) == name), None)


def _word(node: yaml.Node, where: str, seen: dict[str, str], problems: list[Problem]) -> str | None:
    """The word a list item holds, or None after recording why it cannot be used."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode):
        problems.append(error(line, f"{where}要写成文字"))
        return None
    word = "" if node.tag == NULL else node.value.strip()
    if not word:
        problems.append(error(line, f"{where}是空的"))
    elif word in seen:
        problems.append(error(line, f"“{word}”已经在{seen[word]}里，同一个词只能写一次"))
    else:
        return word
    return None


def read(text: str) -> tuple[SearchWords, list[Problem]]:
    """The words in a synonyms file, and every problem with them, each on its line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return SearchWords(), [error(line, f"YAML 格式错误：{getattr(exc, 'problem', exc)}")]
    words, problems = SearchWords(), []
    seen: dict[str, str] = {}
    node = _key(root, "groups")
    if not isinstance(node, yaml.SequenceNode):
        line = node.start_mark.line + 1 if node is not None else 1
        problems.append(error(line, f"缺少 groups 列表：每组同义词写成一行，例如 - {EXAMPLE}"))
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, yaml.SequenceNode):
            problems.append(
                error(
                    item.start_mark.line + 1,
                    f"第 {number} 组要写成方括号里的几个词，例如 {EXAMPLE}",
                )
            )
            continue
        group = []
        for position, value in enumerate(item.value, start=1):
            word = _word(value, f"第 {number} 组第 {position} 个词", seen, problems)
            if word:
                seen[word] = f"第 {number} 组"
                group.append(word)
        if len(item.value) < 2:
            problems.append(
                error(
                    item.start_mark.line + 1,
                    f"第 {number} 组只有 {len(item.value)} 个词，每组至少两个",
                )
            )
        elif len(group) >= 2:
            words.groups.append(group)
    node = _key(root, "ignore")
    if node is not None and not isinstance(node, yaml.SequenceNode):
        problems.append(error(node.start_mark.line + 1, "ignore 要写成方括号里的几个词"))
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    for position, value in enumerate(items, start=1):
        word = _word(value, f"ignore 的第 {position} 个词", seen, problems)
        if word:
            seen[word] = "ignore"
            words.ignore.append(word)
    return words, problems


def load(data_dir: Path) -> tuple[SearchWords, list[Problem]]:
    """The usable words of data_dir/synonyms.yml (none if it is missing), and its problems."""
    path = data_dir / FILE
    if not path.exists():
        return SearchWords(), []
    return read(path.read_text(encoding="utf-8"))
