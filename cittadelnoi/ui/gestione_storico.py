"""The Gestione page's third tab: the history of changes and the log of logins."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cittadelnoi.core import paths
from cittadelnoi.core.tempo import FUSO
from cittadelnoi.stores.accessi import RegistroAccessi
from cittadelnoi.stores.db import DbStore

ESITI = {
    "entrato": "accesso",
    "rifiutato": "accesso rifiutato (utente o password errati)",
    "sospeso": "accesso rifiutato (utente sospeso per troppi tentativi)",
    "uscito": "uscita («Esci»)",
}


def ora(quando: dt.datetime) -> str:
    """A moment as the officials read it: Italian time, day first."""
    return quando.astimezone(FUSO).strftime("%d/%m/%Y %H:%M")


def scheda_storico(store: DbStore, registro: RegistroAccessi, nomi: dict[str, str]) -> None:
    """The history tab: every change (who, when, old → new), then every login and failed login."""
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
                "Punto": modifiche["punto"],
                "Cosa": modifiche["oggetto"] + " · " + modifiche["azione"],
                "Modifiche (prima → dopo)": modifiche["modifiche"],
                "Nota": modifiche["nota"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )
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
