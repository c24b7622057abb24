"""Language, presentation mode for projectors and the automatic page tour."""

from __future__ import annotations

import streamlit as st

from cittadelnoi.core import i18n
from cittadelnoi.core.i18n import _
from cittadelnoi.ui import chiavi
from cittadelnoi.ui.rete import nessuna_richiesta_esterna


def inizia_run() -> None:
    """First call of dashboard.py: language and presentation mode, from the session or the link."""
    nessuna_richiesta_esterna()
    qp = st.query_params
    if chiavi.LINGUA not in st.session_state:
        st.session_state[chiavi.LINGUA] = qp.get("lang") if qp.get("lang") in i18n.LINGUE else i18n.PREDEFINITA
    if chiavi.PRESENTA not in st.session_state:
        st.session_state[chiavi.PRESENTA] = qp.get("presenta", "").lower() in ("1", "si", "sì", "true")
        st.session_state[chiavi.GIRO] = _secondi(qp.get("giro"))
    i18n.imposta(st.session_state[chiavi.LINGUA])


def _secondi(value: str | None) -> int:
    # A tour faster than 5 s cannot be read; slower than 10 minutes is not a tour.
    try:
        return min(max(int(value), 5), 600) if value else 0
    except ValueError:
        return 0


def in_presentazione() -> bool:
    return bool(st.session_state.get(chiavi.PRESENTA))


# Streamlit sizes text in rem: a larger root font scales every label, metric and table at once.
_CSS_PRESENTAZIONE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] { display: none !important; }
html { font-size: 24px; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: 1rem 2rem !important; }
</style>
"""


def presentazione(pagine: list, corrente) -> None:
    """Presentation mode: no chrome, large type, an exit button, and the optional page tour."""
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
    successiva = pagine[(next(i for i, p in enumerate(pagine) if p.url_path == corrente.url_path) + 1) % len(pagine)]
    st.session_state["giro_prima_esecuzione"] = True

    @st.fragment(run_every=secondi)
    def avanza() -> None:
        # The fragment also runs with the page: only its timed reruns turn the page.
        if st.session_state.pop("giro_prima_esecuzione", False):
            st.caption(_("Giro automatico: pagina successiva tra {n} secondi.").format(n=secondi))
            return
        st.switch_page(successiva)

    avanza()
