"""The printed sheets drawn with ReportLab, for servers without Chromium.

The same layout as print.css, in the same units (one unit is a millimetre on A4, √2 mm on
the A3 poster). Chinese text uses a CJK TrueType font installed on the server, embedded
(subset) in the file so any viewer shows it; without one, ReportLab's built-in STSong-Light
CID font, which PDF viewers supply themselves.
"""

from __future__ import annotations

import base64
import io
import math
from functools import lru_cache
from pathlib import Path

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.printing.material import Code, ScheduleSheet, SessionSheet

BRAND = colors.HexColor("#b3001b")
MUTED = colors.HexColor("#444444")
# Fonts tried in turn (Debian's fonts-wqy-microhei, fonts-noto-cjk, then others).
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FALLBACK_FONT = "STSong-Light"


@lru_cache(maxsize=1)
def font() -> str:
    """The name of the registered Chinese font (see the module's docstring)."""
    for path in CJK_FONTS:
        if Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("KioskCJK", path, subfontIndex=0))
            except Exception:  # noqa: BLE001, S112 - an unreadable font: try the next one
                continue
            return "KioskCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def _style(
    size: float, *, leading: float = 1.3, color=colors.black, align: int = 0
) -> ParagraphStyle:
    return ParagraphStyle(
        "p",
        fontName=font(),
        fontSize=size,
        leading=size * leading,
        textColor=color,
        alignment=align,
        wordWrap="CJK",
    )


def _text(text: str) -> str:
    """Paragraph markup is XML: escape what staff typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _paragraph(
    canvas: Canvas, text: str, style: ParagraphStyle, x: float, top: float, width: float
) -> float:
    """Draw wrapped text with its top at `top`; return where the next line may start."""
    para = Paragraph(text, style)
    _, height = para.wrap(width, 10_000)
    para.drawOn(canvas, x, top - height)
    return top - height


def _qr_matrix(url: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The code as black runs of modules on white, `size` wide with its quiet zone."""
    matrix = _qr_matrix(url)
    module = size / len(matrix)
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for row_number, row in enumerate(matrix):
        top = y + size - (row_number + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            # A hair wider than the run, so neighbouring rows leave no white seams.
            canvas.rect(
                x + start * module, top, (column - start) * module, module * 1.01, stroke=0, fill=1
            )


def _draw_code(
    canvas: Canvas, code: Code, x: float, y: float, box: float, u: float, *, url_line: bool
) -> None:
    """A captioned code: the square's bottom-left at (x, y); captions below it."""
    if code.image:
        data = base64.b64decode(code.image.split(",", 1)[1])
        canvas.drawImage(
            ImageReader(io.BytesIO(data)), x, y, box, box, preserveAspectRatio=True, anchor="c"
        )
    elif code.url:
        draw_qr(canvas, code.url, x, y, box)
    else:
        canvas.setDash(2 * u, 1.5 * u)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6 * u)
        canvas.rect(x, y, box, box, stroke=1, fill=0)
        canvas.setDash()
        para = Paragraph(_text(code.note), _style(5 * u, align=1))
        _, height = para.wrap(box - 8 * u, box)
        para.drawOn(canvas, x + 4 * u, y + (box - height) / 2)
    middle = x + box / 2
    width = box + 4 * u
    top = _paragraph(
        canvas,
        _text(code.caption),
        _style(6.5 * u, align=1, leading=1.2),
        middle - width / 2,
        y - 2 * u,
        width,
    )
    if code.image or code.url:
        top = _paragraph(
            canvas,
            _text(code.note),
            _style(4.2 * u, align=1, color=MUTED),
            middle - width / 2,
            top,
            width,
        )
    if url_line and code.url:
        _paragraph(
            canvas,
            _text(code.url),
            _style(2.6 * u, align=1, color=MUTED),
            middle - width / 2,
            top - u,
            width,
        )


def poster(sheet: SessionSheet, size: str) -> bytes:
    u = mm * (math.sqrt(2) if size == "a3" else 1)
    width, height = 210 * u, 297 * u
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(f"海报：{sheet.title}")
    margin, inner = 12 * u, 186 * u
    # The band with the union's name, inside the margins (printers do not print to the edge).
    band = 16 * u
    canvas.setFillColor(BRAND)
    canvas.roundRect(margin, height - margin - band, inner, band, 3 * u, stroke=0, fill=1)
    union = _style(7 * u, leading=1.2, color=colors.white)
    _paragraph(canvas, _text(sheet.union), union, margin + 6 * u, height - margin - 3.5 * u, inner)
    top = height - margin - band - 3 * u
    top = _paragraph(
        canvas, _text(sheet.title), _style(12 * u, leading=1.2, color=BRAND), margin, top, inner
    )
    top -= 5 * u
    for label, value in (("日期：", sheet.date), ("时间：", sheet.time), ("地点：", sheet.place)):
        line = f'<font color="#444444">{label}</font>{_text(value)}'
        top = _paragraph(canvas, line, _style(7.5 * u, leading=1.45), margin, top, inner)
    top -= 5 * u
    offer = Paragraph(
        f'<font color="#b3001b">现场提供：</font>{_text(sheet.offer)}', _style(6 * u, leading=1.4)
    )
    _, offer_height = offer.wrap(inner - 10 * u, 10_000)
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(0.8 * u)
    canvas.roundRect(
        margin, top - offer_height - 8 * u, inner, offer_height + 8 * u, 3 * u, stroke=1, fill=0
    )
    offer.drawOn(canvas, margin + 5 * u, top - 4 * u - offer_height)
    # The heading and the codes, centred in the space left below the offer.
    top -= offer_height + 8 * u
    box, slot = 56 * u, 58 * u
    block = 8 * u * 1.3 + 5 * u + box + 24 * u  # heading, gap, code, captions
    heading_top = margin + (top - margin + block) / 2
    heading = _style(8 * u, color=BRAND, align=1)
    code_top = _paragraph(
        canvas, "扫码登记 · 了解工会 · 加入工会", heading, margin, heading_top, inner
    )
    gap = (inner - slot * len(sheet.codes)) / max(len(sheet.codes) - 1, 1)
    for number, code in enumerate(sheet.codes):
        x = margin + number * (slot + gap) + (slot - box) / 2
        _draw_code(canvas, code, x, code_top - 5 * u - box, box, u, url_line=True)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _tent_face(canvas: Canvas, sheet: SessionSheet, width: float, height: float, u: float) -> None:
    inner = width - 28 * u
    top = height - 14 * u
    top = _paragraph(
        canvas,
        _text(sheet.title),
        _style(8 * u, leading=1.2, color=BRAND, align=1),
        14 * u,
        top,
        inner,
    )
    _paragraph(
        canvas,
        _text(f"{sheet.date} {sheet.time}"),
        _style(5 * u, align=1),
        14 * u,
        top - 5 * u,
        inner,
    )
    box, slot = 60 * u, 66 * u
    gap = (inner - slot * len(sheet.codes)) / (len(sheet.codes) + 1)
    for number, code in enumerate(sheet.codes):
        x = 14 * u + gap + number * (slot + gap) + (slot - box) / 2
        _draw_code(canvas, code, x, 26 * u, box, u, url_line=False)


def tent(sheet: SessionSheet) -> bytes:
    u = mm
    width, height = A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"桌牌：{sheet.title}")
    half = height / 2
    _tent_face(canvas, sheet, width, half, u)
    canvas.saveState()  # the top half, upside down, so it reads upright once folded
    canvas.translate(width, height)
    canvas.rotate(180)
    _tent_face(canvas, sheet, width, half, u)
    canvas.restoreState()
    canvas.setDash(2 * u, 1.5 * u)
    canvas.setStrokeColor(colors.HexColor("#888888"))
    canvas.setLineWidth(0.3 * u)
    canvas.line(8 * u, half, width - 8 * u, half)
    canvas.setDash()
    canvas.setFont(font(), 3 * u)
    canvas.setFillColor(colors.HexColor("#888888"))
    canvas.drawRightString(width - 8 * u, half + 1 * u, "沿虚线对折")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _QrFlowable(Flowable):
    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.url, self.size = url, size
        self.width = self.height = size

    def draw(self) -> None:
        draw_qr(self.canv, self.url, 0, 0, self.size)


def schedule(sheet: ScheduleSheet) -> bytes:
    u = mm
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * u,
        rightMargin=14 * u,
        topMargin=14 * u,
        bottomMargin=12 * u,
        title=f"{sheet.union}{sheet.month}沟通会安排",
    )
    cell = _style(4.2 * u, leading=1.35)
    heads = ["日期", "星期", "时间", "地点", "活动", *(["主办"] if sheet.show_union else [])]
    rows = [[Paragraph(f"<b>{h}</b>", cell) for h in heads]]
    for row in sheet.rows:
        values = [row.date, row.weekday, row.time, row.place, row.title]
        values += [row.union] if sheet.show_union else []
        rows.append([Paragraph(_text(v), cell) for v in values])
    inner = A4[0] - 28 * u
    fixed = [20 * u, 18 * u, 34 * u]
    rest = inner - sum(fixed)
    flexible = (
        [rest * 0.4, rest * 0.6] if not sheet.show_union else [rest * 0.32, rest * 0.4, rest * 0.28]
    )
    story: list[Flowable] = [
        Paragraph(
            _text(f"{sheet.union} · {sheet.month}沟通会安排"),
            _style(9 * u, leading=1.25, color=BRAND),
        ),
        Spacer(0, 6 * u),
    ]
    if sheet.rows:
        table = Table(rows, colWidths=fixed + flexible, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3 * u, colors.HexColor("#555555")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1e3e5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph("本月还没有安排沟通会。", _style(5 * u)))
    foot = Table(
        [
            [
                _QrFlowable(sheet.code.url or "", 34 * u),
                Paragraph(
                    f"<b>{_text(sheet.code.caption)}</b>：{_text(sheet.code.note)}<br/>"
                    f'<font size="{3 * u}" color="#444444">{_text(sheet.code.url or "")}</font>',
                    _style(4.5 * u),
                ),
            ]
        ],
        colWidths=[40 * u, inner - 40 * u],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
    )
    story += [Spacer(0, 8 * u), KeepTogether([foot])]
    document.build(story)
    return buffer.getvalue()
