"""mkdocs.yml read without MkDocs: the site address, the docs folder and the navigation order.

The staging step (stage.py) runs before any site generator, so it cannot ask MkDocs for
its configuration. mkdocs.yml carries MkDocs' own YAML tags (`!ENV`, `!!python/...`);
this loader reads `!ENV` as MkDocs does and leaves every other tag as nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from flask import Flask

from kiosk.settings import PROJECT_ROOT


class _Loader(yaml.SafeLoader):
    """SafeLoader that understands !ENV and ignores the tags only MkDocs can build."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV [NAME, default]` or `!ENV NAME`: the first variable that is set, else the default."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    items = loader.construct_sequence(node)  # type: ignore[arg-type]
    *names, default = items
    for name in names:
        if os.environ.get(str(name)) is not None:
            return os.environ[str(name)]
    return default


def _ignored(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignored)
_Loader.add_multi_constructor("!", _ignored)


def load(config_file: Path) -> dict[str, Any]:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    return data if isinstance(data, dict) else {}


def docs_dir(config_file: Path) -> Path:
    """The folder the config names as docs_dir, relative to the config file."""
    return (config_file.parent / str(load(config_file).get("docs_dir") or "docs")).resolve()


def site_url(config_file: Path) -> str:
    return str(load(config_file).get("site_url") or "")


def nav_order(config_file: Path) -> list[str]:
    """Every page the navigation names, in the order readers see them."""
    found: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, str) and item.endswith(".md"):
            found.append(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(load(config_file).get("nav") or [])
    return found


def config_file(app: Flask) -> Path:
    """mkdocs.yml beside the content folder (it moves with it), else the checkout's."""
    beside = Path(app.config["DOCS_DIR"]).parent / "mkdocs.yml"
    return beside if beside.is_file() else PROJECT_ROOT / "mkdocs.yml"
