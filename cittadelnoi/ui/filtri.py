"""The shared zona/quartiere filter in the sidebar, kept in the URL."""

from __future__ import annotations

import streamlit as st

from cittadelnoi.core import i18n
from cittadelnoi.core.i18n import _
from cittadelnoi.metrics.filtri import Filtro, a_query_params, da_query_params
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui import chiavi
from cittadelnoi.ui.presentazione import in_presentazione
from cittadelnoi.ui.testo import md


def barra_laterale(snap: Snapshot) -> Filtro:
    """Render the filter, language and presentation switches in the sidebar, synced with the URL."""
    q = snap.quartieri
    if chiavi.LINK not in st.session_state:
        # First run of this browser session: the URL (a shared link) sets the filter.
        filtro, messaggi = da_query_params(st.query_params.to_dict(), q)
        st.session_state[chiavi.ZONA] = filtro.zona or chiavi.NESSUNO
        st.session_state[chiavi.QUARTIERE] = filtro.quartiere or chiavi.NESSUNO
        st.session_state[chiavi.LINK] = messaggi
    for msg in st.session_state[chiavi.LINK]:
        st.sidebar.warning(md(msg))  # quotes the link: shown as written

    if st.session_state.get(chiavi.LINGUA_FILTRI) != i18n.lingua():
        # A select box whose value stays the same keeps showing the label it was first drawn with
        # when only format_func's text changes, e.g. "Tutti i quartieri" after switching to
        # English (streamlit/streamlit#13788). Assigning the value again makes Streamlit resend it.
        st.session_state[chiavi.ZONA] = st.session_state.get(chiavi.ZONA, chiavi.NESSUNO)
        st.session_state[chiavi.QUARTIERE] = st.session_state.get(chiavi.QUARTIERE, chiavi.NESSUNO)
        st.session_state[chiavi.LINGUA_FILTRI] = i18n.lingua()

    zone = sorted(q["zona"].unique())
    if st.session_state.get(chiavi.ZONA) not in (chiavi.NESSUNO, *zone):
        st.session_state[chiavi.ZONA] = chiavi.NESSUNO
    zona = st.sidebar.selectbox(
        _("Zona"),
        [chiavi.NESSUNO, *zone],
        key=chiavi.ZONA,
        format_func=lambda z: z or _("Tutte le zone"),
        placeholder=_("Scegli una zona"),
        on_change=_zona_cambiata,
        args=(q,),
    )
    scelta = q if not zona else q[q["zona"] == zona]
    nomi: dict[str, str] = dict(zip(scelta["codice_istat"], scelta["nome"], strict=True))
    if st.session_state.get(chiavi.QUARTIERE) not in (chiavi.NESSUNO, *nomi):
        st.session_state[chiavi.QUARTIERE] = chiavi.NESSUNO
    st.sidebar.selectbox(
        _("Quartiere"),
        [chiavi.NESSUNO, *sorted(nomi, key=lambda c: nomi[c])],
        key=chiavi.QUARTIERE,
        format_func=lambda c: nomi[c] if c else _("Tutti i quartieri"),
        placeholder=_("Scegli un quartiere"),
        on_change=_dimentica_link,
    )
    st.sidebar.divider()
    st.sidebar.radio(
        "Lingua / Language", list(i18n.LINGUE), key=chiavi.LINGUA, format_func=i18n.LINGUE.get, horizontal=True
    )
    st.sidebar.toggle(
        _("Modalità presentazione"),
        key=chiavi.PRESENTA,
        help=_("Schermo intero senza barra laterale, caratteri grandi: per il proiettore. Link: ?presenta=1&giro=20"),
    )
    filtro = filtro_corrente()
    _scrivi_url(filtro, q)
    return filtro


def _dimentica_link() -> None:
    # The link's warnings (unknown zona/quartiere) stay until the user picks a filter.
    st.session_state[chiavi.LINK] = []


def _zona_cambiata(q) -> None:
    _dimentica_link()
    code = st.session_state.get(chiavi.QUARTIERE)
    zona = st.session_state.get(chiavi.ZONA)
    # `code` may be a value the client sent that is not a code of the current list (a stale
    # option after a rerun race): drop it rather than fail on the empty lookup.
    zona_q = q.loc[q["codice_istat"] == code, "zona"]
    if code and zona and (zona_q.empty or zona_q.iloc[0] != zona):
        st.session_state[chiavi.QUARTIERE] = chiavi.NESSUNO


def _scrivi_url(filtro: Filtro, q) -> None:
    wanted = a_query_params(filtro, q)
    if st.session_state[chiavi.LINGUA] != i18n.PREDEFINITA:
        wanted["lang"] = st.session_state[chiavi.LINGUA]
    if in_presentazione():
        wanted["presenta"] = "1"
        if st.session_state.get(chiavi.GIRO):
            wanted["giro"] = str(st.session_state[chiavi.GIRO])
    current = st.query_params.to_dict()
    # Keep parameters that are not ours, replace ours.
    others = {k: v for k, v in current.items() if k not in chiavi.PARAMETRI}
    if {**others, **wanted} != current:
        st.query_params.from_dict({**others, **wanted})


def filtro_corrente() -> Filtro:
    return Filtro(st.session_state.get(chiavi.ZONA) or None, st.session_state.get(chiavi.QUARTIERE) or None)


def filtro() -> Filtro:
    return filtro_corrente()


def seleziona_quartiere(codice: str | None, zona: str | None) -> None:
    """Set the filter from outside the sidebar (a click on the map). Call from a widget callback."""
    st.session_state[chiavi.ZONA] = zona or chiavi.NESSUNO
    st.session_state[chiavi.QUARTIERE] = codice or chiavi.NESSUNO
