"""The points' monthly reports ("rendiconti", issue 23).

`rendiconti`: one row per point and month (AAAA-MM): desk hours held, active volunteers, their
person-hours, people served, a note, the source and the state (bozza | inviato), and the revision
that wrote it. Counts only. The hourly value of volunteering lives in `impostazioni`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rendiconti",
        sa.Column("id_punto", sa.String(64), nullable=False),
        sa.Column("mese", sa.String(7), nullable=False),
        sa.Column("ore_sportello", sa.Float),
        sa.Column("volontari", sa.Integer),
        sa.Column("ore_volontariato", sa.Float),
        sa.Column("accessi", sa.Integer),
        sa.Column("note", sa.Text),
        sa.Column("fonte", sa.Text, nullable=False),
        sa.Column("stato", sa.String(10), nullable=False),
        sa.Column("revisione", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id_punto", "mese", name="pk_rendiconti"),
        sa.ForeignKeyConstraint(["revisione"], ["revisioni.id"], name="fk_rendiconti_revisione_revisioni"),
    )


def downgrade() -> None:
    op.drop_table("rendiconti")
