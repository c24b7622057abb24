"""The Gestione page's third tab: the history of changes and the log of logins."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cittadelnoi.core import paths
from cittadelnoi.core.errors import DatiNonValidi, ErroreArchivio
from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.core.tempo import FUSO
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.scrittura import Conflitto
from cittadelnoi.ui.testo import md

ESITI = {
    "entrato": "accesso",
    "rifiutato": "accesso rifiutato (utente o password errati)",
    "sospeso": "accesso rifiutato (utente sospeso per troppi tentativi)",
    "uscito": "uscita («Esci»)",
}


def ora(quando: dt.datetime) -> str:
    """A moment as the officials read it: Italian time, day first."""
    return quando.astimezone(FUSO).strftime("%d/%m/%Y %H:%M")


def scheda_storico(store: DbStore, registro: RegistroAccessi, nomi: dict[str, str], autore: Autore) -> None:
    """The history tab: every change (who, with which role, when, old → new), undoing one
    revision (amministratori), then every login and failed login."""
    filtro_punto = st.selectbox(
        "Punto",
        ["", *nomi],
        format_func=lambda i: "Tutti i punti" if not i else f"{nomi.get(i, i)} ({i})",
        key="gestione_storico_punto",
    )
    modifiche = store.modifiche(filtro_punto or None, limite=500)
    st.caption(
        "Lo storico è in sola aggiunta: il database rifiuta di cambiare o cancellare una riga. "
        "Le righe datate prima della creazione del database vengono da "
        + paths.cita(store.data_dir, "storico_punti.csv")  # the file the database was filled from
        + "."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Quando": [ora(q) for q in modifiche["quando"]],
                "Chi": modifiche["chi"],
                "Ruolo": modifiche["ruolo"].fillna(""),
                "Revisione": modifiche["revisione"],
                "Punto": modifiche["punto"],
                "Cosa": modifiche["oggetto"] + " · " + modifiche["azione"],
                "Modifiche (prima → dopo)": modifiche["modifiche"],
                "Nota": modifiche["nota"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if autore.amministratore and not modifiche.empty:
        _annulla(store, modifiche, autore)
    st.subheader("Accessi alla gestione")
    st.caption(
        "Ogni accesso, tentativo non riuscito e uscita, con ora e nome utente come scritto (in minuscolo); "
        "le password non vengono mai registrate."
    )
    accessi = registro.elenco(limite=500)
    st.dataframe(
        pd.DataFrame(
            {
                "Quando": [ora(q) for q in accessi["quando"]],
                "Utente": accessi["utente"],
                "Esito": [ESITI.get(e, e) for e in accessi["esito"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _annulla(store: DbStore, modifiche: pd.DataFrame, autore: Autore) -> None:
    """Undo one revision in one step (stores.annulla): the undo is itself a recorded revision."""
    revisioni = list(dict.fromkeys(int(r) for r in modifiche["revisione"]))
    testi = {
        int(r): f"{ora(g['registrata'].iloc[0])} · {g['chi'].iloc[0]} · " + "; ".join(g["modifiche"].head(3))
        for r, g in modifiche.groupby("revisione", sort=False)
    }
    with st.form("gestione_annulla"):
        scelta = st.selectbox(
            "Annulla una revisione (tutte le sue modifiche, in un passo solo)",
            revisioni,
            format_func=lambda r: f"{r}: {testi.get(r, '')}"[:200],
            key="gestione_annulla_revisione",
        )
        conferma = st.form_submit_button("Annulla la revisione", icon=":material/undo:")
    if conferma and scelta is not None:
        try:
            esito = store.annulla(int(scelta), autore)
        except (Conflitto, NonAutorizzato, ErroreArchivio) as exc:
            st.error(md(exc.messaggio), icon=":material/block:")
        except DatiNonValidi as exc:
            st.error(md("; ".join(str(p) for p in exc.problemi[:5])), icon=":material/block:")
        else:
            if esito.revisione is None:
                st.info("Nulla da annullare: il registro è già com'era prima di quella revisione.")
            else:
                st.success(
                    md(
                        f"Revisione {scelta} annullata (nuova revisione {esito.revisione}): "
                        + "; ".join(esito.modifiche)
                    ),
                    icon=":material/undo:",
                )
