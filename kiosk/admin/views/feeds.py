"""日历订阅: private .ics addresses per union, shown once, revocable."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from kiosk import audit
from kiosk.admin.access import staff, visible
from kiosk.admin.blueprint import bp
from kiosk.admin.forms import FeedForm, options
from kiosk.cadence import feeds
from kiosk.extensions import db
from kiosk.models import CalendarFeed
from kiosk.scoping import can_see_org, organisation_choices, scoped


def _page(form: FeedForm | None = None, new_url: str | None = None):
    scope = visible()
    if form is None:
        form = FeedForm(formdata=None)
    form.organisation_id.choices = options(organisation_choices(scope))
    rows = db.session.scalars(
        scoped(sa.select(CalendarFeed), CalendarFeed.organisation_id, scope).order_by(
            CalendarFeed.revoked_at.is_not(None), CalendarFeed.created_at.desc()
        )
    ).all()
    return render_template(
        "admin/cadence/feeds.html",
        form=form,
        feeds=rows,
        new_url=new_url,
        public_url=url_for("calendar_feeds.public_feed", _external=True),
    )


@bp.get("/feeds")
@login_required
def feeds_list() -> ResponseReturnValue:
    return _page()


@bp.post("/feeds")
@login_required
def feed_create() -> ResponseReturnValue:
    """Rendered, not redirected: the address must not travel in a flash cookie."""
    form = FeedForm()
    form.organisation_id.choices = options(organisation_choices(visible()))
    if not form.validate():
        return _page(form), 422
    feed, token = feeds.create(form.organisation_id.data, form.label.data.strip(), staff())
    db.session.flush()
    audit.record(
        "calendar_feed_create", organisation_id=feed.organisation_id, feed=feed.id, commit=False
    )
    db.session.commit()
    url = url_for("calendar_feeds.private_feed", token=token, _external=True)
    return _page(new_url=url), 200, {"Cache-Control": "no-store"}


@bp.post("/feeds/<int:feed_id>/revoke")
@login_required
def feed_revoke(feed_id: int) -> ResponseReturnValue:
    feed = db.session.get(CalendarFeed, feed_id)
    if feed is None or not can_see_org(staff(), feed.organisation_id):
        abort(404)
    feeds.revoke(feed)
    audit.record("calendar_feed_revoke", organisation_id=feed.organisation_id, feed=feed.id)
    flash("已停用这个订阅地址", "success")
    return redirect(url_for("admin.feeds_list"))
