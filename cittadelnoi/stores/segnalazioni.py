"""Citizens' reports in the register's database: stored by `/segnala`, closed on the Gestione page.

Tables `segnalazioni` and `invii_segnalazioni` (migration 0006). The rate limit is counted in the
database, so it holds across replicas: a report is stored only if its sender's address (as a
fingerprint, core.segnalazioni.impronta_indirizzo) stored fewer than LIMITE_AL_MINUTO reports in
the last FINESTRA; the count and the insert are one transaction, serialised (SQLite's BEGIN
IMMEDIATE, a PostgreSQL advisory lock of their own), so two replicas cannot both let a sixth in.
Fingerprints older than FINESTRA are deleted by every report stored and every reading of the queue.

Closing a report (accolta or respinta: amministratori only, checked here) deletes its e-mail in
the same statement; the database itself refuses a closed report that still has one (a CHECK
constraint). Reports never reach the public: no route or export reads this module.
"""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from cittadelnoi.core.ruoli import Autore
from cittadelnoi.core.segnalazioni import (
    ACCOLTA,
    CONSERVAZIONE_CHIUSE,
    FINESTRA,
    NUOVA,
    RESPINTA,
    Segnalazione,
    TroppeSegnalazioni,
    troppe,
)
from cittadelnoi.stores.engine import configura
from cittadelnoi.stores.schema import invii_segnalazioni, segnalazioni

_log = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the rate limit: not the register's (_CHIAVE_LOCK), so a long import
# never keeps a citizen waiting.
_CHIAVE_INVII = 0x43444E53  # "CDNS"

COLONNE_CODA = [
    "id",
    "ricevuta_il",
    "tipo",
    "id_oggetto",
    "nome",
    "motivo",
    "testo",
    "email",
    "stato",
    "gestita_da",
    "gestita_il",
]


class RegistroSegnalazioni:
    """Reports on `engine` (schema already migrated: see DbStore.segnalazioni)."""

    def __init__(self, engine: Engine):
        self.engine = configura(engine)

    def _pulisci(self, conn: Connection, adesso: dt.datetime) -> None:
        conn.execute(sa.delete(invii_segnalazioni).where(invii_segnalazioni.c.quando <= adesso - FINESTRA))
        # Closed reports are kept CONSERVAZIONE_CHIUSE after they were closed, then deleted.
        conn.execute(
            sa.delete(segnalazioni).where(
                segnalazioni.c.stato != NUOVA, segnalazioni.c.gestita_il <= adesso - CONSERVAZIONE_CHIUSE
            )
        )

    def invia(self, segnalazione: Segnalazione, mittente: str, adesso: dt.datetime) -> int:
        """Store `segnalazione` from `mittente` (an address fingerprint); its id. Raises
        TroppeSegnalazioni, storing nothing, when `mittente` already stored LIMITE_AL_MINUTO
        reports in the FINESTRA before `adesso`."""
        o = segnalazione.oggetto
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHIAVE_INVII})
                self._pulisci(conn, adesso)
                recenti = conn.execute(
                    sa.select(sa.func.count())
                    .select_from(invii_segnalazioni)
                    .where(invii_segnalazioni.c.mittente == mittente, invii_segnalazioni.c.quando > adesso - FINESTRA)
                ).scalar_one()
                if troppe(recenti):
                    raise TroppeSegnalazioni(mittente)
                conn.execute(sa.insert(invii_segnalazioni).values(quando=adesso, mittente=mittente))
                return int(
                    conn.execute(
                        sa.insert(segnalazioni)
                        .values(
                            ricevuta_il=adesso,
                            tipo=o.tipo,
                            id_oggetto=o.id[:64],
                            nome=o.nome[:200],
                            motivo=segnalazione.motivo,
                            testo=segnalazione.testo,
                            email=segnalazione.email,
                            stato=NUOVA,
                        )
                        .returning(segnalazioni.c.id)
                    ).scalar_one()
                )

    def coda(self, stato: str | None = None, limite: int = 500, adesso: dt.datetime | None = None) -> pd.DataFrame:
        """The reports, newest first (columns COLONNE_CODA), only those in `stato` when given.
        Deletes the rate limit's expired fingerprints on the way (`adesso`: now)."""
        q = sa.select(*(segnalazioni.c[c] for c in COLONNE_CODA))
        if stato is not None:
            q = q.where(segnalazioni.c.stato == stato)
        q = q.order_by(segnalazioni.c.ricevuta_il.desc(), segnalazioni.c.id.desc()).limit(limite)
        try:  # first what has expired, so that it is not shown once more
            self.dimentica_mittenti(adesso or dt.datetime.now(dt.UTC))
        except SQLAlchemyError as exc:  # a read-only or busy database still shows the queue
            _log.warning("impronte del limite di invio non cancellate: %s", exc)
        with self.engine.connect() as conn:
            righe = conn.execute(q).mappings().all()
        return pd.DataFrame([dict(r) for r in righe], columns=COLONNE_CODA)

    def conta_nuove(self) -> int:
        """How many reports wait in the queue (stato «nuova»)."""
        q = sa.select(sa.func.count()).select_from(segnalazioni).where(segnalazioni.c.stato == NUOVA)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def chiudi(self, id_: int, esito: str, autore: Autore, adesso: dt.datetime) -> bool:
        """Close the new report `id_` as `esito` (ACCOLTA or RESPINTA): records the account and when,
        and deletes its e-mail. False when it was not new (closed meanwhile, or gone). Raises
        NonAutorizzato, closing nothing, unless `autore` is an amministratore."""
        if esito not in (ACCOLTA, RESPINTA):
            raise ValueError(f"esito non valido: {esito!r}")
        autore.richiedi_amministratore("chiudere una segnalazione")
        istruzione = (
            sa.update(segnalazioni)
            .where(segnalazioni.c.id == id_, segnalazioni.c.stato == NUOVA)
            .values(stato=esito, gestita_da=autore.utente[:100], gestita_il=adesso, email=None)
        )
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                return conn.execute(istruzione).rowcount == 1

    def dimentica_mittenti(self, adesso: dt.datetime) -> None:
        """Delete the rate limit's fingerprints older than FINESTRA and the reports closed more than
        CONSERVAZIONE_CHIUSE ago (a write only when there are any)."""
        scaduti = sa.select(invii_segnalazioni.c.id).where(invii_segnalazioni.c.quando <= adesso - FINESTRA).limit(1)
        vecchie = (
            sa.select(segnalazioni.c.id)
            .where(segnalazioni.c.stato != NUOVA, segnalazioni.c.gestita_il <= adesso - CONSERVAZIONE_CHIUSE)
            .limit(1)
        )
        with self.engine.connect() as conn:
            if conn.execute(scaduti).first() is None and conn.execute(vecchie).first() is None:
                return
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                self._pulisci(conn, adesso)

    def mittenti_ricordati(self) -> int:
        """How many fingerprints the rate limit holds (for tests and the README's claim)."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(invii_segnalazioni)).scalar_one())
