"""Larger request bodies for the few views that take a file upload.

Every request is held to MAX_CONTENT_LENGTH (16 KB: a sign-up is small), and the
CSRF check reads the form before any view runs, so a view cannot raise its own
limit in time. Instead the request class looks at the view it was routed to: a
view marked with `allow_upload` gets that view's limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Request, current_app

F = TypeVar("F", bound=Callable[..., Any])


def allow_upload(limit: int) -> Callable[[F], F]:
    """Let requests to this view carry up to `limit` bytes."""

    def mark(view: F) -> F:
        view.upload_limit = limit  # type: ignore[attr-defined]
        return view

    return mark


class UploadAwareRequest(Request):
    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        if self._max_content_length is None and self.url_rule is not None and current_app:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            limit = getattr(view, "upload_limit", None)
            if limit is not None:
                return int(limit)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
