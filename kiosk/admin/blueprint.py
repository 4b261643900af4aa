"""The admin blueprint, kept apart from the views so they can import it without a loop."""

from __future__ import annotations

from flask import Blueprint, Response

from kiosk.admin.access import can_edit_content
from kiosk.admin.people import mask_phone

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.after_request
def no_store(response: Response) -> Response:
    """Admin pages hold names and phone numbers: never kept by a browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def template_helpers() -> dict:
    """Every admin template masks phone numbers, and asks who may edit content, the same way."""
    return {"mask_phone": mask_phone, "can_edit_content": can_edit_content}
