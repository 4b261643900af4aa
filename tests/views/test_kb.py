"""The knowledge base is served by the kiosk itself under /kb/."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient


def build_fake_site(root: Path) -> None:
    (root / "benefits" / "health-check").mkdir(parents=True)
    (root / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (root / "benefits" / "health-check" / "index.html").write_text("<h1>免费体检</h1>", "utf-8")


def test_missing_site_is_a_clear_404(client: FlaskClient) -> None:
    response = client.get("/kb/")
    assert response.status_code == 404
    assert "知识库还没有发布" in response.text
    assert "flask --app kiosk kb publish" in response.text


def test_serves_pages_and_directories(app: Flask, client: FlaskClient) -> None:
    build_fake_site(Path(app.config["KB_DIR"]))
    assert "首页" in client.get("/kb/").text
    assert client.get("/kb").headers["Location"] == "/kb/"
    assert client.get("/kb/benefits/health-check").headers["Location"] == (
        "/kb/benefits/health-check/"
    )
    assert "免费体检" in client.get("/kb/benefits/health-check/").text


def test_cannot_escape_the_site_directory(app: Flask, client: FlaskClient) -> None:
    build_fake_site(Path(app.config["KB_DIR"]))
    (Path(app.config["KB_DIR"]).parent / "secret.txt").write_text("secret")
    assert client.get("/kb/../secret.txt").status_code == 404
    assert client.get("/kb/%2e%2e/secret.txt").status_code == 404


def test_kb_pages_are_first_party_only(app: Flask, client: FlaskClient) -> None:
    build_fake_site(Path(app.config["KB_DIR"]))
    csp = client.get("/kb/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "http" not in csp


@pytest.mark.parametrize(
    "path",
    [
        "/kb/../outside",
        "/kb/%2e%2e/outside",
        "/kb/..%2Foutside",
        "/kb/benefits/../../outside",
        "/kb/%2e%2e/outside/",
        "/kb/%2e%2e/secret.txt",
        "/kb/..\\outside",
    ],
)
def test_any_path_leaving_the_site_is_404_whether_or_not_it_exists(
    app: Flask, client: FlaskClient, path: str
) -> None:
    """A 302 for an existing directory and a 404 otherwise would map the disk outside."""
    site = Path(app.config["KB_DIR"])
    build_fake_site(site)
    answers = []
    for exists in (False, True):
        if exists:
            (site.parent / "outside").mkdir()
            (site.parent / "secret.txt").write_text("secret")
        response = client.get(path)
        answers.append((response.status_code, response.headers.get("Location")))
    assert answers == [(404, None), (404, None)]
