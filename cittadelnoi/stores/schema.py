"""The database schema of the register (kept identical to alembic/versions; tests/db checks it)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from cittadelnoi.loaders.registro import COLONNE_ORARIO, COLONNE_PUNTI


class UtcDateTime(sa.types.TypeDecorator):
    """An aware UTC datetime in every backend (SQLite keeps no time zone: store naive UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware one")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

revisioni = sa.Table(
    "revisioni",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("quando", UtcDateTime, nullable=False),
    sa.Column("chi", sa.String(200), nullable=False),
    sa.Column("descrizione", sa.Text, nullable=False),
    sa.Column("utente", sa.String(100)),  # the account behind the change (0005; None: before roles)
    sa.Column("ruolo", sa.String(20)),  # its role then: amministratore | referente (0005)
)

punti = sa.Table(
    "punti",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("nome", sa.Text, nullable=False),
    sa.Column("codice_istat", sa.String(8), nullable=False),
    sa.Column("stato", sa.String(20), nullable=False),
    sa.Column("indirizzo", sa.Text),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("posizione", sa.String(20), nullable=False),
    sa.Column("ente_gestore", sa.Text),
    sa.Column("partner", sa.Text),
    sa.Column("apertura", sa.String(10)),  # AAAA-MM-GG or AAAA-MM, as the source gives it
    sa.Column("fonte", sa.Text, nullable=False),
    sa.Column("dimostrativo", sa.Boolean, nullable=False),
    sa.Column("ordine", sa.Integer, nullable=False),
    sa.Column("versione", sa.Integer, nullable=False),
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False),
    sa.Column("conferma", sa.String(10)),  # latest date a source shows the point active (0003)
    sa.Column("sportello", sa.Text),  # desk hours as a source words them, when no slots are known
    sa.Column("quartiere_da_verificare", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("nota", sa.Text),
    sa.Column("prima_attestazione", sa.String(10)),  # earliest date a source shows the point active (0004)
)

sportelli = sa.Table(
    "sportelli",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id_punto", sa.String(64), sa.ForeignKey("punti.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("ordine", sa.Integer, nullable=False),
    sa.Column("giorno", sa.String(3), nullable=False),
    sa.Column("inizio", sa.String(5), nullable=False),
    sa.Column("fine", sa.String(5), nullable=False),
    sa.Column("volontari", sa.Integer),
    sa.Column("fonte", sa.Text, nullable=False),
    sa.Column("dimostrativo", sa.Boolean, nullable=False),
)

storico = sa.Table(
    "storico",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False, index=True),
    sa.Column("quando", UtcDateTime, nullable=False, index=True),  # when the change took effect
    sa.Column("chi", sa.String(200), nullable=False),
    sa.Column("oggetto", sa.String(10), nullable=False),  # punto | orario
    sa.Column("id_punto", sa.String(64), nullable=False, index=True),
    sa.Column("azione", sa.String(10), nullable=False),  # crea | modifica | elimina
    sa.Column("prima", sa.JSON),
    sa.Column("dopo", sa.JSON),
    sa.Column("modifiche", sa.Text, nullable=False),
    sa.Column("nota", sa.Text),
    # True when `quando` is the day the fact entered the register, not a documented date (a point
    # with no opening date, the desk hours of the first fill): never counted as new (0004).
    sa.Column("data_ignota", sa.Boolean, nullable=False, server_default=sa.false()),
)

# Settings officials change on the Gestione page, e.g. "registro_completo" (0003).
impostazioni = sa.Table(
    "impostazioni",
    metadata,
    sa.Column("chiave", sa.String(64), primary_key=True),
    sa.Column("valore", sa.Text, nullable=False),
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False),
)

# Residents per quartiere imported on the Gestione page (the Comune's table); empty: data/popolazione.csv.
popolazione = sa.Table(
    "popolazione",
    metadata,
    sa.Column("codice_istat", sa.String(8), primary_key=True),
    sa.Column("anno", sa.Integer, primary_key=True),
    sa.Column("residenti", sa.Integer, nullable=False),
    sa.Column("fonte", sa.Text, nullable=False),
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False),
)

# Login sessions of the Gestione page (auth.sessioni): the browser holds a token in an HttpOnly
# cookie, the database only its SHA-256; «Esci» sets revocata_il, for every replica at once.
sessioni = sa.Table(
    "sessioni",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("utente", sa.String(100), nullable=False, index=True),
    sa.Column("nome", sa.String(200), nullable=False),
    sa.Column("creata_il", UtcDateTime, nullable=False),
    sa.Column("scade_il", UtcDateTime, nullable=False),
    sa.Column("token", sa.String(64), unique=True, index=True),  # SHA-256 of the cookie's token
    sa.Column("biglietto", sa.String(64), unique=True, index=True),  # SHA-256 of the one-time ticket
    sa.Column("biglietto_scade", UtcDateTime),
    sa.Column("revocata_il", UtcDateTime),
)

# Every login, failed login and logout (never a password): shown on the Gestione page, and the
# failed logins of the last 15 minutes lock a name in every replica (auth.accesso.attesa).
accessi = sa.Table(
    "accessi",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("quando", UtcDateTime, nullable=False, index=True),
    sa.Column("utente", sa.String(100), nullable=False, index=True),
    sa.Column("esito", sa.String(10), nullable=False),  # entrato | rifiutato | sospeso | uscito
)

# Accounts stored in the database (0005): created and disabled by an amministratore on the Gestione
# page or with scripts/nuovo_utente.py. Only a bcrypt hash of the password, never the password.
account = sa.Table(
    "account",
    metadata,
    sa.Column("utente", sa.String(100), primary_key=True),  # normalised (auth.accesso.normalizza_utente)
    sa.Column("nome", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200)),
    sa.Column("ruolo", sa.String(20), nullable=False),  # amministratore | referente
    sa.Column("hash_password", sa.String(100), nullable=False),
    sa.Column("attivo", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("creato_il", UtcDateTime, nullable=False),
    sa.Column("creato_da", sa.String(100), nullable=False),
    sa.Column("modificato_il", UtcDateTime, nullable=False),
    sa.Column("modificato_da", sa.String(100), nullable=False),
)

# The points of a referente (0005): no foreign key, so a point removed and imported again keeps
# its referente.
account_punti = sa.Table(
    "account_punti",
    metadata,
    sa.Column("utente", sa.String(100), sa.ForeignKey("account.utente", ondelete="CASCADE"), primary_key=True),
    sa.Column("id_punto", sa.String(64), primary_key=True),
)

# Citizens' reports from /segnala (0006): about a point or a quartiere (no foreign key: a report
# outlives a point removed from the register), read only on the Gestione page. Closing one
# (accolta or respinta) deletes its e-mail; the database refuses a closed report with an e-mail.
segnalazioni = sa.Table(
    "segnalazioni",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ricevuta_il", UtcDateTime, nullable=False, index=True),
    sa.Column("tipo", sa.String(10), nullable=False),  # punto | quartiere
    sa.Column("id_oggetto", sa.String(64), nullable=False),  # the point's id or the quartiere's ISTAT code
    sa.Column("nome", sa.String(200), nullable=False),  # its name when the report was sent
    sa.Column("motivo", sa.String(20), nullable=False),  # core.segnalazioni.MOTIVI
    sa.Column("testo", sa.Text, nullable=False),
    sa.Column("email", sa.String(254)),
    sa.Column("stato", sa.String(10), nullable=False),  # nuova | accolta | respinta
    sa.Column("gestita_da", sa.String(100)),
    sa.Column("gestita_il", UtcDateTime),
    sa.CheckConstraint("stato = 'nuova' OR email IS NULL", name="ck_segnalazioni_email_chiusa"),
)

# The rate limit of /segnala: one row per stored report, with a fingerprint of the sender's
# address (never the address), deleted once older than a minute (stores.segnalazioni).
invii_segnalazioni = sa.Table(
    "invii_segnalazioni",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("quando", UtcDateTime, nullable=False, index=True),
    sa.Column("mittente", sa.String(64), nullable=False, index=True),
)

# The points' monthly reports (0007): one row per point and month, counts only (no name of a
# volunteer or of a citizen). No foreign key: a report outlives a point removed from the register.
# A figure left empty is unknown (NULL), never 0. Each write is a revision (revisione).
rendiconti = sa.Table(
    "rendiconti",
    metadata,
    sa.Column("id_punto", sa.String(64), primary_key=True),
    sa.Column("mese", sa.String(7), primary_key=True),  # AAAA-MM
    sa.Column("ore_sportello", sa.Float),
    sa.Column("volontari", sa.Integer),
    sa.Column("ore_volontariato", sa.Float),
    sa.Column("accessi", sa.Integer),
    sa.Column("note", sa.Text),
    sa.Column("fonte", sa.Text, nullable=False),
    sa.Column("stato", sa.String(10), nullable=False),  # bozza | inviato
    sa.Column("revisione", sa.Integer, sa.ForeignKey("revisioni.id"), nullable=False),
)

_COLONNE_PUNTO_DB = [c for c in COLONNE_PUNTI]
_COLONNE_FASCIA_DB = [c for c in COLONNE_ORARIO]
