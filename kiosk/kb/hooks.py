"""MkDocs hooks: stage the content when MkDocs is run by hand, and fit the search to riders.

The generated parts of pages are written by the staging step (stage.py) before any
generator runs. `flask --app kiosk kb build` and publishing stage first and hand MkDocs
the staged folder; a plain `mkdocs build` or `mkdocs serve` (staff preview) has the hook
stage docs/ into a temporary folder itself. After Material's search plugin has written
its index, the index and worker are rewritten (synonyms, hidden keywords, UTF-8; see
search_index.py): that part is MkDocs-only. MkDocs loads these through mkdocs_hooks.py.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from kiosk import settings
from kiosk.kb import render, search_index, search_worker, stage, synonyms

# A warning under the "mkdocs" logger fails a strict build; `kb build` also shows its infos.
log = logging.getLogger("mkdocs.plugins.kb")
# `flask --app kiosk kb build` puts the app's KIOSK_ENV here; `mkdocs build` has none.
ENV_KEY = "kiosk_env"

_data: dict[str, Any] = {}
# Staging folders of `mkdocs serve`, removed when the process ends.
_temporary: list[tempfile.TemporaryDirectory[str]] = []


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    docs_dir = Path(config.docs_dir)
    problems = stage.staged_problems(docs_dir)
    if problems is None:
        docs_dir, problems = stage_for_mkdocs(config)
    for problem in problems:
        log.warning(problem)
    words, _ = synonyms.load(docs_dir / "data")
    _data["search_words"] = words
    require_local_details(render.load_yaml(docs_dir / "data" / "local.yml"), environment(config))
    return config


def stage_for_mkdocs(config: MkDocsConfig) -> tuple[Path, list[str]]:
    """`mkdocs build`/`serve` on docs/: stage into a temporary folder and build that."""
    source = Path(config.docs_dir)
    holder = tempfile.TemporaryDirectory(prefix="kb-stage-")
    _temporary.append(holder)
    staged = stage.stage(
        source,
        Path(holder.name) / "docs",
        config_file=Path(config.config_file_path),
        site_url=config.site_url or "",
    )
    config.docs_dir = str(staged.docs_dir)
    # `mkdocs serve` still reloads when an editor saves a page in docs/.
    config.watch.append(str(source))
    return staged.docs_dir, staged.problems


def environment(config: MkDocsConfig) -> str:
    """development or production: from `kb build`, else the KIOSK_ENV variable."""
    return config.extra.get(ENV_KEY) or settings.environ_value("ENV")


def require_local_details(local: dict[str, Any], env: str) -> None:
    """The privacy notice names the union and a deletion contact; production insists."""
    problem = local_details_problem(local, env)
    if problem and env == "production":
        raise PluginError(problem)
    if problem:
        log.info(problem)


def local_details_problem(local: dict[str, Any], env: str) -> str | None:
    """What is missing from local.yml, said for production (refused) or development (a note)."""
    missing = render.missing_for_production(local)
    if not missing:
        return None
    what = "、".join(missing)
    if env == "production":
        return (
            f"docs/data/local.yml 还没有填写 {what}。"
            "生产环境（KIOSK_ENV=production）要填好以后才能生成网站，隐私说明才完整"
        )
    return (
        f"开发环境提示：docs/data/local.yml 还没有填写 {what}，隐私说明里暂时不显示。"
        "生产环境（KIOSK_ENV=production）会拒绝生成网站"
    )


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
