"""The MkDocs hooks named in mkdocs.yml. MkDocs loads hooks by file path; they live in kiosk.kb."""

from kiosk.kb.hooks import on_config, on_post_build

__all__ = ["on_config", "on_post_build"]
