"""The shared zona/quartiere filter in the sidebar, and the whole view kept in the URL.

The URL carries the filter, the language, presentation mode, the overview's "Stato al" date and
open panels, the reference date of the KPIs' change and the point picked on the map (their one
home: core.vista, pure functions to and from the URL). Here the view goes from the URL into the
session's widgets and back. Each change is one browser history entry; Back and Forward restore
the view (presentazione.url_vince).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from cittadelnoi.core import i18n, vista
from cittadelnoi.core.i18n import _
from cittadelnoi.core.vista import VistaState
from cittadelnoi.metrics.filtri import Filtro, in_vista, risolvi
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui import chiavi
from cittadelnoi.ui.archivio import primo_giorno_storico, storico_disponibile
from cittadelnoi.ui.presentazione import in_presentazione
from cittadelnoi.ui.testo import md

GIORNI_CONFRONTO = 90  # default reference date of the KPIs' change: this many days before today


def barra_laterale(snap: Snapshot) -> Filtro:
    """Render the filter, language and presentation switches in the sidebar, synced with the URL."""
    q = snap.quartieri
    if st.session_state.get(chiavi.URL_VINCE, True):
        # First run of this browser session (a shared link) or Back/Forward: the URL sets the view.
        _vista_da_url(st.query_params.to_dict(), snap)
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
        on_change=_quartiere_cambiato,
    )
    if storico_disponibile() and (primo := primo_giorno_storico()) is not None:
        if not isinstance(st.session_state.get(chiavi.DAL), dt.date):
            st.session_state[chiavi.DAL] = confronto_predefinito()
        st.sidebar.date_input(
            _("Variazioni rispetto al"),
            # Earlier than the history is allowed: the figures then show no change, as nothing is known.
            min_value=min(primo, st.session_state[chiavi.DAL]),
            max_value=oggi(),
            key=chiavi.DAL,
            format="DD/MM/YYYY",
            help=_(
                "Ogni cifra mostra di quanto è cambiata da questo giorno, secondo lo storico del registro "
                "(predefinito: {n} giorni fa)."
            ).format(n=GIORNI_CONFRONTO),
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


def oggi() -> dt.date:
    from cittadelnoi.core import tempo

    return tempo.oggi()


def confronto_predefinito() -> dt.date:
    return oggi() - dt.timedelta(days=GIORNI_CONFRONTO)


def data_confronto() -> dt.date | None:
    """The reference date of the KPIs' change, or None when the history does not reach it."""
    if not storico_disponibile():
        return None
    dal, primo = st.session_state.get(chiavi.DAL), primo_giorno_storico()
    if not isinstance(dal, dt.date) or primo is None or dal < primo:
        return None
    return dal


def _vista_da_url(params: dict[str, str], snap: Snapshot) -> None:
    """Set the session's view from URL parameters; values that do not fit are dropped (those that
    cannot be read by vista.da_query, those the data do not know here)."""
    q = snap.quartieri
    dal_link = vista.da_query(params)
    filtro, messaggi = risolvi(dal_link.zona, dal_link.quartiere, q)
    st.session_state[chiavi.ZONA] = filtro.zona or chiavi.NESSUNO
    st.session_state[chiavi.QUARTIERE] = filtro.quartiere or chiavi.NESSUNO
    st.session_state[chiavi.LINK] = messaggi
    primo = primo_giorno_storico() if storico_disponibile() else None
    giorno = oggi()
    al = dal_link.al
    if primo is not None and al is not None and primo <= al < giorno:
        st.session_state[chiavi.AL] = al
    else:
        st.session_state.pop(chiavi.AL, None)
    dal = dal_link.dal
    if primo is not None:
        st.session_state[chiavi.DAL] = min(dal, giorno) if dal else confronto_predefinito()
    if dal_link.apri:
        for nome, chiave in chiavi.PANNELLI.items():
            st.session_state[chiave] = nome in dal_link.apri
    else:  # each panel as the page opens it
        for chiave in chiavi.PANNELLI.values():
            st.session_state.pop(chiave, None)
    codici = filtro.codici(q)
    ok = set(snap.punti.loc[snap.punti["codice_istat"].isin(codici), "id"])
    st.session_state[chiavi.PUNTO] = dal_link.punto if dal_link.punto in ok else None


def punto_scelto() -> str | None:
    """Id of the point whose popup is open on the overview's map (a link named it, or the map
    reported it: scegli_punto), or None. The map is told at every run and changes only what differs."""
    return st.session_state.get(chiavi.PUNTO)


def scegli_punto(id_punto: str | None) -> None:
    """Record the point whose popup the map reports open (None: closed). A widget callback: the
    point goes into the URL."""
    st.session_state[chiavi.PUNTO] = id_punto


def pannelli_predefiniti(filtro: Filtro) -> set[str]:
    """Panels open when the link does not say (none: the table's grid code is heavy to load)."""
    return set()


def pannello_aperto(nome: str, filtro: Filtro) -> bool:
    """Whether the overview's panel `nome` is open (as the user left it, or as the page opens it)."""
    return bool(st.session_state.get(chiavi.PANNELLI[nome], nome in pannelli_predefiniti(filtro)))


def _quartiere_cambiato() -> None:
    _dimentica_link()
    _nuovo_ambito()


def _nuovo_ambito() -> None:
    # A new quartiere closes the popup of a point picked elsewhere.
    st.session_state[chiavi.PUNTO] = None


def _dimentica_link() -> None:
    # The link's warnings (unknown zona/quartiere) stay until the user picks a filter.
    st.session_state[chiavi.LINK] = []


def _zona_cambiata(q) -> None:
    _dimentica_link()
    _nuovo_ambito()
    code = st.session_state.get(chiavi.QUARTIERE)
    zona = st.session_state.get(chiavi.ZONA)
    # `code` may be a value the client sent that is not a code of the current list (a stale
    # option after a rerun race): drop it rather than fail on the empty lookup.
    zona_q = q.loc[q["codice_istat"] == code, "zona"]
    if code and zona and (zona_q.empty or zona_q.iloc[0] != zona):
        st.session_state[chiavi.QUARTIERE] = chiavi.NESSUNO


def vista_corrente(filtro: Filtro, q) -> VistaState:
    """The session's current view, from its widgets (a date or panel set as its default is left out)."""
    al, dal = st.session_state.get(chiavi.AL), st.session_state.get(chiavi.DAL)
    return in_vista(
        filtro,
        q,
        lingua=st.session_state[chiavi.LINGUA],
        presenta=in_presentazione(),
        giro=st.session_state.get(chiavi.GIRO) or 0,
        al=al if isinstance(al, dt.date) and al < oggi() else None,
        dal=dal if isinstance(dal, dt.date) and dal != confronto_predefinito() else None,
        # Written when they differ from the page's own choice (pannelli_predefiniti: none).
        apri=frozenset(n for n in chiavi.PANNELLI if pannello_aperto(n, filtro)),
        punto=st.session_state.get(chiavi.PUNTO) or None,
    )


def parametri_vista(filtro: Filtro, q) -> dict[str, str]:
    """The URL parameters of the session's current view (only what differs from the defaults)."""
    return vista.a_query(vista_corrente(filtro, q))


def _scrivi_url(filtro: Filtro, q) -> None:
    """Write the view to the URL when it changed: Streamlit pushes one browser history entry."""
    wanted = parametri_vista(filtro, q)
    current = st.query_params.to_dict()
    # Keep parameters that are not ours, replace ours.
    others = {k: v for k, v in current.items() if k not in vista.PARAMETRI}
    if {**others, **wanted} != current:
        st.query_params.from_dict({**others, **wanted})
    st.session_state[chiavi.URL_SCRITTO] = wanted


def filtro_corrente() -> Filtro:
    return Filtro(st.session_state.get(chiavi.ZONA) or None, st.session_state.get(chiavi.QUARTIERE) or None)


def filtro() -> Filtro:
    return filtro_corrente()


def seleziona_quartiere(codice: str | None, zona: str | None) -> None:
    """Set the filter from outside the sidebar (a click on the map). Call from a widget callback."""
    if (codice or chiavi.NESSUNO) != st.session_state.get(chiavi.QUARTIERE):
        _nuovo_ambito()
    st.session_state[chiavi.ZONA] = zona or chiavi.NESSUNO
    st.session_state[chiavi.QUARTIERE] = codice or chiavi.NESSUNO
