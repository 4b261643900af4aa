"""MkDocs hooks: fill generated sections from docs/data/*.yml, add a QR code to every page,
and rewrite the search index (synonyms, hidden keywords, UTF-8; see search_index.py).

Pages ask for generated content with a marker line such as ``<!-- kb:stations -->``.
MkDocs loads these through mkdocs_hooks.py at the project root, named in mkdocs.yml.
"""

from __future__ import annotations

import logging
import posixpath
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kiosk import settings
from kiosk.kb import render, search_index, search_worker, synonyms
from kiosk.kb.check import check_pocket
from kiosk.kb.pages import read_page
from kiosk.kb.schema import BENEFIT_SECTIONS, POCKET_FIELD

# A warning under the "mkdocs" logger fails a strict build; `kb build` also shows its infos.
log = logging.getLogger("mkdocs.plugins.kb")
# `flask --app kiosk kb build` puts the app's KIOSK_ENV here; `mkdocs build` has none.
ENV_KEY = "kiosk_env"

_data: dict[str, Any] = {}
_files: Files | None = None
_nav_order: list[str] = []


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    data_dir = Path(config.docs_dir) / "data"
    _data["local"] = render.load_yaml(data_dir / "local.yml")
    _data["stations"] = render.load_yaml(data_dir / "stations.yml").get("stations") or []
    _data["sessions"] = render.load_yaml(data_dir / "schedule.yml").get("sessions") or []
    words, problems = synonyms.load(data_dir)
    for problem in problems:
        log.warning("data/%s:%d: %s", synonyms.FILE, problem.line, problem.message)
    _data["search_words"] = words
    require_local_details(environment(config))
    return config


def environment(config: MkDocsConfig) -> str:
    """development or production: from `kb build`, else the KIOSK_ENV variable."""
    return config.extra.get(ENV_KEY) or settings.environ_value("ENV")


def require_local_details(env: str) -> None:
    """The privacy notice names the union and a deletion contact; production insists."""
    missing = render.missing_for_production(_data["local"])
    if not missing:
        return
    what = "、".join(missing)
    if env == "production":
        raise PluginError(
            f"docs/data/local.yml 还没有填写 {what}。"
            "生产环境（KIOSK_ENV=production）要填好以后才能生成网站，隐私说明才完整"
        )
    log.info(
        "开发环境提示：docs/data/local.yml 还没有填写 %s，隐私说明里暂时不显示。"
        "生产环境（KIOSK_ENV=production）会拒绝生成网站",
        what,
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _files
    _files = files
    return files


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    """Remember the nav order, so generated lists follow the order editors chose."""
    _nav_order[:] = [page.file.src_uri for page in nav.pages]
    return nav


def nav_position(src_uri: str) -> tuple[int, str]:
    order = _nav_order.index(src_uri) if src_uri in _nav_order else len(_nav_order)
    return order, src_uri


def pages_of_type(kind: str, docs_dir: str) -> list[tuple[str, Path]]:
    """(src_uri, path) of every page whose front matter says type: kind, in nav order."""
    found = []
    for file in _files.documentation_pages() if _files else []:
        path = Path(docs_dir) / file.src_uri
        if read_page(path).meta.get("type") == kind:
            found.append((file.src_uri, path))
    return sorted(found, key=lambda item: nav_position(item[0]))


def page_list(kind: str, page: Page, docs_dir: str) -> str:
    """A bulleted list linking to every page of a type, with its one-line summary."""
    here = posixpath.dirname(page.file.src_uri)
    lines = []
    for src_uri, path in pages_of_type(kind, docs_dir):
        meta = read_page(path).meta
        link = posixpath.relpath(src_uri, here or ".")
        lines.append(f"- [**{meta.get('title', path.stem)}**]({link})：{meta.get('summary', '')}")
    return "\n".join(lines)


def pocket(page: Page, docs_dir: str) -> str:
    """The pocket guide: every benefit page, with the sections the guide's front matter names."""
    for problem in check_pocket(read_page(Path(docs_dir) / page.file.src_uri)):
        log.warning("%s:%d: %s", page.file.src_uri, problem.line, problem.message)
    names = [name for name in page.meta.get(POCKET_FIELD) or [] if name in BENEFIT_SECTIONS]
    return render.pocket_markdown([p for _, p in pages_of_type("benefit", docs_dir)], names)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    docs_dir = config.docs_dir
    generators = {
        "contact": lambda: render.contact_block(_data["local"]),
        "controller": lambda: render.controller_block(_data["local"]),
        "deletion": lambda: render.deletion_block(_data["local"]),
        "stations": lambda: render.stations_markdown(_data["stations"]),
        "schedule": lambda: render.schedule_markdown(_data["sessions"], datetime.now(UTC)),
        "pocket": lambda: pocket(page, docs_dir),
        "benefit-list": lambda: page_list("benefit", page, docs_dir),
        "policy-list": lambda: page_list("policy", page, docs_dir),
        "sources": lambda: render.sources_block(page.meta),
    }
    return render.expand(markdown, generators)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> Any:
    """Give the template an SVG QR code of this page's public URL."""
    if page.canonical_url:
        context["kb_qr"] = render.qr_svg(page.canonical_url)
        context["kb_url"] = page.canonical_url
    return context


@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """After Material's search plugin has written the index: fit the index and the worker
    to what riders type (search_index.py, search_worker.py)."""
    site_dir = Path(config.site_dir)
    path = site_dir / "search" / "search_index.json"
    if not path.exists():
        return
    words = _data["search_words"]
    raw = path.read_text(encoding="utf-8")
    path.write_text(search_index.rewrite(raw, words.groups), encoding="utf-8")
    problem = search_worker.patch(site_dir, words.ignore)
    if problem:
        log.warning(problem)
