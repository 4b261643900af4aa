"""The URLs that QR codes point at: from configuration, or in development from the request.

In production (`KIOSK_ENV=production`) an absolute address comes only from
`KIOSK_PUBLIC_BASE_URL` (and `KIOSK_KB_PUBLIC_URL`): the request's `Host`
header is whatever the client sent, and a QR code printed from it would send
people to the attacker's site. Without a configured address such a page
answers 503 and the log says what to set.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from werkzeug.exceptions import ServiceUnavailable

from kiosk.models import OutreachSession


class NoPublicAddress(ServiceUnavailable):
    """Production with no KIOSK_PUBLIC_BASE_URL: refuse rather than trust the Host header."""


def _base() -> str:
    configured = current_app.config["PUBLIC_BASE_URL"]
    if configured:
        return configured.rstrip("/")
    if current_app.config["ENV"] == "production":
        current_app.logger.error(
            "refusing to print an address taken from the Host header: set KIOSK_PUBLIC_BASE_URL"
        )
        raise NoPublicAddress()
    return request.host_url.rstrip("/")


def kb_url() -> str:
    """The knowledge base's absolute address, for its QR code."""
    return current_app.config["KB_PUBLIC_URL"] or _base() + url_for("kb.page", path="")


def kb_link() -> str:
    """Where a link to the knowledge base goes: a path on this site unless one is configured."""
    return current_app.config["KB_PUBLIC_URL"] or url_for("kb.page", path="")


def phone_signup_url(session: OutreachSession) -> str:
    return _base() + url_for("public.signup_form", code=session.code)


def join_url() -> str | None:
    return current_app.config["JOIN_URL"]
