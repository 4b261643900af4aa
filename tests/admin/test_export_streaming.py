"""Exports stream: the file arrives in pieces, and 导出进度 shows the rows written so far."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.admin import export_progress, exports
from tests.admin.test_exports import EXPECTED_CSV, _export, two_signups  # noqa: F401
from tests.conftest import World

EXPORT_ID = "page-made-id-0123456789"


@pytest.fixture(autouse=True)
def forget_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty progress table, and a chunk (and report) per row."""
    monkeypatch.setattr(export_progress, "_exports", type(export_progress._exports)())
    monkeypatch.setattr(exports, "EVERY", 1)


def test_csv_streams_in_pieces_with_the_same_bytes(
    app: Flask,
    staff_client: FlaskClient,
    two_signups: World,  # noqa: F811
) -> None:
    response = staff_client.post(
        "/admin/signups/export",
        data={"format": "csv", "session": two_signups.session_id, "export_id": EXPORT_ID},
        buffered=False,
    )
    assert response.is_streamed and "Content-Length" not in response.headers
    assert response.headers["X-Export-Id"] == EXPORT_ID
    pieces = list(response.response)
    response.close()
    # Nobody has been contacted here (test_exports marks 李四 first, with a note): the same
    # bytes otherwise.
    expected = EXPECTED_CSV.replace("已联系,周末再打".encode(), "待联系,".encode())
    header, first, second, _ = expected.split(b"\r\n")
    assert pieces == [header + b"\r\n" + first + b"\r\n", second + b"\r\n", b""]
    assert pieces[0].startswith("\ufeff沟通会,".encode())  # the BOM once, at the start


def test_progress_while_writing_and_when_done(
    app: Flask,
    staff_client: FlaskClient,
    two_signups: World,  # noqa: F811
) -> None:
    response = staff_client.post(
        "/admin/signups/export",
        data={"format": "csv", "export_id": EXPORT_ID},
        buffered=False,
    )
    pieces = iter(response.response)
    next(pieces)  # the header and the first sign-up
    status = staff_client.get(f"/admin/exports/{EXPORT_ID}.json").get_json()
    assert status == {
        "state": "running",
        "state_label": "正在导出",
        "written": 1,
        "total": 2,
        "percent": 50,
    }
    page = staff_client.get("/admin/exports").get_data(as_text=True)
    assert "1 / 2" in page and "正在导出" in page and 'http-equiv="refresh"' in page
    list(pieces)
    response.close()
    status = staff_client.get(f"/admin/exports/{EXPORT_ID}.json").get_json()
    assert (status["state"], status["written"], status["percent"]) == ("done", 2, 100)
    page = staff_client.get("/admin/exports").get_data(as_text=True)
    assert "2 / 2" in page and "已完成" in page and 'http-equiv="refresh"' not in page


def test_a_download_cut_short_is_shown_as_stopped(
    app: Flask,
    staff_client: FlaskClient,
    two_signups: World,  # noqa: F811
) -> None:
    response = staff_client.post(
        "/admin/signups/export", data={"format": "xlsx", "export_id": EXPORT_ID}, buffered=False
    )
    response.close()  # the browser went away before the file was written
    status = staff_client.get(f"/admin/exports/{EXPORT_ID}.json").get_json()
    assert (status["state"], status["state_label"]) == ("stopped", "已中断")


def test_progress_is_only_for_the_staff_member_who_exported(
    app: Flask,
    client: FlaskClient,
    auth,
    two_signups: World,  # noqa: F811
) -> None:
    auth.login("staff")
    _export(client, "csv", export_id=EXPORT_ID)
    auth.logout()
    auth.login("outsider")
    assert client.get(f"/admin/exports/{EXPORT_ID}.json").status_code == 404
    page = client.get("/admin/exports").get_data(as_text=True)
    assert EXPORT_ID not in page and "您最近没有导出" in page
    auth.logout()
    assert client.get("/admin/exports").status_code == 302


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        (EXPORT_ID, True),
        ("short", False),
        ("has spaces in it 0123", False),
        ("<script>alert(1)</script>", False),
        ("x" * 65, False),
        (None, False),
    ],
)
def test_a_page_made_id_is_used_only_if_it_is_plain(raw: str | None, kept: bool) -> None:
    export = export_progress.start(1, "csv", 0, raw)
    assert (export.id == raw) is kept
    assert export_progress.valid_id(export.id) == export.id


def test_only_the_latest_exports_are_remembered() -> None:
    ids = [export_progress.start(7, "csv", 10).id for _ in range(export_progress.KEPT + 5)]
    assert [e.id for e in export_progress.of_user(7)] == ids[::-1][: export_progress.KEPT]
