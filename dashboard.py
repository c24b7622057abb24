"""Brescia Città del Noi: entry point. Run with `bash scripts/run.sh` (see README).

Runs before every page: language, page setup, data status, the shared filter in the sidebar.
"""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import paths, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.ui import gestione_accesso

ui.inizia_run()
st.set_page_config(
    page_title="Brescia Città del Noi",
    page_icon=str(paths.STATIC_DIR / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if ui.in_presentazione() else "auto",
)

pagine = [
    st.Page("pages/panoramica.py", title=_("Panoramica"), icon=":material/map:", default=True),
    st.Page("pages/finanziamenti.py", title=_("Finanziamenti"), icon=":material/euro:"),
    st.Page("pages/ore_volontariato.py", title=_("Ore di volontariato"), icon=":material/schedule:"),
    st.Page("pages/dove_aprire.py", title=_("Dove aprire"), icon=":material/add_location_alt:"),
    st.Page("pages/il_mio_punto.py", title=_("Il mio punto"), icon=":material/storefront:"),
    st.Page("pages/gestione.py", title=_("Gestione"), icon=":material/edit_note:"),
]
navigazione = st.navigation(pagine, position="hidden")  # the menu is ui.menu_pagine, below
menu = st.sidebar.container()
ui.filigrana_esempio()  # sample data (CITTADELNOI_DATI=esempio): a banner and a watermark on every page
gestione_accesso.controlla_configurazione()  # warnings about the accounts, logged once per process

st.sidebar.title("Brescia Città del Noi")
# Whatever state the data are in, the page still runs: the public pages say there is nothing to
# show, and the Gestione page (with its login) stays reachable to repair the register.
snap = None
try:
    snap = ui.mostra_stato_dati()
    if snap is not None:
        ui.barra_laterale(snap)
        ui.prepara(navigazione)
        with st.sidebar:
            ui.bottone_copia()
        st.sidebar.caption(
            _("Dati aggiornati il {data} alle {ora} · versione {versione}").format(
                data=tempo.quando(snap.caricato_il).data,
                ora=tempo.quando(snap.caricato_il).ora,
                versione=snap.versione[:8],
            )
            + (" · " + _("copia di riserva") if snap.da_copia else "")
        )
        ui.piede_licenza()
        with st.sidebar:
            # A change saved on the Gestione page (in any replica) reaches this viewer within seconds.
            ui.aggiorna_se_cambiano_i_dati(snap.versione)
    ui.presentazione(pagine, navigazione)
except Exception as exc:
    ui.errore_non_previsto(exc)

# The menu last: its links carry the view this run wrote to the URL.
ui.menu_pagine(menu, pagine)
try:
    ui.esegui_pagina(navigazione)
finally:  # also after a page's st.stop(): the footer (AgID) closes every page
    ui.piede_pagina(snap.caricato_il if snap is not None else None, in_presentazione=ui.in_presentazione())
