"""Alembic environment: the connection is handed in by kiosk.database."""

from __future__ import annotations

from alembic import context

from kiosk.models import Model

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always run through kiosk.database
    raise RuntimeError("run migrations with `flask --app kiosk db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Model.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
