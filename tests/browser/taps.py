"""Tapping where a person taps: the centre of a row or a button, by coordinates.

`check()` on a hidden input proves nothing about the row around it; these helpers put
the finger (a touch tap where the page has touch, else a mouse click) on the middle of
what a person sees, after scrolling it to the middle of the screen so no sticky header
covers it.
"""

from __future__ import annotations


def centre(page, locator) -> tuple[float, float]:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    if box["y"] < 140 or box["y"] + box["height"] > height - 20:
        # Away from a sticky header or the bottom edge: scroll it towards the middle.
        page.mouse.wheel(0, box["y"] - height / 2)
        page.wait_for_timeout(100)
        box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def tap(page, target, *, touch: bool = False) -> None:
    """Tap the centre of `target` (a locator, or a selector's first match): a touch on a
    phone, a click elsewhere."""
    locator = page.locator(target).first if isinstance(target, str) else target
    x, y = centre(page, locator)
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def inside(inner: dict, outer: dict, inset: float = 0) -> bool:
    """Whether box `inner` lies within box `outer`, at least `inset` px from its edges."""
    return (
        inner["x"] >= outer["x"] + inset
        and inner["y"] >= outer["y"] + inset
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] - inset
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] - inset
    )


def apart(a: dict, b: dict) -> bool:
    """Whether two boxes do not overlap at all."""
    return (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )
