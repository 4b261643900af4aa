"""打印 pages: what each sheet says, who may print it, and the PDF's name."""

from __future__ import annotations

from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.admin.downloads import file_name
from kiosk.extensions import db
from kiosk.models import OutreachSession
from kiosk.printing.material import EVERY_SESSION_OFFERS, JOIN_HINT
from tests.conftest import World


@pytest.fixture
def pages(world: World) -> dict[str, str]:
    base = f"/admin/print/sessions/{world.session_id}"
    return {
        "poster": f"{base}/poster",
        "poster-a3": f"{base}/poster?size=a3",
        "tent": f"{base}/tent",
        "schedule": f"/admin/print/schedule?org={world.town_id}",
    }


def test_the_poster_says_what_the_session_holds(
    app: Flask, staff_client: FlaskClient, world: World
):
    app.config.update(PUBLIC_BASE_URL="https://outreach.example.org", JOIN_URL=None)
    html = staff_client.get(f"/admin/print/sessions/{world.session_id}/poster").text
    assert "瀛海镇职工沟通会" in html and "首航超市" in html and "瀛海镇总工会" in html
    # No offer written: only what every session does, never an invented gift.
    assert EVERY_SESSION_OFFERS in html
    assert f"https://outreach.example.org/s/{world.session_code}" in html
    assert "https://outreach.example.org/kb/" in html
    assert JOIN_HINT in html  # no join link or image configured: where to find it
    with app.app_context():
        db.session.get(OutreachSession, world.session_id).public_note = "宣传折页和口袋书"
        db.session.commit()
    html = staff_client.get(f"/admin/print/sessions/{world.session_id}/poster?size=a3").text
    assert "宣传折页和口袋书" in html and EVERY_SESSION_OFFERS not in html
    assert 'class="sheet poster a3"' in html


def test_the_join_code_can_be_the_official_image(
    app: Flask, staff_client: FlaskClient, world: World, tmp_path
):
    image = tmp_path / "join.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    app.config["JOIN_QR_IMAGE"] = str(image)
    html = staff_client.get(f"/admin/print/sessions/{world.session_id}/poster").text
    assert 'src="data:image/png;base64,' in html


@pytest.mark.parametrize("which", ["poster", "poster-a3", "tent", "schedule"])
def test_another_unions_sheets_are_not_found(
    client: FlaskClient, auth, pages: dict[str, str], which: str
):
    auth.login("outsider")
    assert client.get(pages[which]).status_code == 404
    pdf = pages[which].replace("/poster", "/poster.pdf").replace("/tent", "/tent.pdf")
    assert client.get(pdf.replace("/schedule", "/schedule.pdf")).status_code == 404


def test_printing_needs_a_login(client: FlaskClient, pages: dict[str, str]):
    assert client.get(pages["poster"]).status_code == 302


def test_an_unknown_paper_size_is_not_found(staff_client: FlaskClient, world: World):
    url = f"/admin/print/sessions/{world.session_id}/poster?size=letter"
    assert staff_client.get(url).status_code == 404


def test_the_session_page_links_every_sheet(staff_client: FlaskClient, world: World):
    html = staff_client.get(f"/admin/sessions/{world.session_id}").text
    for label in ("海报（A4）", "海报（A3）", "桌牌（A4 对折）", "本月沟通会安排表"):
        assert label in html


def test_a_pdf_is_named_for_what_it_holds(
    app: Flask, staff_client: FlaskClient, world: World, tmp_path
):
    app.config["PDF_CHROMIUM"] = str(tmp_path / "none")  # drawn: fast, and no browser needed
    response = staff_client.get(f"/admin/print/sessions/{world.session_id}/tent.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        day = session.starts_at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    name = f"瀛海镇总工会-职工沟通会-{day}-桌牌.pdf"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=\"tent-{world.session_code}.pdf\"; filename*=UTF-8''{quote(name)}"
    )


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            ("瀛海镇总工会", "职工沟通会", "2026-12-10", "登记"),
            "瀛海镇总工会-职工沟通会-2026-12-10-登记.xlsx",
        ),
        (("瀛海镇总工会", None, "登记"), "瀛海镇总工会-登记.xlsx"),
        (('a/b\\c:d*e?"f<g>h|i', "登记"), "abcdefghi-登记.xlsx"),  # what file systems refuse
    ],
)
def test_file_names(parts: tuple, expected: str):
    assert file_name(*parts, ext="xlsx") == expected


def test_a_chromium_that_fails_falls_back_to_drawing(
    app: Flask, staff_client: FlaskClient, world: World, caplog
):
    app.config["PDF_CHROMIUM"] = "/bin/false"  # there, but prints nothing
    response = staff_client.get(f"/admin/print/sessions/{world.session_id}/poster.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert b"ReportLab" in response.data  # drawn, not printed
    assert "Chromium could not print" in caplog.text
