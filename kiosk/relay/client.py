"""The laptop's side of the wire: JSON requests to the city server with the relay token."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from typing import Any

from flask import current_app

TIMEOUT_SECONDS = 60  # a batch of 500 is committed in well under a second; allow a slow link


class UpstreamError(Exception):
    """The city server did not answer usefully; `message` says why, in Chinese, for staff."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CredentialRefused(UpstreamError):
    """401: the token is wrong or was revoked. Nothing is sent until someone fixes it."""


def configured() -> bool:
    return bool(current_app.config.get("UPSTREAM_URL") and current_app.config.get("UPSTREAM_TOKEN"))


def call(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """The decoded JSON answer of a 2xx, or UpstreamError."""
    url = str(current_app.config["UPSTREAM_URL"]).rstrip("/") + path
    if not url.startswith(("http://", "https://")):
        raise UpstreamError("上级服务器地址应以 http:// 或 https:// 开头")
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {current_app.config['UPSTREAM_TOKEN']}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:
        if error.code == 401:
            raise CredentialRefused("上报凭证无效或已被停用，请联系上级管理员") from None
        if error.code >= 500:
            raise UpstreamError(f"上级服务器暂时无法处理（{error.code}），稍后自动重试") from None
        raise UpstreamError(f"上级服务器拒绝了请求（{error.code}）") from None
    except (OSError, http.client.HTTPException) as error:
        # Refused, timed out, or cut before the answer: whatever the server did, the
        # same ids are sent again and it answers them as replays.
        raise UpstreamError(f"连不上上级服务器（{type(error).__name__}）") from None
    try:
        decoded = json.loads(raw)
    except ValueError:
        raise UpstreamError("上级服务器的回答无法识别") from None
    if not isinstance(decoded, dict):
        raise UpstreamError("上级服务器的回答无法识别")
    return decoded
