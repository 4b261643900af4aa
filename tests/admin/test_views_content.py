"""网站内容: content editors edit pages in the browser; saving checks, keeps revisions,
never overwrites another editor's save, and writes only checked text to DOCS_DIR."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.kb import files, revisions
from tests.admin.conftest import audit_events
from tests.admin.content_support import (
    PAGE,
    ROOT,
    copy_docs,
    editor_form,
    make_content_editor,
    revisions_of,
)
from tests.conftest import AuthActions, World


@pytest.fixture
def docs(app: Flask, tmp_path: Path) -> Path:
    return copy_docs(app, tmp_path)


@pytest.fixture
def editor(app: Flask, client: FlaskClient, auth: AuthActions, world: World, docs: Path):
    """`client` logged in as 瀛海镇 staff who also holds 内容编辑."""
    make_content_editor(app)
    assert auth.login("staff").status_code == 302
    return client


def _sha(docs: Path, rel: str = PAGE) -> str:
    return files.sha((docs / rel).read_text(encoding="utf-8"))


GETS = [
    "/admin/content/",
    f"/admin/content/edit/{PAGE}",
    f"/admin/content/history/{PAGE}",
    "/admin/content/new",
    "/admin/content/data/stations",
    "/admin/content/data/local",
    "/admin/content/data/synonyms",
]
POSTS = [
    f"/admin/content/edit/{PAGE}",
    "/admin/content/preview",
    "/admin/content/new",
    "/admin/content/data/stations",
    "/admin/content/data/local",
    "/admin/content/data/synonyms",
]


@pytest.mark.parametrize("url", GETS)
def test_pages_open_for_content_editors_and_admins(app, client, auth, world, docs, url):
    make_content_editor(app)
    auth.login("staff")
    assert client.get(url).status_code == 200
    auth.logout()
    auth.login("admin")  # admins hold the role without it being granted
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", GETS)
def test_staff_without_the_role_get_403(client, auth, world, docs, url):
    auth.login("staff")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", POSTS)
def test_posts_refused_without_the_role(client, auth, world, docs, url):
    before = (docs / PAGE).read_text(encoding="utf-8")
    auth.login("outsider")
    assert client.post(url, data={"body": "x", "base_sha": ""}).status_code == 403
    assert (docs / PAGE).read_text(encoding="utf-8") == before


@pytest.mark.parametrize("url", GETS + POSTS)
def test_anonymous_is_sent_to_login(client, world, docs, url):
    response = client.post(url) if url in POSTS and "edit" not in url else client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


def test_menu_shows_content_only_to_those_who_may_edit(app, client, auth, world, docs):
    auth.login("staff")
    assert ">网站内容</a>" not in client.get("/admin/").get_data(as_text=True)
    auth.logout()
    make_content_editor(app)
    auth.login("staff")
    assert ">网站内容</a>" in client.get("/admin/").get_data(as_text=True)


def test_page_list(app, editor, docs):
    page = docs / "benefits" / "haircut.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("reviewed: 2026-", "reviewed: 2020-", 1),
        encoding="utf-8",
    )
    html = editor.get("/admin/content/").get_data(as_text=True)
    assert "免费体检" in html and "会员权益" in html and "2026-11-21" in html
    assert html.count("超过 12 个月未核对") == 1
    for label in ("服务站点", "本地信息", "搜索同义词"):
        assert label in html
    assert "templates/" not in html  # templates are not pages


def test_saving_a_checked_page_writes_it_and_keeps_revisions(app, editor, docs):
    original = (docs / PAGE).read_text(encoding="utf-8")
    form = editor_form(original, _sha(docs), summary="工会为会员组织免费体检。")
    response = editor.post(f"/admin/content/edit/{PAGE}", data=form)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/content/edit/{PAGE}"
    saved = (docs / PAGE).read_text(encoding="utf-8")
    assert "summary: 工会为会员组织免费体检。\n" in saved
    assert "tags: [体检]  # 搜索关键词\n" in saved  # front matter the form does not show
    baseline, edit = revisions_of(app, PAGE)
    assert (baseline.action, baseline.text, baseline.author_name) == ("baseline", original, None)
    assert (edit.action, edit.text, edit.author_name, edit.is_draft) == (
        "edit",
        saved,
        "staff",
        False,
    )
    assert [e.detail["path"] for e in audit_events(app, "content_save")] == [PAGE]
    history = editor.get(f"/admin/content/history/{PAGE}").get_data(as_text=True)
    assert "编辑" in history and "原有内容" in history and "staff" in history


def test_broken_front_matter_is_kept_as_a_draft_never_written(app, editor, docs):
    original = (docs / PAGE).read_text(encoding="utf-8")
    body = original.split("---\n", 2)[2] + "\n新加的一段话。\n"
    form = editor_form(original, _sha(docs), reviewed="2026-13-45", body=body)
    response = editor.post(f"/admin/content/edit/{PAGE}", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "reviewed 日期“2026-13-45”不对，应写成 YYYY-MM-DD" in html
    assert 'id="f-reviewed"' in html and 'class="field has-error" id="f-reviewed"' in html
    assert "新加的一段话。" in html  # what was typed is still in the form
    assert 'value="2026-13-45"' in html
    assert (docs / PAGE).read_text(encoding="utf-8") == original
    draft = revisions_of(app, PAGE)[-1]
    assert draft.is_draft and draft.error_count == 1
    with app.app_context():
        assert revisions.unpublishable_pages() == {PAGE: 1}
    # Opening the page again starts from the draft, with its problems.
    again = editor.get(f"/admin/content/edit/{PAGE}").get_data(as_text=True)
    assert "新加的一段话。" in again and "草稿：1 处错误" in again
    assert "草稿：1 处错误" in editor.get("/admin/content/").get_data(as_text=True)
    # Fixed: written, and no longer unpublishable.
    fixed = editor_form(draft.text, draft.sha, reviewed="2026-11-21")
    assert editor.post(f"/admin/content/edit/{PAGE}", data=fixed).status_code == 302
    assert "新加的一段话。" in (docs / PAGE).read_text(encoding="utf-8")
    with app.app_context():
        assert revisions.unpublishable_pages() == {}


def test_body_errors_name_their_line_in_the_text_area(editor, docs):
    original = (docs / PAGE).read_text(encoding="utf-8")
    body = original.split("---\n", 2)[2].replace("## 需要带什么\n", "## 要带的东西\n")
    response = editor.post(
        f"/admin/content/edit/{PAGE}", data=editor_form(original, _sha(docs), body=body)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    line = body.splitlines().index("## 咨询与联系") + 1
    assert f'data-line="{line}">正文第 {line} 行</button> <code>## 咨询与联系</code>' in html
    assert "缺少小标题“## 需要带什么”" in html


def test_two_editors_never_overwrite_each_other(app, editor, client, auth, docs):
    original = (docs / PAGE).read_text(encoding="utf-8")
    base = _sha(docs)
    # Another editor (an admin) saves first, from the same starting point.
    other = app.test_client()
    AuthActions(other).login("admin")
    assert (
        other.post(
            f"/admin/content/edit/{PAGE}",
            data=editor_form(original, base, title="免费体检（管理员版）"),
        ).status_code
        == 302
    )
    theirs = (docs / PAGE).read_text(encoding="utf-8")
    response = editor.post(
        f"/admin/content/edit/{PAGE}",
        data=editor_form(original, base, title="免费体检（我的版本）"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (docs / PAGE).read_text(encoding="utf-8") == theirs
    assert "别人保存的版本" in html and "免费体检（管理员版）" in html
    assert 'value="免费体检（我的版本）"' in html  # mine, still in the form
    assert '<span class="del">-title: 免费体检（管理员版）</span>' in html
    assert '<span class="ins">+title: 免费体检（我的版本）</span>' in html
    # Saving again from the page shown (its base is now the other version) is deliberate.
    new_base = re.search(r'name="base_sha" value="([0-9a-f]{64})"', html).group(1)
    assert new_base == files.sha(theirs)
    again = editor_form(original, new_base, title="免费体检（我的版本）")
    assert editor.post(f"/admin/content/edit/{PAGE}", data=again).status_code == 302
    assert "title: 免费体检（我的版本）" in (docs / PAGE).read_text(encoding="utf-8")


def test_any_revision_can_be_restored(app, editor, docs):
    original = (docs / PAGE).read_text(encoding="utf-8")
    editor.post(f"/admin/content/edit/{PAGE}", data=editor_form(original, _sha(docs), title="改一"))
    first = (docs / PAGE).read_text(encoding="utf-8")
    editor.post(f"/admin/content/edit/{PAGE}", data=editor_form(first, _sha(docs), title="改二"))
    baseline, one, two = revisions_of(app, PAGE)
    page = editor.get(f"/admin/content/revisions/{two.id}").get_data(as_text=True)
    assert '<span class="del">-title: 改一</span>' in page
    assert '<span class="ins">+title: 改二</span>' in page
    response = editor.post(f"/admin/content/revisions/{one.id}/restore")
    assert response.headers["Location"] == f"/admin/content/edit/{PAGE}"
    assert (docs / PAGE).read_text(encoding="utf-8") == first
    editor.post(f"/admin/content/revisions/{baseline.id}/restore")
    assert (docs / PAGE).read_text(encoding="utf-8") == original
    restored = revisions_of(app, PAGE)[-1]
    assert (restored.action, restored.restored_from_id) == ("restore", baseline.id)
    assert len(audit_events(app, "content_restore")) == 2


def test_restoring_a_draft_keeps_it_a_draft(app, editor, docs):
    original = (docs / PAGE).read_text(encoding="utf-8")
    editor.post(f"/admin/content/edit/{PAGE}", data=editor_form(original, _sha(docs), summary=""))
    draft = revisions_of(app, PAGE)[-1]
    editor.post(f"/admin/content/revisions/{revisions_of(app, PAGE)[0].id}/restore")
    assert not revisions_of(app, PAGE)[-1].is_draft
    editor.post(f"/admin/content/revisions/{draft.id}/restore")
    assert revisions_of(app, PAGE)[-1].is_draft
    assert (docs / PAGE).read_text(encoding="utf-8") == original


def test_new_page_from_a_template(app, editor, docs, tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    shutil.copy(ROOT / "mkdocs.yml", config)
    monkeypatch.setattr(revisions, "mkdocs_yml", lambda: config)
    response = editor.post(
        "/admin/content/new", data={"kind": "benefit", "title": "游泳", "slug": "swimming"}
    )
    rel = "benefits/swimming.md"
    assert response.headers["Location"] == f"/admin/content/edit/{rel}"
    assert not (docs / rel).exists()  # its TODOs fail the checker: a draft only
    assert "游泳" in editor.get("/admin/content/").get_data(as_text=True)
    draft = revisions_of(app, rel)[-1]
    assert (draft.action, draft.is_draft) == ("create", True)
    # Filled in from a real page's text: passes, written, and added to the nav.
    body = (
        (docs / PAGE).read_text(encoding="utf-8").split("---\n", 2)[2].replace("免费体检", "游泳")
    )
    form = editor_form(
        (docs / PAGE).read_text(encoding="utf-8"), draft.sha, title="游泳", body=body
    )
    assert editor.post(f"/admin/content/edit/{rel}", data=form).status_code == 302
    assert (docs / rel).read_text(encoding="utf-8").startswith("---\ntitle: 游泳\n")
    assert "      - benefits/swimming.md\n      # kb new-page benefit" in config.read_text(
        encoding="utf-8"
    )
    again = editor.post(
        "/admin/content/new", data={"kind": "benefit", "title": "游泳", "slug": "swimming"}
    )
    assert again.status_code == 422
    assert "已经有同名的页面了" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "faq", "title": "x"}, "请选择页面类型"),
        ({"kind": "benefit", "title": ""}, "请填写页面标题"),
        ({"kind": "benefit", "title": "x", "slug": ".hidden"}, "文件名只能用"),
    ],
)
def test_new_page_refusals(editor, data, message):
    response = editor.post("/admin/content/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "rel",
    ["../pyproject.toml", "templates/benefit.md", "data/local.yml", ".hidden.md", "nope.md"],
)
def test_only_pages_under_docs_can_be_opened(editor, rel):
    assert editor.get(f"/admin/content/edit/{rel}").status_code == 404
    assert editor.post(f"/admin/content/edit/{rel}", data={"body": "x"}).status_code == 404


def test_preview_uses_the_site_markdown_extensions(editor):
    response = editor.post(
        "/admin/content/preview",
        data={
            "body": '## 怎么申请/领取\n\n!!! note "注意"\n    带身份证。\n\n<!-- kb:stations -->\n'
        },
    )
    html = response.get_json()["html"]
    assert '<h2 id="怎么申请领取">怎么申请/领取</h2>' in html
    assert '<div class="admonition note">' in html
    assert "这里会自动生成：服务站点列表" in html


def test_expired_login_sends_the_save_to_login_and_back(client, world, docs):
    response = client.post(f"/admin/content/edit/{PAGE}", data={"body": "typed"})
    assert response.status_code == 302
    assert (
        response.headers["Location"]
        == f"/admin/login?next=%2Fadmin%2Fcontent%2Fedit%2F{PAGE.replace('/', '%2F')}"
    )


def test_a_file_that_cannot_be_written_keeps_the_text_as_a_draft(app, editor, docs, monkeypatch):
    original = (docs / PAGE).read_text(encoding="utf-8")

    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    form = editor_form(original, _sha(docs), title="写不进去")
    response = editor.post(f"/admin/content/edit/{PAGE}", data=form)
    assert response.status_code == 422
    assert "文件无法写入（No space left on device）" in response.get_data(as_text=True)
    assert (docs / PAGE).read_text(encoding="utf-8") == original
    assert [p.name for p in (docs / "benefits").iterdir() if p.name.startswith(".")] == []
    assert revisions_of(app, PAGE)[-1].is_draft
