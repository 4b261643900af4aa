"""The editor's live preview: a page's Markdown rendered with the site's own extensions.

The extensions and their options are read from mkdocs.yml by MkDocs itself, so the
preview renders tables, admonitions and heading anchors exactly as the built page does.
Generated blocks that only need the page and local.yml (sources, contact) are filled
in; the others show a note saying what the built page will put there.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import load_config

from kiosk.kb import files, render

_lock = threading.Lock()  # a Markdown instance is not thread-safe; waitress serves in threads

PLACEHOLDERS = {
    "stations": "服务站点列表",
    "schedule": "沟通会日程",
    "pocket": "口袋书内容",
    "benefit-list": "权益页面列表",
    "policy-list": "政策解读列表",
    "controller": "负责处理信息的工会",
    "deletion": "删除信息的联系方式",
}


@lru_cache(maxsize=2)
def _converter(config_file: str, modified: float) -> markdown.Markdown:
    """One converter per version of mkdocs.yml (loading it takes a moment: once is enough)."""
    config = load_config(config_file)
    return markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )


def to_html(body: str, meta: dict[str, Any], config_file: Path) -> str:
    """HTML of a page body as the site renders it."""
    local = render.load_yaml(files.docs_dir() / "data" / "local.yml")
    generators = {
        "sources": lambda: render.sources_block(meta),
        "contact": lambda: render.contact_block(local),
        **{
            name: (lambda label=label: f'<p class="kb-generated">（这里会自动生成：{label}）</p>')
            for name, label in PLACEHOLDERS.items()
        },
    }
    text = render.expand(body, generators)
    converter = _converter(str(config_file), config_file.stat().st_mtime)
    with _lock:
        converter.reset()
        return converter.convert(text)
