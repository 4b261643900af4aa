"""The published site's address: from settings only; production refuses local addresses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.publishing.address import AddressRefused, local_only, site_address
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "mkdocs.yml"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000/kb/", True),
        ("http://localhost/kb/", True),
        ("http://192.168.1.20:8000/kb/", True),
        ("http://10.0.0.5/kb/", True),
        ("http://172.16.3.4/kb/", True),
        ("http://169.254.1.1/kb/", True),
        ("http://[::1]/kb/", True),
        ("https://kb.example.org/kb/", False),
        ("http://203.0.113.9/kb/", True),  # documentation range: reserved, not public
        ("http://8.8.8.8/kb/", False),
    ],
)
def test_local_only(url: str, expected: bool) -> None:
    assert local_only(url) is expected


def app_with(**config: object):
    settings = {"PUBLIC_BASE_URL": None, **config}
    return create_app(base_config("sqlite://", **settings))


def test_production_refuses_without_an_address() -> None:
    with pytest.raises(AddressRefused, match="没有设置网站的公开网址：请设置 KIOSK_PUBLIC"):
        site_address(app_with(ENV="production"), CONFIG)


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "http://192.168.1.20:8000"])
def test_production_refuses_a_local_address(base: str) -> None:
    with pytest.raises(AddressRefused, match="生产环境不允许发布"):
        site_address(app_with(ENV="production", PUBLIC_BASE_URL=base), CONFIG)


def test_production_takes_the_public_base() -> None:
    address = site_address(app_with(ENV="production", PUBLIC_BASE_URL="https://gh.example"), CONFIG)
    assert address.url == "https://gh.example/kb/"
    assert address.calendar_url == "https://gh.example/calendar/sessions.ics"
    assert address.warning is None


def test_kb_public_url_wins_for_the_site() -> None:
    app = app_with(PUBLIC_BASE_URL="https://gh.example", KB_PUBLIC_URL="https://kb.example/x")
    address = site_address(app, CONFIG)
    assert address.url == "https://kb.example/x/"
    assert address.calendar_url == "https://gh.example/calendar/sessions.ics"


def test_development_warns_and_falls_back_to_mkdocs_yml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_SITE_URL", raising=False)
    address = site_address(app_with(), CONFIG)
    assert address.url == "http://127.0.0.1:8000/kb/"
    assert address.calendar_url == "http://127.0.0.1:8000/calendar/sessions.ics"
    assert address.warning.startswith("开发环境提示：网站的公开网址 http://127.0.0.1:8000/kb/")
