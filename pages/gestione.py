"""Gestione: officials edit the register of points (login required).

Edit one point, import a whole register with a preview of every problem before anything is
written, read the history of changes and of logins, close citizens' reports (/segnala). The login, the forms and the comparisons live
in cittadelnoi (ui.gestione_*, auth, loaders.modulo, stores.accessi). The page is for the
Comune's officials: Italian only.
"""

from __future__ import annotations

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.ui import (
    gestione_accesso,
    gestione_account,
    gestione_esporta,
    gestione_importa,
    gestione_modifica,
    gestione_registro,
    gestione_segnalazioni,
    gestione_storico,
    rendiconti_modulo,
)

st.title("Gestione del registro dei punti")
store, registro_accessi, sessione, autore = gestione_accesso.entra()
gestione_accesso.intestazione(sessione, demo=gestione_accesso.configurazione().demo)
if not autore.amministratore:
    # The store refuses a referente's write to any other point whatever the page shows.
    st.info("Questo account è di un referente: i suoi punti si aggiornano dalla pagina «Il mio punto».")
    st.page_link("pages/il_mio_punto.py", label="Il mio punto", icon=":material/storefront:")
    ui.ferma_pagina()
snap = ui.dati_se_ci_sono()
if snap is None:
    st.warning(
        "Il registro salvato non può essere mostrato (vedi il messaggio in alto): importare un registro "
        "corretto qui sotto per ripararlo.",
        icon=":material/build:",
    )
aggiornato = gestione_storico.ora(snap.caricato_il) if snap is not None else "—"
st.caption(
    f"Ultimo aggiornamento dei dati: {aggiornato}. Ogni modifica è registrata nello storico con autore, ora, "
    "valore precedente e nuovo."
)
gestione_modifica.esito_precedente()

punti_rec, fasce_rec, info = store.registro_attuale()
nomi = {r["id"]: r["nome"] or r["id"] for r in punti_rec}
quartieri = store.quartieri_di_riferimento().set_index("codice_istat")["nome"].to_dict()
try:
    segnalazioni = store.segnalazioni()
except ErroreArchivio:
    segnalazioni = None  # the tab says so
(
    tab_modifica,
    tab_importa,
    tab_rendiconti,
    tab_storico,
    tab_posizione,
    tab_completezza,
    tab_segnalazioni,
    tab_account,
) = st.tabs(
    [
        "Modifica un punto",
        "Importa il registro",
        "Rendiconti mensili",
        "Storico delle modifiche",
        "Posizione e conferme",
        "Completezza e residenti",
        gestione_segnalazioni.etichetta_scheda(segnalazioni),
        "Account",
    ]
)
with tab_modifica:
    gestione_modifica.scheda_modifica(store, nomi, info, quartieri, autore)
with tab_importa:
    gestione_importa.scheda_importa(store, punti_rec, fasce_rec, autore)
with tab_rendiconti:
    rendiconti_modulo.scheda_rendiconti(store, nomi, snap.valore_orario if snap is not None else None, autore)
with tab_storico:
    gestione_storico.scheda_storico(store, registro_accessi, nomi, autore)
with tab_segnalazioni:
    gestione_segnalazioni.scheda_segnalazioni(segnalazioni, autore)
# Issue 11: positions, confirmations, completeness, residents (cittadelnoi/ui/gestione_registro.py).
if snap is not None:
    with tab_posizione:
        gestione_registro.sezione_posizione(store, snap, autore)
    with tab_completezza:
        gestione_registro.sezione_completezza(store, snap, autore)
with tab_account:
    gestione_account.scheda_account(store, nomi, autore)
gestione_esporta.scarica_tutto(store, snap, sessione, autore)
