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
    assert len(modelled) == 14
    assert migrated == modelled
