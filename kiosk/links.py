"""The URLs that QR codes point at, from configuration or from the request."""

from __future__ import annotations

from flask import current_app, request, url_for

from kiosk.models import OutreachSession


def _base() -> str:
    configured = current_app.config["PUBLIC_BASE_URL"]
    return (configured or request.host_url).rstrip("/")


def kb_url() -> str:
    return current_app.config["KB_PUBLIC_URL"] or _base() + url_for("kb.page", path="")


def phone_signup_url(session: OutreachSession) -> str:
    return _base() + url_for("public.signup_form", code=session.code)


def join_url() -> str | None:
    return current_app.config["JOIN_URL"]
