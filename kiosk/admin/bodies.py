"""Views that take a larger request body than MAX_CONTENT_LENGTH: an uploaded list, minutes.

The app-wide limit is small on purpose (a sign-up is tiny). CSRFProtect reads the
form before any view runs, under that limit, so these views are exempt from the
automatic check and make the same check themselves once their own limit is set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request

from kiosk.extensions import csrf

F = TypeVar("F", bound=Callable[..., Any])

# A form with a 2,000-character text, URL-encoded: a Chinese character takes 9 bytes.
TEXT_FORM_MAX_BYTES = 64 * 1024


def larger_body(limit: int) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request.max_content_length = limit
            if current_app.config.get("WTF_CSRF_ENABLED", True):
                csrf.protect()
            return view(*args, **kwargs)

        return csrf.exempt(wrapped)  # type: ignore[no-any-return]

    return decorator
