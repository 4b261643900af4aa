"""QR codes as SVG, made locally so no third-party service is ever asked.

One implementation for the kiosk's images and the knowledge base's per-page codes.
"""

from __future__ import annotations

import re
from functools import lru_cache

import qrcode
import qrcode.image.svg


def svg_markup(data: str, *, border: int = 4) -> str:
    """An SVG QR code with a white background and no fixed size: CSS or the <img> box decides.

    Four modules of quiet zone is the standard's minimum; pass less only where the
    code sits on a white card that supplies the rest.
    """
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=border,
    )
    markup = image.to_string(encoding="unicode")
    markup = re.sub(r"<\?xml[^>]*\?>\s*", "", markup)
    # Drop the millimetre size qrcode writes; the viewBox keeps the proportions.
    return re.sub(r'\s(width|height)="[^"]*mm"', "", markup, count=2)


@lru_cache(maxsize=256)
def svg(data: str) -> bytes:
    """The kiosk's and admin's QR images; their white cards supply the outer quiet zone."""
    return svg_markup(data, border=2).encode()
