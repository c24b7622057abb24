"""Il mio punto: a point's referente confirms and updates it from a phone (login required).

The logic lives in cittadelnoi.ui.mio_punto; the store enforces the role (core.ruoli). Italian
only, as the Gestione page.
"""

from __future__ import annotations

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.stores.db import DbStore
from cittadelnoi.ui import gestione_accesso, mio_punto

st.title("Il mio punto")
store = ui.archivio()
if not isinstance(store, DbStore):
    st.info("Questa installazione legge i dati dai file: il registro non si modifica da qui.", icon=":material/info:")
    st.stop()
try:
    registro_accessi = store.registro_accessi()
except ErroreArchivio as exc:
    st.error(f"Accesso non disponibile. {ui.md(exc.messaggio)}", icon=":material/error:")
    st.stop()
sessione = gestione_accesso.accesso_gestione(registro_accessi)
autore = gestione_accesso.autore(sessione)
if autore is None:
    st.stop()
st.caption(f"Accesso come **{ui.md(autore.nome)}** ({autore.ruolo}).")
if (scelta := mio_punto.scegli_punto(store, autore)) is not None:
    mio_punto.conferma(store, scelta, autore)
    with st.expander("Aggiorna i dati del punto", icon=":material/edit:"):
        mio_punto.modulo_punto(store, scelta, autore)
