"""The session form: organisation and site choices in scope, prefill for edit and copy, apply."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from kiosk.admin.forms import SessionForm, options, to_local, to_utc
from kiosk.choices import SESSION_KINDS
from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, Site
from kiosk.scoping import Scope, organisation_choices, scoped


def site_choices(scope: Scope) -> list[tuple[int, str]]:
    statement = (
        sa.select(Site.id, Site.name, Organisation.name.label("org"))
        .join(Organisation)
        .order_by(Organisation.id, Site.name)
    )
    statement = scoped(statement, Site.organisation_id, scope)
    return [(0, "（未指定）")] + [
        (row.id, f"{row.name}（{row.org}）") for row in db.session.execute(statement)
    ]


def prepare_form(form: SessionForm, scope: Scope) -> SessionForm:
    form.organisation_id.choices = options(organisation_choices(scope))
    form.site_id.choices = options(site_choices(scope))
    return form


def default_title(session: OutreachSession) -> str:
    """瀛海镇总工会职工沟通会: how the newspapers and the schedule name a session."""
    return f"{session.organisation.name}{SESSION_KINDS[session.kind]}"


def fill_from(form: SessionForm, source: OutreachSession, *, shift: timedelta) -> None:
    """Prefill the form from a session (edit: shift 0; copy: one week later)."""
    form.kind.data = source.kind
    form.organisation_id.data = source.organisation_id
    form.site_id.data = source.site_id or 0
    form.title.data = source.title
    form.starts_at.data = to_local(source.starts_at + shift)
    form.ends_at.data = to_local(source.ends_at + shift)
    form.notes.data = source.notes
    form.offer.data = source.offer


def apply_form(form: SessionForm, session: OutreachSession) -> None:
    assert form.starts_at.data and form.ends_at.data  # noqa: S101 - guaranteed by validate()
    session.kind = form.kind.data or "worker"
    session.organisation_id = form.organisation_id.data or 0
    session.site_id = form.site_id.data or None
    session.starts_at = to_utc(form.starts_at.data)
    session.ends_at = to_utc(form.ends_at.data)
    session.notes = (form.notes.data or "").strip() or None
    session.offer = (form.offer.data or "").strip() or None
    session.organisation = db.session.get(Organisation, session.organisation_id)  # type: ignore[assignment]
    session.title = (form.title.data or "").strip() or default_title(session)
