"""Login sessions and the access log of the Gestione page, in the register's database.

The tables (`sessioni`, `accessi`, migration 0002) live next to the register, so every replica
sees the same sessions and the same failed logins: a session revoked by «Esci» on one replica is
refused by all, and a name locked by failed logins is locked everywhere.

Only fingerprints of secrets reach this module (auth.sessioni.impronta): the database never
holds a cookie token or a ticket, and never a password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cittadelnoi.core.ruoli import CONSERVAZIONE_ACCESSI
from cittadelnoi.stores.engine import configura
from cittadelnoi.stores.schema import accessi, sessioni

ESITO_FALLITO = "rifiutato"  # the esito that counts towards a lock (auth.accesso.Esito.RIFIUTATO)
ESITO_ENTRATO = "entrato"  # ... and the one that clears the count


@dataclass(frozen=True)
class Sessione:
    """A live session: its row id, the normalised user name, the display name, its end."""

    id: str
    utente: str
    nome: str
    scade_il: dt.datetime


class RegistroAccessi:
    """Sessions and access log on `engine` (schema already migrated: see DbStore.registro_accessi)."""

    def __init__(self, engine: Engine):
        self.engine = configura(engine)

    def scrivi(self, istruzione: sa.Executable) -> int:
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                return conn.execute(istruzione).rowcount

    # -- access log --

    def registra(self, utente: str, esito: str, quando: dt.datetime) -> None:
        """Record one login, failed login or logout of `utente` (never a password); in the same
        transaction, delete the records older than core.ruoli.CONSERVAZIONE_ACCESSI."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(cdn_scrittura=True)
            with conn.begin():
                conn.execute(sa.insert(accessi).values(quando=quando, utente=utente[:100], esito=esito))
                conn.execute(sa.delete(accessi).where(accessi.c.quando < quando - CONSERVAZIONE_ACCESSI))

    def falliti(self, utente: str, dal: dt.datetime) -> list[dt.datetime]:
        """When `utente` failed to log in after `dal` and after its last successful login."""
        ultimo = (
            sa.select(sa.func.max(accessi.c.quando))
            .where(accessi.c.utente == utente, accessi.c.esito == ESITO_ENTRATO)
            .scalar_subquery()
        )
        q = (
            sa.select(accessi.c.quando)
            .where(accessi.c.utente == utente, accessi.c.esito == ESITO_FALLITO, accessi.c.quando > dal)
            .where(sa.or_(ultimo.is_(None), accessi.c.quando > ultimo))
            .order_by(accessi.c.quando)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

    def elenco(self, limite: int = 500) -> pd.DataFrame:
        """The access log, newest first: quando, utente, esito."""
        q = sa.select(accessi.c.quando, accessi.c.utente, accessi.c.esito)
        q = q.order_by(accessi.c.quando.desc(), accessi.c.id.desc()).limit(limite)
        with self.engine.connect() as conn:
            righe = conn.execute(q).mappings().all()
        return pd.DataFrame([dict(r) for r in righe], columns=["quando", "utente", "esito"])

    # -- sessions --

    def apri(
        self,
        id_: str,
        utente: str,
        nome: str,
        biglietto: str,
        adesso: dt.datetime,
        durata: dt.timedelta,
        durata_biglietto: dt.timedelta,
    ) -> Sessione:
        """A new session for `utente`, with the fingerprint of its one-time ticket."""
        scade = adesso + durata
        self.scrivi(
            sa.insert(sessioni).values(
                id=id_,
                utente=utente,
                nome=nome[:200],
                creata_il=adesso,
                scade_il=scade,
                biglietto=biglietto,
                biglietto_scade=adesso + durata_biglietto,
            )
        )
        return Sessione(id_, utente, nome, scade)

    def scambia(self, biglietto: str, token: str, adesso: dt.datetime) -> bool:
        """Turn a live session's unexpired ticket into its cookie token, once: True when done."""
        return (
            self.scrivi(
                sa.update(sessioni)
                .where(
                    sessioni.c.biglietto == biglietto,
                    sessioni.c.biglietto_scade > adesso,
                    sessioni.c.revocata_il.is_(None),
                    sessioni.c.scade_il > adesso,
                )
                .values(token=token, biglietto=None, biglietto_scade=None)
            )
            == 1
        )

    def biglietto_in_attesa(self, id_: str, adesso: dt.datetime) -> bool:
        """Session `id_`'s one-time ticket is still waiting to become its cookie (not exchanged, not expired)."""
        q = sa.select(sessioni.c.id).where(
            sessioni.c.id == id_,
            sessioni.c.biglietto.is_not(None),
            sessioni.c.biglietto_scade > adesso,
            sessioni.c.revocata_il.is_(None),
        )
        with self.engine.connect() as conn:
            return conn.execute(q).first() is not None

    def _viva(self, condizione: sa.ColumnElement[bool], adesso: dt.datetime) -> Sessione | None:
        q = sa.select(sessioni.c.id, sessioni.c.utente, sessioni.c.nome, sessioni.c.scade_il).where(
            condizione, sessioni.c.revocata_il.is_(None), sessioni.c.scade_il > adesso
        )
        with self.engine.connect() as conn:
            r = conn.execute(q).first()
        return Sessione(r.id, r.utente, r.nome, r.scade_il) if r else None

    def da_token(self, token: str, adesso: dt.datetime) -> Sessione | None:
        """The live session whose cookie token has this fingerprint, or None."""
        return self._viva(sessioni.c.token == token, adesso)

    def viva(self, id_: str, adesso: dt.datetime) -> Sessione | None:
        """The session `id_` if it is neither revoked nor expired."""
        return self._viva(sessioni.c.id == id_, adesso)

    def revoca(self, id_: str, adesso: dt.datetime) -> bool:
        """End session `id_` for good (its token opens nothing any more): True if it was live."""
        return self._revoca(sessioni.c.id == id_, adesso)

    def revoca_token(self, token: str, adesso: dt.datetime) -> bool:
        """End the session whose cookie token has this fingerprint: True if it was live."""
        return self._revoca(sessioni.c.token == token, adesso)

    def _revoca(self, condizione: sa.ColumnElement[bool], adesso: dt.datetime) -> bool:
        istruzione = (
            sa.update(sessioni)
            .where(condizione, sessioni.c.revocata_il.is_(None))
            .values(revocata_il=adesso, biglietto=None, biglietto_scade=None)
        )
        return self.scrivi(istruzione) > 0
