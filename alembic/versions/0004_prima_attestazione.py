"""First attestation of a point, and history rows whose date is not documented.

`punti.prima_attestazione`: the earliest date a source shows the point active (AAAA-MM-GG or
AAAA-MM). `storico.data_ignota`: the row's `quando` is the day the fact entered the register, not
a documented date; such rows are never counted as new in a change figure. Rows written by the
first fill with those meanings (recognisable by the fixed notes that fill wrote) are marked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The notes the first fill (stores.scrittura.semina, up to 0003) wrote on undated rows.
_NOTE_SENZA_DATA = (
    "data di apertura non documentata: presente dalla creazione del database",
    "orari precedenti non documentati",
)


def upgrade() -> None:
    op.add_column("punti", sa.Column("prima_attestazione", sa.String(10)))
    op.add_column("storico", sa.Column("data_ignota", sa.Boolean, nullable=False, server_default=sa.false()))
    storico = sa.table("storico", sa.column("nota", sa.Text), sa.column("data_ignota", sa.Boolean))
    segna = storico.update().where(storico.c.nota.in_(_NOTE_SENZA_DATA)).values(data_ignota=True)
    # The history is append-only (0001's triggers): lifted for this one marking, inside the
    # migration's transaction, and put back as they were.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS storico_no_update")
        op.execute(segna)
        op.execute(
            "CREATE TRIGGER storico_no_update BEFORE UPDATE ON storico "
            "BEGIN SELECT RAISE(ABORT, 'la tabella storico accetta solo aggiunte'); END"
        )
    else:
        op.execute("ALTER TABLE storico DISABLE TRIGGER storico_solo_aggiunte")
        op.execute(segna)
        op.execute("ALTER TABLE storico ENABLE TRIGGER storico_solo_aggiunte")


def downgrade() -> None:
    op.execute("ALTER TABLE storico DROP COLUMN data_ignota")
    if op.get_bind().dialect.name == "sqlite":
        # Rebuilding punti on SQLite with foreign keys on would delete every desk slot (CASCADE).
        op.execute("CREATE TEMPORARY TABLE _sportelli_0004 AS SELECT * FROM sportelli")
        with op.batch_alter_table("punti") as batch:
            batch.drop_column("prima_attestazione")
        op.execute("DELETE FROM sportelli")
        op.execute("INSERT INTO sportelli SELECT * FROM _sportelli_0004")
        op.execute("DROP TABLE _sportelli_0004")
    else:
        op.drop_column("punti", "prima_attestazione")
