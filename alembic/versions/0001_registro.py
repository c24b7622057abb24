"""Register of points, desk slots, data revisions and the append-only history.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op
from cittadelnoi.stores.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SOLO_AGGIUNTE = ("revisioni", "storico")


def upgrade() -> None:
    op.create_table(
        "revisioni",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("quando", UtcDateTime, nullable=False),
        sa.Column("chi", sa.String(200), nullable=False),
        sa.Column("descrizione", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revisioni"),
    )
    op.create_table(
        "punti",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("nome", sa.Text, nullable=False),
        sa.Column("codice_istat", sa.String(8), nullable=False),
        sa.Column("stato", sa.String(20), nullable=False),
        sa.Column("indirizzo", sa.Text),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("posizione", sa.String(20), nullable=False),
        sa.Column("ente_gestore", sa.Text),
        sa.Column("partner", sa.Text),
        sa.Column("apertura", sa.Date),
        sa.Column("fonte", sa.Text, nullable=False),
        sa.Column("dimostrativo", sa.Boolean, nullable=False),
        sa.Column("ordine", sa.Integer, nullable=False),
        sa.Column("versione", sa.Integer, nullable=False),
        sa.Column("revisione", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_punti"),
        sa.ForeignKeyConstraint(["revisione"], ["revisioni.id"], name="fk_punti_revisione_revisioni"),
    )
    op.create_table(
        "sportelli",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("id_punto", sa.String(64), nullable=False),
        sa.Column("ordine", sa.Integer, nullable=False),
        sa.Column("giorno", sa.String(3), nullable=False),
        sa.Column("inizio", sa.String(5), nullable=False),
        sa.Column("fine", sa.String(5), nullable=False),
        sa.Column("volontari", sa.Integer),
        sa.Column("fonte", sa.Text, nullable=False),
        sa.Column("dimostrativo", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sportelli"),
        sa.ForeignKeyConstraint(["id_punto"], ["punti.id"], name="fk_sportelli_id_punto_punti", ondelete="CASCADE"),
    )
    op.create_index("ix_sportelli_id_punto", "sportelli", ["id_punto"])
    op.create_table(
        "storico",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("revisione", sa.Integer, nullable=False),
        sa.Column("quando", UtcDateTime, nullable=False),
        sa.Column("chi", sa.String(200), nullable=False),
        sa.Column("oggetto", sa.String(10), nullable=False),
        sa.Column("id_punto", sa.String(64), nullable=False),
        sa.Column("azione", sa.String(10), nullable=False),
        sa.Column("prima", sa.JSON),
        sa.Column("dopo", sa.JSON),
        sa.Column("modifiche", sa.Text, nullable=False),
        sa.Column("nota", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_storico"),
        sa.ForeignKeyConstraint(["revisione"], ["revisioni.id"], name="fk_storico_revisione_revisioni"),
    )
    op.create_index("ix_storico_revisione", "storico", ["revisione"])
    op.create_index("ix_storico_quando", "storico", ["quando"])
    op.create_index("ix_storico_id_punto", "storico", ["id_punto"])

    # Append-only: the history and the revisions can be added to, never changed or deleted.
    dialetto = op.get_bind().dialect.name
    if dialetto == "sqlite":
        for t in _SOLO_AGGIUNTE:
            for azione in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {t}_no_{azione.lower()} BEFORE {azione} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, 'la tabella {t} accetta solo aggiunte'); END"
                )
    elif dialetto == "postgresql":
        op.execute(
            "CREATE FUNCTION cdn_solo_aggiunte() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'la tabella % accetta solo aggiunte', TG_TABLE_NAME; END $$"
        )
        for t in _SOLO_AGGIUNTE:
            op.execute(
                f"CREATE TRIGGER {t}_solo_aggiunte BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION cdn_solo_aggiunte()"
            )
            op.execute(
                f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
                "FOR EACH STATEMENT EXECUTE FUNCTION cdn_solo_aggiunte()"
            )


def downgrade() -> None:
    dialetto = op.get_bind().dialect.name
    if dialetto == "postgresql":
        for t in _SOLO_AGGIUNTE:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_solo_aggiunte ON {t}")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}")
    for t in ("storico", "sportelli", "punti", "revisioni"):
        op.drop_table(t)
    if dialetto == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS cdn_solo_aggiunte()")
