"""The migrations build the schema the models describe, on every backend."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask

from kiosk.database import upgrade
from kiosk.extensions import db
from kiosk.models import Model


def test_migrations_match_models(app: Flask) -> None:
    """The `app` fixture's database was built by `upgrade head` alone."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Model.metadata) == []


def test_upgrade_on_an_empty_sqlite_database(tmp_path) -> None:
    from kiosk import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"})
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in Model.metadata.sorted_tables} <= tables
        assert "alembic_version" in tables
        db.engine.dispose()


def test_db_check_command_agrees(runner) -> None:
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_check_constraints_match_the_models(tmp_path) -> None:
    """Autogenerate ignores CHECK constraints; the choices they list must still agree.

    SQLite keeps each constraint's SQL as written, so the migrated schema is compared
    text for text with the models (whose lists come from kiosk.choices).
    """
    from kiosk import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/checks.db"})
    with app.app_context():
        upgrade()
        inspector = sa.inspect(db.engine)
        migrated = {
            (table.name, check["name"]): check["sqltext"]
            for table in Model.metadata.sorted_tables
            for check in inspector.get_check_constraints(table.name)
        }
        db.engine.dispose()
    modelled = {
        (table.name, constraint.name): str(constraint.sqltext)
        for table in Model.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, sa.CheckConstraint)
    }
    assert len(modelled) == 20
    assert migrated == modelled


def test_upgrading_an_sqlite_database_with_data_keeps_every_row(tmp_path) -> None:
    """0011 recreates outreach_session on SQLite; its sign-ups must survive (no cascade)."""
    from kiosk import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/old.db"})
    with app.app_context():
        upgrade("0002")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO organisation (id, name, level, created_at) VALUES (1, '瀛海镇总工会', 'subdistrict', '2026-11-01 00:00:00')"))  # fmt: skip  # noqa: E501
            conn.execute(sa.text("INSERT INTO outreach_session (id, code, kind, title, organisation_id, starts_at, ends_at, status, created_at) VALUES (1, 'abc', 'worker', 't', 1, '2026-11-01 06:00:00', '2026-11-01 08:00:00', 'closed', '2026-11-01 00:00:00')"))  # fmt: skip  # noqa: E501
            conn.execute(sa.text("INSERT INTO signup (id, session_id, name, phone, occupation, interests, consent_version, consented_at, source, created_at, content_hash) VALUES ('0b7c6c9e3d0a4f8e9a533f2f0b6b2c11', 1, '张三', '13800138000', 'courier', '[]', 'v', '2026-11-01 06:30:00', 'kiosk', '2026-11-01 06:30:00', 'h')"))  # fmt: skip  # noqa: E501
            conn.execute(sa.text("INSERT INTO follow_up (organisation_id, phone, status, updated_at) VALUES (1, '13800138000', 'joined', '2026-11-01 18:00:00')"))  # fmt: skip  # noqa: E501
        upgrade()
        with db.engine.begin() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM signup")).scalar() == 1
            # Marked joined before join dates existed: the day it was saved, in Beijing.
            assert conn.execute(sa.text("SELECT joined_on FROM follow_up")).scalar() == "2026-11-02"
            conn.execute(sa.text("UPDATE outreach_session SET status = 'cancelled', cancel_reason = '雨'"))  # fmt: skip  # noqa: E501
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
