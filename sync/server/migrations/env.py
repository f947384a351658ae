"""Alembic environment of the server schema.

``sync.server.migrate`` passes an open connection in ``config.attributes["connection"]``;
run by hand, the database URL comes from ``DATABASE_URL``.
"""

import os

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from sync.server.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # pragma: no cover - the alembic command line
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL, or run `imbizo-server migrate`")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
