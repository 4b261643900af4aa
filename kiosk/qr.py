"""QR codes as SVG, generated on the server so no third-party service is ever asked."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.image.svg


@lru_cache(maxsize=256)
def svg(data: str) -> bytes:
    """A compact path-based SVG; scalable so it stays sharp at any size on the tablet."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return image.to_string(encoding="unicode").encode()
