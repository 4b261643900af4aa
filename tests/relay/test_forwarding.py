"""A booth laptop forwards every sign-up to the city server exactly once, whatever goes wrong."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk import tablets
from kiosk.extensions import db
from kiosk.models import (
    AuditEvent,
    OutreachSession,
    RelayCredential,
    RelayReceipt,
    Signup,
    StaffUser,
    utcnow,
)
from kiosk.relay import cycle, push
from kiosk.relay.state import counts, link
from tests.browser.faulty_proxy import FaultyProxy, faulty_proxy
from tests.conftest import World, fail_signup_inserts
from tests.live_server import free_port
from tests.relay.conftest import Laptop, laptop_app, stored_ids


def push_now(laptop_app_: Flask) -> push.Pushed:
    with laptop_app_.app_context():
        pushed = cycle.run_now()
        assert pushed is not None
        return pushed


def pending(laptop_app_: Flask) -> int:
    with laptop_app_.app_context():
        return counts().pending


def test_every_sign_up_arrives_once_with_what_the_person_gave(app: Flask, laptop: Laptop) -> None:
    ids = laptop.sign_up(3)
    pushed = push_now(laptop.app)
    assert (pushed.acked, pushed.attention, pushed.retry) == (3, 0, 0)
    assert sorted(stored_ids(app)) == sorted(uuid.UUID(i) for i in ids)
    with laptop.app.app_context():
        here = db.session.get(Signup, uuid.UUID(ids[0]))
        receipts = db.session.scalars(sa.select(RelayReceipt)).all()
        assert {r.outcome for r in receipts} == {"acked"} and len(receipts) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Signup)) == 3  # kept
    with app.app_context():
        there = db.session.get(Signup, uuid.UUID(ids[0]))
        assert (there.name, there.phone, there.source) == (here.name, here.phone, "kiosk")
        assert (there.tablet_id, there.client_time) == (here.tablet_id, here.client_time)
        assert (there.consent_version, there.consented_at) == (
            here.consent_version,
            here.consented_at,
        )
        assert there.session.code == laptop.session_code
    # Pushing again sends nothing: every sign-up has its receipt.
    assert push_now(laptop.app).acked == 0


def test_each_push_batch_is_audited_upstream_without_personal_data(
    app: Flask, laptop: Laptop, world: World
) -> None:
    laptop.sign_up(2)
    push_now(laptop.app)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "relay_push"))
        assert event.organisation_id == world.town_id
        assert event.detail["received"] == 2 and event.detail["answers"] == {"201": 2}
        assert "测试" not in str(event.detail) and "139" not in str(event.detail)


def test_upstream_down_keeps_everything_pending_then_delivers(
    app: Flask, laptop: Laptop, tmp_path
) -> None:
    ids = laptop.sign_up(2)
    real_url = laptop.app.config["UPSTREAM_URL"]
    laptop.app.config["UPSTREAM_URL"] = f"http://127.0.0.1:{free_port()}"  # nobody listens
    pushed = push_now(laptop.app)
    assert pushed.errors and "连不上上级服务器" in pushed.errors[0]
    assert pending(laptop.app) == 2 and link(laptop.app).connected is False
    assert link(laptop.app).failures == 1
    laptop.app.config["UPSTREAM_URL"] = real_url
    push_now(laptop.app)
    assert pending(laptop.app) == 0 and link(laptop.app).connected is True
    assert sorted(stored_ids(app)) == sorted(uuid.UUID(i) for i in ids)


def test_a_503_from_the_city_database_is_retried_later(
    app: Flask, laptop: Laptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop.sign_up(3)
    with monkeypatch.context() as broken:
        fail_signup_inserts(app, broken)  # the city's disk is full: every insert fails
        pushed = push_now(laptop.app)
    assert (pushed.acked, pushed.retry) == (0, 3)
    assert pending(laptop.app) == 3 and stored_ids(app) == []
    assert link(laptop.app).next_attempt > 0  # backing off
    pushed = push_now(laptop.app)
    assert (pushed.acked, pushed.retry) == (3, 0) and len(stored_ids(app)) == 3


def test_an_answer_lost_after_the_city_committed_is_not_stored_twice(
    app: Flask, laptop: Laptop, upstream
) -> None:
    ids = laptop.sign_up(4)

    class CutAfterCommit(FaultyProxy):
        def _should_drop(self, request: bytes) -> bool:
            if request.startswith(b"POST /api/relay/signups "):
                self.drop_signup_responses -= 1
                return self.drop_signup_responses >= 0
            return False

    with faulty_proxy(upstream.url) as proxy:
        proxy.__class__ = CutAfterCommit
        proxy.drop_signup_responses = 1
        laptop.app.config["UPSTREAM_URL"] = proxy.url
        lost = push_now(laptop.app)
        assert lost.errors and lost.acked == 0
        assert len(stored_ids(app)) == 4  # the city committed them
        assert pending(laptop.app) == 4  # the laptop never heard
        again = push_now(laptop.app)
    assert again.acked == 4 and pending(laptop.app) == 0
    assert sorted(stored_ids(app)) == sorted(uuid.UUID(i) for i in ids)
    with laptop.app.app_context():
        statuses = db.session.scalars(sa.select(RelayReceipt.http_status)).all()
    assert sorted(statuses) == [200] * 4  # replays: the city's first receipts


def test_a_laptop_restarted_mid_push_sends_again_without_duplicates(
    app: Flask, laptop: Laptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = laptop.sign_up(5)

    def power_cut(_receipts: list) -> None:
        raise KeyboardInterrupt  # the process dies after the city answered, before recording

    with monkeypatch.context() as dying:
        dying.setattr(push, "_record", power_cut)
        with pytest.raises(KeyboardInterrupt):
            push_now(laptop.app)
    assert len(stored_ids(app)) == 5
    # A new process on the same file: nothing in memory survives, the receipts are missing.
    restarted = laptop_app(laptop.database, laptop.app.config["UPSTREAM_URL"], "")
    restarted.config["UPSTREAM_TOKEN"] = laptop.app.config["UPSTREAM_TOKEN"]
    assert pending(restarted) == 5
    assert push_now(restarted).acked == 5 and pending(restarted) == 0
    assert sorted(stored_ids(app)) == sorted(uuid.UUID(i) for i in ids)


def test_a_revoked_credential_stops_the_push_and_keeps_items_visible(
    app: Flask, laptop: Laptop
) -> None:
    laptop.sign_up(2)
    with app.app_context():
        credential = db.session.scalar(sa.select(RelayCredential))
        credential.revoked_at = utcnow()
        db.session.commit()
    pushed = push_now(laptop.app)
    assert pushed.errors == ["上报凭证无效或已被停用，请联系上级管理员"]
    assert pending(laptop.app) == 2 and stored_ids(app) == []
    client = laptop.app.test_client()
    client.post("/admin/login", data={"username": "booth", "password": "correct-horse-battery"})
    page = client.get("/admin/relay").get_data(as_text=True)
    assert "上报凭证无效或已被停用" in page
    assert '<li class="tile" id="relay-pending"><span class="num">2</span>' in page


def test_a_session_closed_upstream_takes_what_was_collected_before_closing(
    app: Flask, laptop: Laptop, world: World
) -> None:
    before, after = laptop.sign_up(2)
    now = utcnow()
    with laptop.app.app_context():  # the first was collected two hours ago
        db.session.get(Signup, uuid.UUID(before)).created_at = now - timedelta(hours=2)
        db.session.commit()
    with app.app_context():  # the city closed the session an hour ago
        session = db.session.get(OutreachSession, world.session_id)
        session.status, session.closed_at = "closed", now - timedelta(hours=1)
        db.session.commit()
    pushed = push_now(laptop.app)
    assert (pushed.acked, pushed.attention) == (1, 1)
    assert stored_ids(app) == [uuid.UUID(before)]
    with laptop.app.app_context():
        refused = db.session.get(RelayReceipt, uuid.UUID(after))
        assert (refused.outcome, refused.http_status) == ("attention", 403)
        assert refused.answer == {"error": "session_closed"}
        assert counts().attention == 1 and counts().pending == 0
        # The laptop's copy of the session follows the city's closing.
        local = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == laptop.session_code)
        )
        assert local.status == "closed" and local.closed_at == now - timedelta(hours=1)


def test_after_the_grace_period_a_closed_session_takes_nothing(
    app: Flask, laptop: Laptop, world: World
) -> None:
    (late,) = laptop.sign_up(1)
    now = utcnow()
    with laptop.app.app_context():
        db.session.get(Signup, uuid.UUID(late)).created_at = now - timedelta(hours=80)
        db.session.commit()
    with app.app_context():
        session = db.session.get(OutreachSession, world.session_id)
        session.status, session.closed_at = "closed", now - timedelta(hours=79)
        db.session.commit()
    assert push_now(laptop.app).attention == 1 and stored_ids(app) == []


def test_a_session_made_on_the_laptop_is_pushed_once_before_its_sign_ups(
    app: Flask, laptop: Laptop
) -> None:
    with laptop.app.test_request_context():
        pulled = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == laptop.session_code)
        )
        local = OutreachSession(
            title="临时加开的沟通会",
            kind="worker",
            organisation_id=pulled.organisation_id,
            starts_at=utcnow() - timedelta(hours=1),
            ends_at=utcnow() + timedelta(hours=1),
            status="open",
        )
        db.session.add(local)
        db.session.commit()
        booth = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == "booth"))
        laptop.tablet_cookie = tablets.token_for(tablets.bind(local, booth))
        laptop.session_code = local.code
        assert counts().local_sessions == 1
    (signed,) = laptop.sign_up(1)
    with laptop.app.app_context():
        assert push.pending_batch(10) == []  # its session is not known upstream yet
    first = push_now(laptop.app)
    assert (first.sessions, first.acked) == (1, 1)
    with app.app_context():
        there = db.session.scalar(
            sa.select(OutreachSession).where(OutreachSession.code == laptop.session_code)
        )
        assert (there.title, there.status) == ("临时加开的沟通会", "open")
    assert stored_ids(app) == [uuid.UUID(signed)]
    with laptop.app.app_context():
        assert counts().local_sessions == 0
        # Only pulled sessions the booth has open are sent again (to open them upstream).
        assert all(s.upstream_pulled_at is not None for s in push.sessions_to_push())
    assert push_now(laptop.app).sessions == 0  # once


def test_an_answer_of_the_wrong_shape_is_retried_not_recorded(
    app: Flask, laptop: Laptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop.sign_up(2)
    real_call = push.call

    def short_answer(method: str, path: str, body: dict | None = None) -> dict:
        answer = real_call(method, path, body)
        if path == "/api/relay/signups":
            return {"results": answer["results"][:1]}  # a proxy mangled it
        return answer

    with monkeypatch.context() as mangled:
        mangled.setattr(push, "call", short_answer)
        pushed = push_now(laptop.app)
    assert pushed.errors == ["上级服务器的回答与上传的条数不符"] and pending(laptop.app) == 2
    assert push_now(laptop.app).acked == 2 and len(stored_ids(app)) == 2


def test_a_district_laptop_copies_its_unions_with_their_parents(
    app: Flask, upstream, world: World, tmp_path, sqlite_template
) -> None:
    import shutil

    from kiosk.models import Organisation
    from kiosk.relay import pull
    from tests.relay.conftest import issue_token

    database = tmp_path / "district.sqlite3"
    shutil.copy(sqlite_template, database)
    district = laptop_app(database, upstream.url, issue_token(app, world.district_id))
    with district.app_context():
        assert pull.pull() == {"new": 2, "known": 0}
        assert pull.pull() == {"new": 0, "known": 2}  # pulled again: nothing doubles
        parents = {
            org.name: org.parent.name if org.parent else None
            for org in db.session.scalars(sa.select(Organisation))
        }
        codes = set(db.session.scalars(sa.select(OutreachSession.code)))
    assert parents == {
        "大兴区总工会": None,
        "瀛海镇总工会": "大兴区总工会",
        "西红门镇总工会": "大兴区总工会",
    }
    assert codes == {world.session_code, world.other_session_code}
