"""Every error is a Chinese page in the kiosk's look, JSON under /api/, the site's own 404
under /kb/; Werkzeug's English pages never reach anyone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from kiosk import create_app, privacy, tablets
from kiosk.errors import PAGES
from kiosk.extensions import limiter
from tests.conftest import PASSWORD, World, base_config, bind_tablet

ENGLISH = re.compile(
    r"Not Found|Method Not Allowed|Bad Request|Forbidden|Internal Server Error|Too Many"
    r"|Entity Too Large|Content Too Large|Service Unavailable|The requested URL|CSRF|per \d"
)
HAN = "[\u3400-\u9fff]"
ASCII_PUNCTUATION_BY_HAN = re.compile(rf"{HAN}[,.!?;:()]|[,!?;:()]{HAN}")
HEADINGS = {
    400: "请求无法处理",
    403: "没有权限打开这个页面",
    404: "找不到这个页面",
    405: "不能这样打开这个页面",
    413: "提交的内容太多了",
    429: "操作太频繁了",
    500: "服务器出错了",
    503: "服务暂时不可用",
}


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_chinese_page(response: TestResponse, code: int) -> None:
    assert response.status_code == code
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    text = visible_text(html)
    assert HEADINGS[code] in text
    assert ENGLISH.search(text) is None, ENGLISH.search(text)
    assert ASCII_PUNCTUATION_BY_HAN.search(text) is None, ASCII_PUNCTUATION_BY_HAN.search(text)
    assert 'href="/static/css/app.css"' in html  # the kiosk's look


def assert_json(response: TestResponse, code: int) -> None:
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body, dict) and ("error" in body or "errors" in body)


@pytest.fixture
def quiet(app: Flask) -> Flask:
    """An uncaught exception becomes the 500 page, as in production, instead of a raise."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


# --- each code where it really happens -----------------------------------------------


def _as(client: FlaskClient, username: str) -> None:
    client.post("/admin/login", data={"username": username, "password": PASSWORD})


HTML_CASES: dict[int, Callable[[Flask, FlaskClient, World], TestResponse]] = {
    400: lambda app, c, w: (_as(c, "staff"), c.post("/admin/signups/export", data={"format": "x"}))[
        1
    ],
    403: lambda app, c, w: (_as(c, "outsider"), c.get("/admin/orgs"))[1],
    404: lambda app, c, w: c.get("/s/doesnotexist"),
    405: lambda app, c, w: c.put("/privacy"),
    413: lambda app, c, w: c.post(f"/s/{w.session_code}", data={"name": "张" * 20_000}),
    500: lambda app, c, w: c.get("/privacy"),
    503: lambda app, c, w: (
        app.config.update(ENV="production", PUBLIC_BASE_URL=None),
        bind_tablet(app, c, w.session_code),
        c.get("/kiosk/"),
    )[2],
}

API_CASES: dict[int, Callable[[Flask, FlaskClient, World], TestResponse]] = {
    400: lambda app, c, w: c.post("/api/signups", data=b"{", content_type="application/json"),
    403: lambda app, c, w: c.post("/api/signups", json={}),
    404: lambda app, c, w: c.get("/api/nothing-here"),
    405: lambda app, c, w: c.get("/api/signups"),
    413: lambda app, c, w: c.post(
        "/api/signups", data=b"{" + b" " * 20_000 + b"}", content_type="application/json"
    ),
    500: lambda app, c, w: c.post("/api/attention", json={}),
}


@pytest.mark.parametrize("code", sorted(HTML_CASES))
def test_html_routes_answer_in_chinese(
    quiet: Flask, client: FlaskClient, world: World, monkeypatch, code: int
) -> None:
    if code == 500:
        monkeypatch.setattr(privacy, "notice_html", lambda: 1 / 0)
    assert_chinese_page(HTML_CASES[code](quiet, client, world), code)


@pytest.mark.parametrize("code", sorted(API_CASES))
def test_api_routes_answer_json(
    quiet: Flask, client: FlaskClient, world: World, monkeypatch, code: int
) -> None:
    if code == 500:
        monkeypatch.setattr(tablets, "current_binding", lambda: 1 / 0)
    assert_json(API_CASES[code](quiet, client, world), code)


def test_an_expired_form_says_so(app: Flask, client: FlaskClient) -> None:
    """A CSRF failure is a 400 that tells the person what to do: reload and submit again."""
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/kiosk/setup", data={"username": "staff"})
    assert response.status_code == 400
    assert "页面已经过期" in response.text and "请刷新页面" in response.text
    assert ENGLISH.search(visible_text(response.text)) is None


def test_429_on_the_phone_form_and_its_api_twin(database_url: str, world: World) -> None:
    limited = create_app(base_config(database_url, RATELIMIT_ENABLED=True))
    limiter.reset()
    client = limited.test_client()
    for _ in range(10):
        client.post(f"/s/{world.session_code}", data={"name": ""})
    response = client.post(f"/s/{world.session_code}", data={"name": ""})
    assert_chinese_page(response, 429)
    assert "Retry-After" in response.headers


def test_503_everywhere_with_the_default_secret(database_url: str) -> None:
    """The refusal to serve with the published secret is a Chinese page, and JSON for the API."""
    refusing = create_app({**base_config(database_url), "TESTING": False, "SECRET_KEY": "dev"})
    client = refusing.test_client()
    assert_chinese_page(client.get("/kiosk/setup"), 503)
    assert_json(client.get("/api/health"), 503)


def test_405_keeps_its_allow_header(client: FlaskClient) -> None:
    for path in ("/privacy", "/api/signups"):
        response = client.delete(path)
        assert (
            response.status_code == 405
            and "GET" in response.headers["Allow"]
            or "POST" in (response.headers["Allow"])
        )


# --- every code, on both kinds of route -----------------------------------------------


@pytest.fixture
def aborting(quiet: Flask) -> Flask:
    """Routes that fail with any given code, under /api/ and elsewhere."""
    quiet.add_url_rule("/fail/<int:code>", "fail", lambda code: abort(code))
    quiet.add_url_rule("/api/fail/<int:code>", "api_fail", lambda code: abort(code))
    return quiet


@pytest.mark.parametrize("code", PAGES)
def test_every_code_has_its_page_and_its_json(aborting: Flask, code: int) -> None:
    client = aborting.test_client()
    assert_chinese_page(client.get(f"/fail/{code}"), code)
    assert_json(client.get(f"/api/fail/{code}"), code)
    client.set_cookie("lang", "en")
    english = client.get(f"/fail/{code}")
    assert english.status_code == code
    assert re.search(HAN, visible_text(english.get_data(as_text=True)).replace("中文", "")) is None


@pytest.mark.parametrize(("code", "shown"), [(409, 400), (410, 400), (501, 500), (502, 500)])
def test_other_codes_borrow_their_class_page(aborting: Flask, code: int, shown: int) -> None:
    response = aborting.test_client().get(f"/fail/{code}")
    assert response.status_code == code
    assert HEADINGS[shown] in response.get_data(as_text=True)


def test_a_chinese_description_is_shown_an_english_one_is_not(aborting: Flask) -> None:
    aborting.add_url_rule("/said", "said", lambda: abort(404, description="知识库尚未构建。"))
    aborting.add_url_rule("/english", "english", lambda: abort(404, description="Gone away"))
    client = aborting.test_client()
    assert "知识库尚未构建。" in client.get("/said").text
    assert "Gone away" not in client.get("/english").text


# --- the knowledge base ---------------------------------------------------------------


def test_kb_serves_the_built_sites_404_page(app: Flask, client: FlaskClient) -> None:
    site = Path(app.config["KB_DIR"])
    (site / "benefits").mkdir(parents=True)
    (site / "index.html").write_text("<h1>首页</h1>", "utf-8")
    (site / "404.html").write_text("<h1>找不到这个页面</h1><p>知识库的样子</p>", "utf-8")
    for path in ("/kb/nothing-here/", "/kb/benefits/missing.html", "/kb/%2e%2e/outside"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "知识库的样子" in response.text


def test_kb_without_a_published_site_says_how_to_publish_it(client: FlaskClient) -> None:
    response = client.get("/kb/")
    assert_chinese_page(response, 404)
    assert "知识库还没有发布" in response.text
    assert "flask --app kiosk kb publish" in response.text
