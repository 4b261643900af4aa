"""Knowledge-base fixtures: one strict build per session, served like the kiosk serves it,
and the `flask --app kiosk kb …` commands in process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner

from kiosk import create_app
from kiosk.kb.serve import serve
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "/kb/"


@dataclass(frozen=True)
class BuiltSite:
    root: Path  # the built site directory
    url: str  # where it is served, ending in /kb/
    log: str  # mkdocs' output


def run_build(site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    """`flask --app kiosk kb build`, as the README publishes the site."""
    command = ["kb", "build", "--site-dir", str(site_dir), "--site-url", site_url]
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "kiosk", *command],
        cwd=ROOT,
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
    assert result.returncode == 0, result.stdout + result.stderr
    yield BuiltSite(root, url, result.stdout + result.stderr)
    server.shutdown()


@pytest.fixture
def kb_cli() -> FlaskCliRunner:
    """Runs `flask --app kiosk kb …`; these commands touch files only, never the database."""
    return create_app(base_config("sqlite://")).test_cli_runner()


def page_urls(site: BuiltSite) -> list[str]:
    """Every HTML page of the built site, as a path under the site root ('' is the home page)."""
    pages = []
    for html in sorted(site.root.rglob("index.html")):
        rel = html.parent.relative_to(site.root).as_posix()
        pages.append("" if rel == "." else f"{rel}/")
    return pages
