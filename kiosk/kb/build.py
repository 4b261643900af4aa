"""A strict MkDocs build of the knowledge base: what `mkdocs build --strict` does, in process."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from kiosk.kb import hooks


def shown(record: logging.LogRecord) -> bool:
    """Warnings and errors, and the notes our own hooks write (such as missing local details)."""
    return record.levelno >= logging.WARNING or record.name == hooks.log.name


def build_site(
    config_file: Path, site_dir: Path, site_url: str | None = None, env: str = "development"
) -> str:
    """Build into site_dir, aborting on any warning (mkdocs.exceptions.Abort); return the URL.

    site_url, when given, replaces mkdocs.yml's: every page's QR code points under it.
    env is the app's KIOSK_ENV: production refuses to build without the local details.
    """
    # MkDocs' own command line prints its log; here only what `shown` lets through.
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)
    handler.addFilter(shown)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        config = load_config(
            str(config_file), strict=True, site_dir=str(site_dir), site_url=site_url
        )
        config.extra[hooks.ENV_KEY] = env
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return config.site_url or ""
