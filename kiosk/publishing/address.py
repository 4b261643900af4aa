"""The published site's public address: from settings, never from a request's Host header.

Every page of the site carries a QR code of its own address and a canonical link, fixed
when the site is built. A loopback or private address printed on a poster at a booth
reaches nobody's phone, so production refuses to publish with one; development warns.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from kiosk.kb import site_config

CALENDAR_PATH = "/calendar/sessions.ics"


class AddressRefused(Exception):
    """Production with no usable public address."""


@dataclass(frozen=True)
class SiteAddress:
    url: str  # where the published site is read, ending in /
    calendar_url: str | None  # the public iCalendar feed, for the schedule page
    warning: str | None  # said in development instead of refusing


def local_only(url: str) -> bool:
    """Whether a phone elsewhere cannot reach url: loopback, private or link-local hosts."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost") or not host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: whether it resolves publicly is the DNS's business
    return address.is_loopback or address.is_private or address.is_link_local


def site_address(app: Flask, config_file: Path) -> SiteAddress:
    """Where the site will be read: KB_PUBLIC_URL, else PUBLIC_BASE_URL + /kb/."""
    config = app.config
    base = (config["PUBLIC_BASE_URL"] or "").rstrip("/")
    url = config["KB_PUBLIC_URL"] or (f"{base}/kb/" if base else "")
    production = config["ENV"] == "production"
    if not url:
        if production:
            raise AddressRefused(
                "没有设置网站的公开网址：请设置 KIOSK_PUBLIC_BASE_URL（或 KIOSK_KB_PUBLIC_URL），"
                "二维码和页面链接都用它"
            )
        url = site_config.site_url(config_file)
    url = url if url.endswith("/") else url + "/"
    warning = None
    if local_only(url):
        message = (
            f"网站的公开网址 {url} 是本机或内网地址，别人的手机扫二维码打不开。"
            "请把 KIOSK_PUBLIC_BASE_URL 设为手机能打开的网址"
        )
        if production:
            raise AddressRefused(message + "（生产环境不允许发布）")
        warning = "开发环境提示：" + message
    calendar = base + CALENDAR_PATH if base else None
    if calendar is None and url.endswith("/kb/"):
        calendar = url[: -len("/kb/")] + CALENDAR_PATH
    return SiteAddress(url, calendar, warning)
