"""Knowledge-base fixtures: one strict build per session, served like the kiosk serves it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from kb_serve import serve  # noqa: E402

PREFIX = "/kb/"


@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the built site directory
    url: str  # where it is served, ending in /kb/
    log: str  # mkdocs' output


def run_build(site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KB_SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """Start the server first (so the port is known), then build with that URL for the QR codes."""
    root = tmp_path_factory.mktemp("kb-site")
    server = serve(root, PREFIX)
    url = f"http://127.0.0.1:{server.server_port}{PREFIX}"
    result = run_build(root, url)
    assert result.returncode == 0, result.stderr
    yield BuiltSite(root, url, result.stderr)
    server.shutdown()


def page_urls(site: BuiltSite) -> list[str]:
    """Every HTML page of the built site, as a path under the site root ('' is the home page)."""
    pages = []
    for html in sorted(site.root.rglob("index.html")):
        rel = html.parent.relative_to(site.root).as_posix()
        pages.append("" if rel == "." else f"{rel}/")
    return pages
