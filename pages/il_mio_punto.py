"""Il mio punto: a point's referente confirms and updates it from a phone (login required).

The logic lives in cittadelnoi.ui.mio_punto; the store enforces the role (core.ruoli). Italian
only, as the Gestione page.
"""

from __future__ import annotations

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.ui import gestione_accesso, mio_punto, rendiconti_modulo

st.title("Il mio punto")
store, _, _, autore = gestione_accesso.entra()
st.caption(f"Accesso come **{ui.md(autore.nome)}** ({autore.ruolo}).")
if (scelta := mio_punto.scegli_punto(store, autore)) is not None:
    mio_punto.conferma(store, scelta, autore)
    st.subheader("Rendiconto del mese")
    rendiconti_modulo.modulo_rendiconto(store, scelta, autore, "mio_punto_rendiconto")
    with st.expander("Aggiorna i dati del punto", icon=":material/edit:"):
        mio_punto.modulo_punto(store, scelta, autore)
