"""YAML read as plain data, and the line each key sits on, so messages can say where."""

from __future__ import annotations

import yaml


class PlainLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates and times as strings, so a bad date is reported, not raised."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_plain(text: str) -> object:
    """Parse YAML safely (PlainLoader only builds plain Python types)."""
    return yaml.load(text, Loader=PlainLoader)  # noqa: S506 - a SafeLoader subclass


def key_lines(text: str) -> dict[str, int]:
    """Map each top-level YAML key to its 1-based line within text."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}


def item_lines(text: str, key: str) -> list[dict[str, int]]:
    """For a top-level key holding a list, map each item's keys to lines ("" is the item)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, value in node.value:
        if getattr(k, "value", None) != key or not isinstance(value, yaml.SequenceNode):
            continue
        result = []
        for item in value.value:
            lines = {"": item.start_mark.line + 1}
            if isinstance(item, yaml.MappingNode):
                lines.update({ik.value: ik.start_mark.line + 1 for ik, _ in item.value})
            result.append(lines)
        return result
    return []
