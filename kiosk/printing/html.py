"""The printed sheets as print-CSS pages: previewed in the browser, printed by Chromium."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, render_template

from kiosk import qr


@lru_cache(maxsize=64)
def qr_uri(url: str) -> str:
    """A QR code as an SVG data: URI, with the standard's full quiet zone (paper is not a card)."""
    svg = qr.svg_markup(url, border=4).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def stylesheet() -> str:
    return (Path(current_app.static_folder or "") / "admin" / "print.css").read_text("utf-8")


def render(template: str, *, for_pdf: bool = False, **context: Any) -> str:
    """The sheet's page; `for_pdf` embeds the stylesheet and leaves out the toolbar."""
    return render_template(
        f"print/{template}.html",
        inline_css=stylesheet() if for_pdf else None,
        qr_uri=qr_uri,
        **context,
    )
