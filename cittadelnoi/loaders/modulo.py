"""The Gestione page's form and comparisons, as plain data (no Streamlit).

What the official typed becomes a register record here (the same text form as a row of
`data/punti.csv`, then checked by the loaders when saved); a save refused because someone else
saved first becomes a comparison table; an import becomes the list of its changes; problems
become the table the page shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from cittadelnoi.core.errors import Problema
from cittadelnoi.loaders import registro
from cittadelnoi.loaders.registro import COLONNE_ORARIO, COLONNE_PUNTI
from cittadelnoi.loaders.storico import Record

NUOVO = "__nuovo__"  # the "new point" choice of the point selector
STATI = {"attivo": "attivo", "in_apertura": "in apertura"}
POSIZIONI = {
    "centro_quartiere": "indicativa: centro del quartiere (luogo non documentato)",
    "indirizzo": "documentata: latitudine e longitudine qui sotto",
}
COLONNE_CONFRONTO = ["Campo", "Quando hai iniziato", "Ora nel registro", "Tua versione"]
COLONNE_PROBLEMI = ["File", "Riga", "Colonna", "Problema"]


def record_vuoto() -> Record:
    """The form of a new point: nothing filled in, opening, at the quartiere's centre, real."""
    return {c: None for c in COLONNE_PUNTI} | {
        "stato": "in_apertura",
        "posizione": "centro_quartiere",
        "dimostrativo": "no",
    }


def record_dal_modulo(valori: Mapping[str, object], dimostrativo: bool) -> Record:
    """The point's record from the form's fields (keys of COLONNE_PUNTI), as register text."""
    rec = {c: valori.get(c) for c in COLONNE_PUNTI if c != "dimostrativo"}
    rec["id"] = str(rec.get("id") or "").strip()
    rec["dimostrativo"] = "sì" if dimostrativo else "no"
    return {k: registro.testo(v) for k, v in rec.items()}


def orario_dal_modulo(righe: Iterable[Mapping[str, object]]) -> list[Record]:
    """The desk slots of the schedule editor, without the rows left empty."""
    records = [registro.record(dict(r), COLONNE_ORARIO) for r in righe]
    return [r for r in records if any(r.get(c) for c in COLONNE_ORARIO if c != "dimostrativo")]


def tabella_orario(orario: Sequence[Record]) -> pd.DataFrame:
    """A point's desk slots as the schedule editor shows them (text columns, a tick for demo)."""
    tabella = pd.DataFrame(
        [{**f, "dimostrativo": f.get("dimostrativo") == "sì"} for f in orario], columns=list(COLONNE_ORARIO)
    )
    tabella["dimostrativo"] = tabella["dimostrativo"].fillna(False).astype(bool)
    return tabella.astype({c: "string" for c in COLONNE_ORARIO if c != "dimostrativo"})


def confronto(iniziale: Record, attuale: Record, tuo: Record) -> pd.DataFrame:
    """A refused save: each field where the version the official started from, the register now
    and the official's version are not all the same."""
    campi = [c for c in COLONNE_PUNTI if len({iniziale.get(c), attuale.get(c), tuo.get(c)}) > 1]
    return pd.DataFrame(
        [[c, iniziale.get(c), attuale.get(c), tuo.get(c)] for c in campi],
        columns=COLONNE_CONFRONTO,
    )


def righe_anteprima(
    nuovi: Iterable[str], modificati: Mapping[str, str], rimossi: Iterable[str], orari: Mapping[str, str]
) -> pd.DataFrame:
    """What an import would change, one row per point and kind of change."""
    righe = (
        [(i, "nuovo punto", "") for i in nuovi]
        + [(i, "modificato", t) for i, t in modificati.items()]
        + [(i, "rimosso (con le sue fasce orarie)", "") for i in rimossi]
        + [(i, "orario", t) for i, t in orari.items()]
    )
    return pd.DataFrame(righe, columns=["Punto", "Cosa", "Modifiche"])


def contiene_problemi(n: int) -> str:
    """ "Il file contiene 1 problema" / "... 3 problemi": the lead of a refused import's message."""
    return f"Il file contiene {n} {'problema' if n == 1 else 'problemi'}"


def tabella_problemi(problemi: Iterable[Problema]) -> pd.DataFrame:
    """Problems by file, row and column, as the page lists them: text cells, "—" where a problem
    concerns the whole file (no row) or no column, never None."""
    return pd.DataFrame(
        [[p.file, "—" if p.riga is None else str(p.riga), p.colonna or "—", p.messaggio] for p in problemi],
        columns=COLONNE_PROBLEMI,
    )
