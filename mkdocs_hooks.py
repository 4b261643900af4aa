"""The MkDocs hooks named in mkdocs.yml. MkDocs loads hooks by file path; they live in kiosk.kb."""

from kiosk.kb.hooks import (
    on_config,
    on_files,
    on_nav,
    on_page_context,
    on_page_markdown,
    on_post_build,
)

__all__ = [
    "on_config",
    "on_files",
    "on_nav",
    "on_page_context",
    "on_page_markdown",
    "on_post_build",
]
