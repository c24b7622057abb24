"""Truthful register: dates at day or month precision, last confirmation, desk hours as worded by
a source, "quartiere da verificare", notes; settings (register complete); residents per quartiere.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ricostruisci_punti(modifica) -> None:
    """Run `modifica(batch_or_op)` on the table punti. SQLite rebuilds the table; dropping the old
    one with foreign keys on would delete every desk slot (ON DELETE CASCADE): keep them aside
    and put them back."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TEMPORARY TABLE _sportelli_0003 AS SELECT * FROM sportelli")
        with op.batch_alter_table("punti") as batch:
            modifica(batch)
        op.execute("DELETE FROM sportelli")
        op.execute("INSERT INTO sportelli SELECT * FROM _sportelli_0003")
        op.execute("DROP TABLE _sportelli_0003")
    else:
        modifica(None)


def upgrade() -> None:
    def apertura_testo(batch) -> None:
        if batch is not None:
            batch.alter_column("apertura", type_=sa.String(10), existing_type=sa.Date())
        else:
            op.alter_column(
                "punti",
                "apertura",
                type_=sa.String(10),
                existing_type=sa.Date(),
                postgresql_using="to_char(apertura, 'YYYY-MM-DD')",
            )

    _ricostruisci_punti(apertura_testo)
    op.add_column("punti", sa.Column("conferma", sa.String(10)))
    op.add_column("punti", sa.Column("sportello", sa.Text))
    op.add_column("punti", sa.Column("quartiere_da_verificare", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("punti", sa.Column("nota", sa.Text))
    op.create_table(
        "impostazioni",
        sa.Column("chiave", sa.String(64), nullable=False),
        sa.Column("valore", sa.Text, nullable=False),
        sa.Column("revisione", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("chiave", name="pk_impostazioni"),
        sa.ForeignKeyConstraint(["revisione"], ["revisioni.id"], name="fk_impostazioni_revisione_revisioni"),
    )
    op.create_table(
        "popolazione",
        sa.Column("codice_istat", sa.String(8), nullable=False),
        sa.Column("anno", sa.Integer, nullable=False),
        sa.Column("residenti", sa.Integer, nullable=False),
        sa.Column("fonte", sa.Text, nullable=False),
        sa.Column("revisione", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("codice_istat", "anno", name="pk_popolazione"),
        sa.ForeignKeyConstraint(["revisione"], ["revisioni.id"], name="fk_popolazione_revisione_revisioni"),
    )


def downgrade() -> None:
    op.drop_table("popolazione")
    op.drop_table("impostazioni")
    # Month-precision dates have no DATE form: they become the first day of the month.
    op.execute("UPDATE punti SET apertura = apertura || '-01' WHERE length(apertura) = 7")

    def indietro(batch) -> None:
        for colonna in ("nota", "quartiere_da_verificare", "sportello", "conferma"):
            (batch or op).drop_column(*([colonna] if batch is not None else ["punti", colonna]))
        if batch is not None:
            # SQLite has no DATE type: CAST(... AS DATE) would turn '2016-01-10' into 2016. The
            # ISO text stays as it is, which is what 0001's DATE column held on SQLite anyway.
            pass
        else:
            op.alter_column(
                "punti", "apertura", type_=sa.Date(), existing_type=sa.String(10), postgresql_using="apertura::date"
            )

    _ricostruisci_punti(indietro)
