"""Accounts and roles in the database: amministratore and referente (with its points); the account
and role behind each revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from cittadelnoi.stores.schema import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("revisioni", sa.Column("utente", sa.String(100)))
    op.add_column("revisioni", sa.Column("ruolo", sa.String(20)))
    op.create_table(
        "account",
        sa.Column("utente", sa.String(100), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("ruolo", sa.String(20), nullable=False),
        sa.Column("hash_password", sa.String(100), nullable=False),
        sa.Column("attivo", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("creato_il", UtcDateTime, nullable=False),
        sa.Column("creato_da", sa.String(100), nullable=False),
        sa.Column("modificato_il", UtcDateTime, nullable=False),
        sa.Column("modificato_da", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("utente", name="pk_account"),
    )
    op.create_table(
        "account_punti",
        sa.Column("utente", sa.String(100), nullable=False),
        sa.Column("id_punto", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("utente", "id_punto", name="pk_account_punti"),
        sa.ForeignKeyConstraint(
            ["utente"], ["account.utente"], name="fk_account_punti_utente_account", ondelete="CASCADE"
        ),
    )


def downgrade() -> None:
    op.drop_table("account_punti")
    op.drop_table("account")
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): a batch rebuild of revisioni on SQLite would
    # drop a table that every other table refers to.
    op.execute("ALTER TABLE revisioni DROP COLUMN ruolo")
    op.execute("ALTER TABLE revisioni DROP COLUMN utente")
