"""PDF files of the printed sheets: Chromium from the print page if installed, else ReportLab."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from kiosk.printing import chromium, drawn, html


def make(page: Callable[[], str], draw: Callable[[], bytes]) -> bytes:
    """The PDF of a sheet: `page` renders its print page, `draw` draws it without a browser.

    Chromium prints exactly what the preview shows, so it is preferred where the server
    has it; if it is missing or fails, the sheet is drawn instead and the log says why.
    """
    executable = current_app.config["PDF_CHROMIUM"]
    if chromium.available(executable):
        try:
            return chromium.to_pdf(executable, page())
        except chromium.ChromiumFailed as error:
            current_app.logger.warning("Chromium could not print, drawing instead: %s", error)
    return draw()


__all__ = ["drawn", "html", "make"]
