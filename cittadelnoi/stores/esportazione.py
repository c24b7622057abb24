"""Every table of the database as frames, for the amministratori's «Scarica tutto» (issue 26, point 5).

Generic: every table of stores.schema.metadata (so a table a new migration adds is exported without
a change here), every column but the reserved ones, chosen by a rule on the column's name
(`riservata`: e-mails, password hashes, session tokens and tickets, senders' fingerprints), never by
a list of tables. Only an amministratore gets them (`apri`: NonAutorizzato otherwise), as the
database says at the moment of the download (`autore_attuale`: the session still live, the account
still active and still an amministratore). Rows are read `PASSO` at a time in one read
transaction, never a whole table in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.stores.schema import UtcDateTime, metadata

# A column whose name contains one of these is never exported: personal contacts, secrets or what
# could open a session (a hash of a password or of a token), fingerprints of senders.
_RISERVATA = re.compile(r"e_?mail|hash|password|token|biglietto|mittente", re.IGNORECASE)
PASSO = 2000  # rows fetched at a time (a server-side cursor on PostgreSQL)


def riservata(colonna: str) -> bool:
    """True for a column left out of every export (see _RISERVATA)."""
    return bool(_RISERVATA.search(colonna))


@dataclass(frozen=True)
class Esportazione:
    """`intestazioni`: table name -> its exported columns; `colonne`: table name -> one Italian line
    per exported column (type, required, key, reference) and a last one naming the columns left out;
    `schema`: the database's schema version; `righe(nome)`: the table's rows as lists of text cells
    (ISO instants in UTC, JSON as text, "" for unknown), in key order, read PASSO at a time, only
    inside `apri`'s `with` block."""

    intestazioni: dict[str, list[str]]
    colonne: dict[str, list[str]]
    schema: str
    righe: Callable[[str], Iterator[list[object]]]


def _tipo(colonna: sa.Column) -> str:
    t = colonna.type
    if isinstance(t, UtcDateTime):
        return "istante ISO 8601 in UTC"
    if isinstance(t, sa.Boolean):
        return "sì/no"
    if isinstance(t, sa.Integer):
        return "numero intero"
    if isinstance(t, sa.Float):
        return "numero decimale (punto come separatore)"
    if isinstance(t, sa.JSON):
        return "JSON"
    lunghezza = getattr(t, "length", None)
    return f"testo (al più {lunghezza} caratteri)" if lunghezza else "testo"


def descrivi(tabella: sa.Table) -> list[str]:
    """One line per exported column of `tabella`, then «omesse: …» when a column is left out."""
    righe = []
    for c in tabella.columns:
        if riservata(c.name):
            continue
        obbligo = "obbligatoria" if not c.nullable else "facoltativa"
        chiave = ", chiave" if c.primary_key else ""
        rif = "".join(f", rimanda a {fk.target_fullname}" for fk in c.foreign_keys)
        righe.append(f"`{c.name}`: {_tipo(c)}, {obbligo}{chiave}{rif}")
    omesse = [c.name for c in tabella.columns if riservata(c.name)]
    if omesse:
        righe.append(f"omesse: {', '.join(omesse)}")
    return righe


def _testo(v: object) -> object:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).isoformat() if v.tzinfo else v.isoformat()
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(v, bool):
        return "sì" if v else "no"
    return v


def autore_attuale(engine: Engine, autore: Autore, id_sessione: str, adesso: dt.datetime) -> Autore:
    """`autore` as the database says now: NonAutorizzato when session `id_sessione` is no longer
    live (logged out, expired, revoked) or not `autore`'s, or when the account was disabled; the
    role and points read again from the database (an account of the secrets keeps its own)."""
    from cittadelnoi.stores.accessi import RegistroAccessi
    from cittadelnoi.stores.account import RegistroAccount

    sessione = RegistroAccessi(engine).viva(id_sessione, adesso)
    if sessione is None:
        raise NonAutorizzato("la sessione è terminata (uscita, scaduta o revocata): accedere di nuovo")
    if sessione.utente != autore.utente:
        raise NonAutorizzato(f"la sessione non è dell'account «{autore.utente}»")
    account = RegistroAccount(engine).cerca(autore.utente)
    if account is None:
        return autore
    if not account.attivo:
        raise NonAutorizzato(f"l'account «{autore.utente}» è stato disattivato")
    return account.autore()


@contextmanager
def apri(engine: Engine, autore: Autore) -> Iterator[Esportazione]:
    """Every table (see the module), read in one transaction held while the block runs.
    NonAutorizzato unless `autore` is an amministratore."""
    if not autore.amministratore:
        raise NonAutorizzato(
            f"l'account «{autore.utente}» ({autore.ruolo}) non può scaricare tutti i dati: "
            "solo un amministratore può farlo"
        )
    from cittadelnoi.stores.engine import versione_schema

    per_nome = {t.name: t for t in metadata.sorted_tables}
    esportate = {n: [c for c in t.columns if not riservata(c.name)] for n, t in per_nome.items()}
    with engine.connect() as conn, conn.begin():

        def righe(nome: str) -> Iterator[list[object]]:
            colonne = esportate[nome]
            ordine = list(per_nome[nome].primary_key.columns) or colonne
            q = sa.select(*colonne).order_by(*ordine).execution_options(yield_per=PASSO)
            for blocco in conn.execute(q).partitions():
                for r in blocco:
                    yield [_testo(v) for v in r]

        yield Esportazione(
            {n: [c.name for c in cs] for n, cs in esportate.items()},
            {n: descrivi(t) for n, t in per_nome.items()},
            versione_schema(conn) or "",
            righe,
        )
