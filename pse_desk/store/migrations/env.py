"""Alembic environment: always given a live connection by ``runner`` (no ini file)."""

from __future__ import annotations

from alembic import context

from pse_desk.store.model import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - we never run Alembic from its own CLI
    raise RuntimeError("run migrations through pse_desk.store.migrations.runner")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
