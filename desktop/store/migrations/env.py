"""Alembic environment for the local store, run programmatically by desktop.store.migrate.

The caller passes an open SQLAlchemy connection in ``config.attributes["connection"]``;
there is no alembic.ini and no offline (SQL script) mode.
"""

from alembic import context

from desktop.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI
    raise RuntimeError("desktop.store migrations run through desktop.store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    transaction_per_migration=True,  # step by step: each revision commits on its own
)
with context.begin_transaction():
    context.run_migrations()
