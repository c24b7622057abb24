"""Language, presentation mode for projectors and the automatic page tour."""

from __future__ import annotations

import streamlit as st

from cittadelnoi.core import i18n, vista
from cittadelnoi.core.i18n import _
from cittadelnoi.ui import chiavi
from cittadelnoi.ui.rete import nessuna_richiesta_esterna
from cittadelnoi.ui.streamlit_interni import corsa_da_cronologia


def inizia_run() -> None:
    """First call of dashboard.py: language and presentation mode, from the session or the link.

    The URL sets the view on a session's first run (a shared link) and on a run started by the
    browser's Back or Forward button; on every other run the session's state is newer than the URL
    and is written to it by `filtri.scrivi_url` (see there why this is not "whenever they differ").
    """
    nessuna_richiesta_esterna()
    dal_link = vista.da_query(st.query_params.to_dict())
    vince = url_vince()
    st.session_state[chiavi.URL_VINCE] = vince
    if vince or chiavi.LINGUA not in st.session_state:
        st.session_state[chiavi.LINGUA] = dal_link.lingua
    if vince or chiavi.PRESENTA not in st.session_state:
        st.session_state[chiavi.PRESENTA] = dal_link.presenta
        st.session_state[chiavi.GIRO] = dal_link.giro
    i18n.imposta(st.session_state[chiavi.LINGUA])


def parametri_nostri() -> dict[str, str]:
    """The URL's parameters that describe the view (vista.PARAMETRI), as they are now."""
    return vista.nostri(st.query_params.to_dict())


def url_vince() -> bool:
    """True when this run must take the view from the URL instead of the session.

    Streamlit sends the browser's current query string with every rerun and pushes a history
    entry for each change the script makes (replacing the entry instead during a Back/Forward
    run). Comparing the URL with what the app last wrote is not enough on its own: a widget
    changed while the previous run's URL update is still on its way arrives with the older query
    string, and taking it would undo the user's last choice. So the URL wins when the session
    starts and when the run was started by history navigation (the browser's Back or Forward,
    flagged by the front end) and the URL differs from what the app last wrote.
    """
    scritto = st.session_state.get(chiavi.URL_SCRITTO)
    if scritto is None:
        return True
    if parametri_nostri() == scritto:
        return False
    return corsa_da_cronologia()


def in_presentazione() -> bool:
    return bool(st.session_state.get(chiavi.PRESENTA))


# Streamlit sizes text in rem: a larger root font scales every label, metric and table at once.
# 24 px on a 1920-pixel projector, 16 px at 1280: each page of the tour fits one screen (the map
# takes the screen's height, title, figures and "Stato al" sit beside it).
_CSS_PRESENTAZIONE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] { display: none !important; }
html { font-size: clamp(16px, 1.25vw, 24px); }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: 0.75rem 1.5rem !important; }
/* 1.6rem: the overview's title stays on one line in its third of the screen, in Titillium Web too. */
[data-testid="stMainBlockContainer"] h1 { font-size: 1.6rem; padding: 0 0 0.5rem; }
.st-key-esci_presentazione { position: fixed; top: 0.15rem; left: 0.15rem; z-index: 1001; width: auto !important; }
.st-key-esci_presentazione button { min-height: 0; padding: 0.1rem 0.35rem; font-size: 0.7rem; opacity: 0.75; }
.st-key-esci_presentazione button:hover, .st-key-esci_presentazione button:focus { opacity: 1; }
/* Icon only in the top left corner, in the page margin (it covers nothing on the slide); the label stays for screen readers. */
.st-key-esci_presentazione button p { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.st-key-mappa_vista iframe { height: calc(100vh - 2.5rem) !important; }
.st-key-kpi [data-testid="stMetricValue"] { font-size: 1.9rem; }
[data-testid="stMainBlockContainer"] > div > [data-testid="stVerticalBlock"] { gap: 0.6rem; }
</style>
"""

# Always: a phone keeps the figures in a 2x2 grid and the map within its first two screens.
CSS_SEMPRE = """
<style>
.st-key-mappa_vista iframe { height: 560px !important; }
.cdn-copia button { font: inherit; font-size: 0.9rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.3); background: #fff; color: #31333F; cursor: pointer; }
.cdn-copia button:hover { border-color: #c4302b; color: #c4302b; }
.cdn-copia span { font-size: 0.8rem; margin-left: 0.4rem; }
.cdn-copia .cdn-link { margin: 0.5rem 0 0; padding: 0.4rem 0.6rem; border-radius: 0.5rem; background: #f0f2f6;
  color: #31333F; font-family: "Source Code Pro", monospace; font-size: 0.75rem; overflow-wrap: anywhere; user-select: all; }
@media (max-width: 640px) {
  .st-key-kpi [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; gap: 0.5rem !important; }
  .st-key-kpi [data-testid="stColumn"] { flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important; }
  .st-key-kpi [data-testid="stMetricValue"] { font-size: 1.4rem; }
  .st-key-kpi [data-testid="stMetricLabel"] p { font-size: 0.8rem; }
  .st-key-mappa_vista iframe { height: 62vh !important; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.6rem; }
}
</style>
"""


def presentazione(pagine: list, corrente) -> None:
    """Presentation mode: no chrome, large type, an exit button, and the optional page tour."""
    st.html(CSS_SEMPRE)
    if not in_presentazione():
        return
    st.html(_CSS_PRESENTAZIONE)
    st.button(
        _("Esci dalla presentazione"), icon=":material/close_fullscreen:", on_click=_esci, key="esci_presentazione"
    )
    secondi = st.session_state.get(chiavi.GIRO) or 0
    if secondi:
        _giro(pagine, corrente, secondi)


def _esci() -> None:
    st.session_state[chiavi.PRESENTA] = False


def _giro(pagine: list, corrente, secondi: int) -> None:
    # The tour shows the public pages: the pages that need a login are not slides.
    pagine = [p for p in pagine if p.url_path not in i18n.SOLO_ITALIANO]
    posizione = next((i for i, p in enumerate(pagine) if p.url_path == corrente.url_path), -1)
    successiva = pagine[(posizione + 1) % len(pagine)]
    st.session_state["giro_prima_esecuzione"] = True

    @st.fragment(run_every=secondi)
    def avanza() -> None:
        # The fragment also runs with the page: only its timed reruns turn the page.
        if st.session_state.pop("giro_prima_esecuzione", False):
            st.caption(_("Giro automatico: pagina successiva tra {n} secondi.").format(n=secondi))
            return
        # With the view's parameters: one history entry per slide (see ui/menu.py).
        st.switch_page(successiva, query_params=parametri_nostri())

    avanza()
