"""Brescia Città del Noi: entry point. Run with `bash scripts/run.sh` (see README).

Runs before every page: page setup, data status, the shared filter in the sidebar.
"""

import streamlit as st

from cittadelnoi import paths, ui

st.set_page_config(page_title="Brescia Città del Noi", page_icon=str(paths.STATIC_DIR / "favicon.png"), layout="wide")

pagine = [
    st.Page("pages/panoramica.py", title="Panoramica", icon=":material/map:", default=True),
    st.Page("pages/finanziamenti.py", title="Finanziamenti", icon=":material/euro:"),
    st.Page("pages/ore_volontariato.py", title="Ore di volontariato", icon=":material/schedule:"),
]
navigazione = st.navigation(pagine)

st.sidebar.title("Brescia Città del Noi")
snap = ui.mostra_stato_dati()
ui.barra_laterale(snap)
st.sidebar.caption(
    f"Dati aggiornati alle {snap.caricato_il.astimezone().strftime('%H:%M')} · versione {snap.versione[:8]}"
    + (" · copia di riserva" if snap.da_copia else "")
)

ui.entrypoint_eseguito()
navigazione.run()
