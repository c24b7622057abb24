"""Citizens' reports from /segnala, and the rate limit's fingerprints of their senders.

`segnalazioni`: one row per report (about a point or a quartiere, a reason, a text, an optional
e-mail kept only while the report is new), its state in the Gestione queue and who closed it when.
`invii_segnalazioni`: when a report was stored and a SHA-256 fingerprint of the sender's address,
deleted after a minute; it lets every replica count the reports of one address.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from cittadelnoi.stores.schema import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "segnalazioni",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("ricevuta_il", UtcDateTime, nullable=False),
        sa.Column("tipo", sa.String(10), nullable=False),
        sa.Column("id_oggetto", sa.String(64), nullable=False),
        sa.Column("nome", sa.String(200), nullable=False),
        sa.Column("motivo", sa.String(20), nullable=False),
        sa.Column("testo", sa.Text, nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("stato", sa.String(10), nullable=False),
        sa.Column("gestita_da", sa.String(100)),
        sa.Column("gestita_il", UtcDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_segnalazioni"),
        sa.CheckConstraint("stato = 'nuova' OR email IS NULL", name="ck_segnalazioni_email_chiusa"),
    )
    op.create_index("ix_segnalazioni_ricevuta_il", "segnalazioni", ["ricevuta_il"])
    op.create_table(
        "invii_segnalazioni",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("quando", UtcDateTime, nullable=False),
        sa.Column("mittente", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_invii_segnalazioni"),
    )
    op.create_index("ix_invii_segnalazioni_quando", "invii_segnalazioni", ["quando"])
    op.create_index("ix_invii_segnalazioni_mittente", "invii_segnalazioni", ["mittente"])


def downgrade() -> None:
    op.drop_table("invii_segnalazioni")
    op.drop_table("segnalazioni")
