"""A strict MkDocs build of the knowledge base: what `mkdocs build --strict` does, in process."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def build_site(config_file: Path, site_dir: Path, site_url: str | None = None) -> str:
    """Build into site_dir, aborting on any warning (mkdocs.exceptions.Abort); return the URL.

    site_url, when given, replaces mkdocs.yml's: every page's QR code points under it.
    """
    # MkDocs' own command line prints its log; here only warnings and errors are shown.
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(
            str(config_file), strict=True, site_dir=str(site_dir), site_url=site_url
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
    return config.site_url or ""
