"""Alembic environment of the register database.

The app passes its own connection (config.attributes["connection"], inside a transaction that
holds the migration lock, see cittadelnoi/db.aggiorna_schema). From the command line the URL is
the setting `db_url` (CITTADELNOI_DB_URL, core.impostazioni), or the embedded SQLite file.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.stores import engine as db
from cittadelnoi.stores import schema

config = context.config
target_metadata = schema.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=connection.dialect.name == "sqlite"
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    engine = db.crea_engine(impostazioni().db_url or db.url_predefinito())
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them on the database")
run_migrations_online()
