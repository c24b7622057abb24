"""The Gestione page's «Scarica tutto» (amministratori): one ZIP of every table (views.esporta_tutto).

The store gives the tables to an amministratore only (stores.esportazione), as the database says
when the button is pressed (the session still live, the account still active and amministratore),
whatever this page showed; the ZIP is built then, in Streamlit's download thread, table by table."""

from __future__ import annotations

import logging

import streamlit as st

from cittadelnoi.core import tempo
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.stores.accessi import Sessione
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.stores.db import DbStore
from cittadelnoi.views.dati_aperti import punti_geojson
from cittadelnoi.views.esporta_tutto import zip_tutto

LOG = logging.getLogger("cittadelnoi.gestione")


def scarica_tutto(store: DbStore, snap: Snapshot | None, sessione: Sessione, autore: Autore) -> None:
    """The section: what the ZIP holds and leaves out, and its download button."""
    st.subheader("Scarica tutto")
    st.caption(
        "Un file ZIP con ogni tabella del database in CSV (registro, orari, storico, revisioni, segnalazioni, "
        "account, accessi…), il registro in GeoJSON e un LEGGIMI.md che descrive ogni colonna: per portare i "
        "dati del Comune in un altro sistema. Senza indirizzi e-mail, hash delle password e token delle sessioni."
    )

    def contenuto() -> bytes:
        LOG.info("Scarica tutto: %s", autore.utente)
        geojson = punti_geojson(snap.punti) if snap is not None else None
        # NonAutorizzato (logged by Streamlit, nothing downloaded) unless still a live amministratore
        with store.esporta_tutto(autore, sessione.id) as esp:
            return zip_tutto(esp.intestazioni, esp.colonne, esp.schema, esp.righe, geojson)

    st.download_button(
        "Scarica tutto (ZIP)",
        data=contenuto,
        file_name=f"cittadelnoi-dati-{tempo.oggi().isoformat()}.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
        key="gestione_scarica_tutto",
    )
