"""Login sessions (revocable in every replica) and the log of logins of the Gestione page.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from cittadelnoi.stores.schema import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessioni",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("utente", sa.String(100), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("creata_il", UtcDateTime, nullable=False),
        sa.Column("scade_il", UtcDateTime, nullable=False),
        sa.Column("token", sa.String(64)),
        sa.Column("biglietto", sa.String(64)),
        sa.Column("biglietto_scade", UtcDateTime),
        sa.Column("revocata_il", UtcDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_sessioni"),
    )
    op.create_index("ix_sessioni_utente", "sessioni", ["utente"])
    op.create_index("ix_sessioni_token", "sessioni", ["token"], unique=True)
    op.create_index("ix_sessioni_biglietto", "sessioni", ["biglietto"], unique=True)
    op.create_table(
        "accessi",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("quando", UtcDateTime, nullable=False),
        sa.Column("utente", sa.String(100), nullable=False),
        sa.Column("esito", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accessi"),
    )
    op.create_index("ix_accessi_quando", "accessi", ["quando"])
    op.create_index("ix_accessi_utente", "accessi", ["utente"])


def downgrade() -> None:
    op.drop_table("accessi")
    op.drop_table("sessioni")
