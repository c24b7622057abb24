"""Every table of the database as frames, for the amministratori's «Scarica tutto» (issue 26, point 5).

Generic: every table of stores.schema.metadata (so a table a new migration adds is exported without
a change here), every column but the reserved ones, chosen by a rule on the column's name
(`riservata`: e-mails, password hashes, session tokens and tickets, senders' fingerprints), never by
a list of tables. Only an amministratore gets them (`tabelle`: NonAutorizzato otherwise).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.stores.schema import UtcDateTime, metadata

# A column whose name contains one of these is never exported: personal contacts, secrets or what
# could open a session (a hash of a password or of a token), fingerprints of senders.
_RISERVATA = re.compile(r"e_?mail|hash|password|token|biglietto|mittente", re.IGNORECASE)


def riservata(colonna: str) -> bool:
    """True for a column left out of every export (see _RISERVATA)."""
    return bool(_RISERVATA.search(colonna))


@dataclass(frozen=True)
class Esportazione:
    """`tabelle`: table name -> its rows as text frames (ISO instants in UTC, JSON as text, "" for
    unknown); `colonne`: table name -> one Italian line per exported column (type, required, key,
    reference) and a last one naming the columns left out; `schema`: the database's schema version."""

    tabelle: dict[str, pd.DataFrame]
    colonne: dict[str, list[str]]
    schema: str


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


def tabelle(engine: Engine, autore: Autore) -> Esportazione:
    """Every table (see the module), read in one transaction. NonAutorizzato unless `autore` is an
    amministratore."""
    if not autore.amministratore:
        raise NonAutorizzato(
            f"l'account «{autore.utente}» ({autore.ruolo}) non può scaricare tutti i dati: "
            "solo un amministratore può farlo"
        )
    from cittadelnoi.stores.engine import versione_schema

    out: dict[str, pd.DataFrame] = {}
    with engine.connect() as conn, conn.begin():
        schema = versione_schema(conn) or ""
        for t in metadata.sorted_tables:
            colonne = [c for c in t.columns if not riservata(c.name)]
            ordine = list(t.primary_key.columns) or colonne
            righe = conn.execute(sa.select(*colonne).order_by(*ordine)).all()
            out[t.name] = pd.DataFrame(
                [[_testo(v) for v in r] for r in righe], columns=[c.name for c in colonne], dtype=object
            )
    return Esportazione(out, {t.name: descrivi(t) for t in metadata.sorted_tables}, schema)
