"""The admin blueprint, kept apart from the views so they can import it without a loop."""

from __future__ import annotations

from flask import Blueprint

from kiosk.admin.people import mask_phone

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.context_processor
def template_helpers() -> dict:
    """Every admin template masks phone numbers the same way."""
    return {"mask_phone": mask_phone}
