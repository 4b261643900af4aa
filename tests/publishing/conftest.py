"""Publishing fixtures: a published-sites folder with hand-made builds, and a content folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.publishing import sites

ROOT = Path(__file__).resolve().parents[2]


def make_build(sites_dir: Path, build_id: str, text: str, **meta: object) -> Path:
    """A complete little site: what a build leaves, without running a generator."""
    path = sites_dir / sites.BUILDS / build_id
    path.mkdir(parents=True)
    (path / "index.html").write_text(f"<h1>{text}</h1>", encoding="utf-8")
    (path / "404.html").write_text("<h1>找不到这个页面</h1>", encoding="utf-8")
    sites.write_meta(path, {"published_at": "2026-12-01T02:00:00+00:00", **meta})
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of docs/ with mkdocs.yml and the hook file beside it: a movable content folder."""
    project = tmp_path / "content"
    shutil.copytree(ROOT / "docs", project / "docs")
    (project / "docs" / "data" / "schedule.yml").unlink(missing_ok=True)
    for name in ("mkdocs.yml", "mkdocs_hooks.py"):
        shutil.copy(ROOT / name, project / name)
    return project / "docs"


@pytest.fixture
def app(database_url: str, tmp_path: Path, content: Path):
    """The app publishing the `content` copy into tmp_path/sites; /kb/ serves sites/current."""
    from kiosk import create_app
    from kiosk.extensions import db
    from tests.conftest import base_config, truncate_all

    app = create_app(
        base_config(database_url, DOCS_DIR=str(content), SITES_DIR=str(tmp_path / "sites"))
    )
    if database_url.startswith("postgresql"):
        truncate_all(app)
    yield app
    with app.app_context():
        db.engine.dispose()
