"""Each printed sheet as a PDF, by both paths: rasterised at 150 dpi, every QR code decoded.

A code must give the right address, every code the sheet promises must be found, and
nothing may come within 5 mm of the paper's edge, where office printers print nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
import zxingcpp
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from kiosk.extensions import db
from kiosk.models import OutreachSession
from kiosk.printing import drawn
from tests.browser_support import CHROMIUM, require_or_skip
from tests.conftest import World

DPI = 150
EDGE_MM = 5
BASE = "http://192.168.1.20:8000"
JOIN = "https://example.org/i-member/join"
PAPER_MM = {"A4": (210, 297), "A3": (297, 420)}


@dataclass(frozen=True)
class Sheet:
    url: str
    paper: str
    codes: list[str]  # every code the sheet shows, as addresses (sorted)


def _sheets(world: World) -> dict[str, Sheet]:
    phone = f"{BASE}/s/{world.session_code}"
    kb = f"{BASE}/kb/"
    pages = f"/admin/print/sessions/{world.session_id}"
    return {
        "poster-a4": Sheet(f"{pages}/poster.pdf?size=a4", "A4", sorted([phone, kb, JOIN])),
        "poster-a3": Sheet(f"{pages}/poster.pdf?size=a3", "A3", sorted([phone, kb, JOIN])),
        # Both faces of the folded tent, one of them upside down.
        "tent": Sheet(f"{pages}/tent.pdf", "A4", sorted([phone, kb] * 2)),
        "schedule": Sheet("/admin/print/schedule.pdf", "A4", [f"{BASE}/kb/schedule/"]),
    }


@pytest.fixture(params=["chromium", "reportlab"])
def pdf_path(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> str:
    """Chromium where installed, else ReportLab: configured as a deployment would be."""
    for tool in ("pdftoppm", "pdffonts", "pdftotext"):
        if shutil.which(tool) is None:
            require_or_skip(f"{tool} is missing: apt-get install -y poppler-utils")
    if request.param == "chromium":
        if not Path(CHROMIUM).is_file():
            require_or_skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
        app.config["PDF_CHROMIUM"] = CHROMIUM
    else:
        app.config["PDF_CHROMIUM"] = str(tmp_path / "no-chromium-here")
    return request.param


@pytest.fixture
def printer(app: Flask, client: FlaskClient, auth, world: World, pdf_path: str) -> FlaskClient:
    app.config.update(PUBLIC_BASE_URL=BASE, JOIN_URL=JOIN)
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.public_note = "权益保障宣传折页和口袋书"
        db.session.commit()
    assert auth.login("staff").status_code == 302
    return client


def _pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed tool on our own file
        ["pdftoppm", "-r", str(DPI), "-png", str(source), str(tmp_path / "page")], check=True
    )
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("page-*.png"))]


def _margin_is_blank(page: Image.Image) -> bool:
    edge = round(EDGE_MM / 25.4 * DPI)
    width, height = page.size
    inner = page.crop((edge, edge, width - edge, height - edge))
    blank_inside = Image.new("L", inner.size, 255)
    frame = page.copy()
    frame.paste(blank_inside, (edge, edge))
    return frame.getextrema()[0] > 200  # no dark pixel in the frame


@pytest.mark.parametrize("name", ["poster-a4", "poster-a3", "tent", "schedule"])
def test_every_code_reads_back_and_nothing_is_cut(
    printer: FlaskClient, world: World, tmp_path: Path, name: str
):
    sheet = _sheets(world)[name]
    response = printer.get(sheet.url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    pages = _pages(response.data, tmp_path)
    assert len(pages) == 1
    [page] = pages
    paper = PAPER_MM[sheet.paper]
    expected = [mm / 25.4 * DPI for mm in paper]
    assert all(abs(got - want) <= 3 for got, want in zip(page.size, expected, strict=True))
    found = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)
    assert sorted(code.text for code in found) == sheet.codes
    assert _margin_is_blank(page), "something reaches the 5 mm the printer cannot print"


def test_chinese_is_in_the_file_and_its_font_embedded(
    printer: FlaskClient, world: World, tmp_path: Path
):
    response = printer.get(_sheets(world)["poster-a4"].url)
    source = tmp_path / "poster.pdf"
    source.write_bytes(response.data)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in ("瀛海镇总工会", "瀛海镇职工沟通会", "首航超市", "权益保障宣传折页和口袋书"):
        assert words in text
    fonts = subprocess.run(  # noqa: S603
        ["pdffonts", str(source)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    # "emb" is the fifth column from the end. Every font travels with the file but the
    # standard 14 (ReportLab names Helvetica on each page whether it draws with it or not).
    chinese = [line for line in fonts if "WenQuanYi" in line or "CJK" in line]
    assert chinese, fonts
    assert all(line.split()[-5] == "yes" for line in fonts if not line.startswith("Helvetica"))


def test_without_a_chinese_font_reportlab_uses_its_own(
    app: Flask, client: FlaskClient, auth, world: World, tmp_path: Path, monkeypatch
):
    """A server with no CJK font still gets readable Chinese: STSong-Light, which every
    PDF viewer supplies (poppler with poppler-data here)."""
    if shutil.which("pdftotext") is None:
        require_or_skip("pdftotext is missing: apt-get install -y poppler-utils")
    monkeypatch.setattr(drawn, "CJK_FONTS", ())
    drawn.font.cache_clear()
    app.config.update(PDF_CHROMIUM=str(tmp_path / "none"), PUBLIC_BASE_URL=BASE)
    auth.login("staff")
    try:
        response = client.get(f"/admin/print/sessions/{world.session_id}/tent.pdf")
    finally:
        drawn.font.cache_clear()
    source = tmp_path / "tent.pdf"
    source.write_bytes(response.data)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(source), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "瀛海镇职工沟通会" in text
    assert b"STSong-Light" in response.data
    [page] = _pages(response.data, tmp_path)
    assert len(zxingcpp.read_barcodes(page)) == 4


def test_a_month_schedule_lists_the_unions_sessions_only(
    app: Flask, printer: FlaskClient, world: World
):
    html = printer.get("/admin/print/schedule").get_data(as_text=True)
    assert "瀛海镇职工沟通会" in html
    assert "西红门镇职工沟通会" not in html  # another union's
    with app.app_context():
        cancelled = {"status": "cancelled", "cancel_reason": "暴雨"}
        db.session.execute(sa.update(OutreachSession).values(**cancelled))
        db.session.commit()
    assert "本月还没有安排沟通会。" in printer.get("/admin/print/schedule").get_data(as_text=True)
