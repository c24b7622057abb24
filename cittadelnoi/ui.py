"""The thin Streamlit layer: the cached data store, the shared filter and small display helpers.

This is the only module of the package that imports Streamlit. Pages call `dati()` and
`filtro()`; `dashboard.py` calls `barra_laterale()` once per run, before the page, so every page
sees the same filter and the URL always carries it.
"""

from __future__ import annotations

import os
import datetime as dt

import streamlit as st

from cittadelnoi import fmt, i18n, paths
from cittadelnoi.i18n import _
from cittadelnoi.filtri import Filtro, a_query_params, da_query_params
from cittadelnoi.store import DataStore, Snapshot

# Selectbox options: "" means no filter. None would show as "no selection" (an empty box).
_NESSUNO = ""
_K_ZONA = "filtro_zona"
_K_QUARTIERE = "filtro_quartiere"
_K_LINK = "filtro_da_link"
_K_ENTRYPOINT = "dashboard_eseguito"
_K_LINGUA = "lingua"
_K_LINGUA_FILTRI = "lingua_dei_filtri"  # language the filter select boxes were last drawn in
_K_PRESENTA = "presentazione"
_K_GIRO = "giro_secondi"
_PARAMETRI = ("zona", "quartiere", "lang", "presenta", "giro")


@st.cache_resource
def _store():
    """One store per process: every session shares the parsed data. A `db.DbStore` on the
    database of `url_database()` (through st.connection("sql")), or the read-only files of
    data/ (`store.DataStore`) when CITTADELNOI_ARCHIVIO=file."""
    url = url_database()
    if url is None:
        return DataStore(paths.data_dir(), paths.last_good_dir())
    from cittadelnoi.db import DbStore

    if url == DAI_SECRETS:  # [connections.sql] in any of the forms st.connection reads
        engine = st.connection("sql", type="sql", pool_pre_ping=True).engine
    else:
        engine = st.connection("sql", type="sql", url=url, pool_pre_ping=True).engine
    return DbStore(engine, paths.data_dir())


DAI_SECRETS = "[connections.sql]"


def url_database() -> str | None:
    """CITTADELNOI_DB_URL, else DAI_SECRETS when .streamlit/secrets.toml has a [connections.sql]
    section (e.g. a PostgreSQL server shared by several replicas), else the embedded SQLite file
    under var/. None when CITTADELNOI_ARCHIVIO=file: the app reads data/, nothing can be edited."""
    if os.environ.get("CITTADELNOI_ARCHIVIO", "").lower() == "file":
        return None
    url = os.environ.get("CITTADELNOI_DB_URL")
    if url:
        return url
    try:
        if st.secrets["connections"]["sql"]:
            return DAI_SECRETS
    except Exception:  # no secrets file, or no such section
        pass
    from cittadelnoi.db import url_predefinito

    return url_predefinito()


def archivio():
    """The process's data store (DbStore or DataStore), for the admin page."""
    return _store()


def storico_disponibile() -> bool:
    """True when the store keeps a history (database), so the page can offer the time slider."""
    return hasattr(_store(), "snapshot_al")


def snapshot_al(giorno: dt.date) -> Snapshot | None:
    """The data as they were at the end of `giorno` (same fields as dati()); None without history."""
    store = _store()
    return store.snapshot_al(giorno) if hasattr(store, "snapshot_al") else None


def punti_nel_tempo():
    """Points over time (see DbStore.punti_nel_tempo); None without history."""
    store = _store()
    return store.punti_nel_tempo() if hasattr(store, "punti_nel_tempo") else None


def primo_giorno_storico() -> dt.date | None:
    store = _store()
    return store.primo_giorno() if hasattr(store, "primo_giorno") else None


def aggiorna_se_cambiano_i_dati(versione: str, ogni_secondi: float = 3.0) -> None:
    """Rerun this viewer's page when the data change (an edit on the admin page, in any replica,
    or a file saved in data/): a small fragment asks the store for its version every few seconds
    (one cheap query) and reruns the whole app only when it differs from what is on screen."""

    @st.fragment(run_every=ogni_secondi)
    def _controlla() -> None:
        snap, _errori = _store().get()
        if snap is not None and snap.versione != versione:
            st.rerun(scope="app")

    _controlla()


def entrypoint_eseguito() -> None:
    """Called by dashboard.py on every run, just before it runs the page."""
    st.session_state[_K_ENTRYPOINT] = True


def _assicura_entrypoint() -> None:
    """Make a shared link to a page work on a freshly started server.

    Until some session has run dashboard.py (which calls st.navigation), Streamlit treats the
    `pages/` folder the old way and runs a linked page on its own: no sidebar filter, wrong
    navigation (streamlit/streamlit#9624 and the "relic" comment in PagesManager). Clearing
    that process-wide flag and rerunning makes Streamlit run dashboard.py, which then runs the
    linked page. Covered by tests/browser/test_link_diretti.py, which fails if this breaks.
    """
    if st.session_state.get(_K_ENTRYPOINT):
        return
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def dati() -> Snapshot:
    _assicura_entrypoint()
    snap, _ = _store().get()
    if snap is None:
        st.stop()
    return snap


def mostra_stato_dati() -> Snapshot:
    """Show load problems once per run; stop the page if there is nothing at all to serve."""
    snap, errori = _store().get()
    if errori:
        servito = (
            _("Continuo a mostrare gli ultimi dati validi (caricati alle {ora} del {giorno}).").format(
                ora=snap.caricato_il.astimezone().strftime("%H:%M:%S"), giorno=fmt.data(snap.caricato_il.date()))
            if snap is not None
            else _("Non ci sono dati validi da mostrare.")
        )
        with st.container(border=True):
            titolo = _("I file dei dati contengono errori: le modifiche non sono state caricate.")
            st.error(f"**{titolo}** {servito}", icon=":material/warning:")
            st.markdown("\n".join(f"- {_md(str(p))}" for p in errori[:50]))
            if len(errori) > 50:
                st.caption(_("… e altri {n} errori.").format(n=len(errori) - 50))
    if snap is None:
        st.stop()
    if snap.avvisi:
        with st.expander(_("Avvisi sui file dei dati ({n})").format(n=len(snap.avvisi))):
            st.markdown("\n".join(f"- {_md(str(p))}" for p in snap.avvisi))
    return snap


def _md(text: str) -> str:
    # File contents reach the page through these messages: keep them from becoming markdown/HTML.
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;").replace("[", "\\[")


def inizia_run() -> None:
    """First call of dashboard.py: language and presentation mode, from the session or the link."""
    qp = st.query_params
    if _K_LINGUA not in st.session_state:
        st.session_state[_K_LINGUA] = qp.get("lang") if qp.get("lang") in i18n.LINGUE else i18n.PREDEFINITA
    if _K_PRESENTA not in st.session_state:
        st.session_state[_K_PRESENTA] = qp.get("presenta", "").lower() in ("1", "si", "sì", "true")
        st.session_state[_K_GIRO] = _secondi(qp.get("giro"))
    i18n.imposta(st.session_state[_K_LINGUA])


def _secondi(value: str | None) -> int:
    # A tour faster than 5 s cannot be read; slower than 10 minutes is not a tour.
    try:
        return min(max(int(value), 5), 600) if value else 0
    except ValueError:
        return 0


def in_presentazione() -> bool:
    return bool(st.session_state.get(_K_PRESENTA))


def barra_laterale(snap: Snapshot) -> Filtro:
    """Render the filter, language and presentation switches in the sidebar, synced with the URL."""
    q = snap.quartieri
    if _K_LINK not in st.session_state:
        # First run of this browser session: the URL (a shared link) sets the filter.
        filtro, messaggi = da_query_params(st.query_params.to_dict(), q)
        st.session_state[_K_ZONA] = filtro.zona or _NESSUNO
        st.session_state[_K_QUARTIERE] = filtro.quartiere or _NESSUNO
        st.session_state[_K_LINK] = messaggi
    for msg in st.session_state[_K_LINK]:
        st.sidebar.warning(msg)

    if st.session_state.get(_K_LINGUA_FILTRI) != i18n.lingua():
        # A select box whose value stays the same keeps showing the label it was first drawn with
        # when only format_func's text changes, e.g. "Tutti i quartieri" after switching to
        # English (streamlit/streamlit#13788). Assigning the value again makes Streamlit resend it.
        st.session_state[_K_ZONA] = st.session_state.get(_K_ZONA, _NESSUNO)
        st.session_state[_K_QUARTIERE] = st.session_state.get(_K_QUARTIERE, _NESSUNO)
        st.session_state[_K_LINGUA_FILTRI] = i18n.lingua()

    zone = sorted(q["zona"].unique())
    if st.session_state.get(_K_ZONA) not in (_NESSUNO, *zone):
        st.session_state[_K_ZONA] = _NESSUNO
    zona = st.sidebar.selectbox(_("Zona"), [_NESSUNO, *zone], key=_K_ZONA, format_func=lambda z: z or _("Tutte le zone"),
                                placeholder=_("Scegli una zona"), on_change=_zona_cambiata, args=(q,))
    scelta = q if not zona else q[q["zona"] == zona]
    nomi = dict(zip(scelta["codice_istat"], scelta["nome"]))
    if st.session_state.get(_K_QUARTIERE) not in (_NESSUNO, *nomi):
        st.session_state[_K_QUARTIERE] = _NESSUNO
    st.sidebar.selectbox(_("Quartiere"), [_NESSUNO, *sorted(nomi, key=nomi.get)], key=_K_QUARTIERE,
                         format_func=lambda c: nomi[c] if c else _("Tutti i quartieri"), placeholder=_("Scegli un quartiere"),
                         on_change=_dimentica_link)
    st.sidebar.divider()
    st.sidebar.radio("Lingua / Language", list(i18n.LINGUE), key=_K_LINGUA, format_func=i18n.LINGUE.get, horizontal=True)
    st.sidebar.toggle(_("Modalità presentazione"), key=_K_PRESENTA,
                      help=_("Schermo intero senza barra laterale, caratteri grandi: per il proiettore. Link: ?presenta=1&giro=20"))
    filtro = filtro_corrente()
    _scrivi_url(filtro, q)
    return filtro


def _dimentica_link() -> None:
    # The link's warnings (unknown zona/quartiere) stay until the user picks a filter.
    st.session_state[_K_LINK] = []


def _zona_cambiata(q) -> None:
    _dimentica_link()
    code = st.session_state.get(_K_QUARTIERE)
    zona = st.session_state.get(_K_ZONA)
    # `code` may be a value the client sent that is not a code of the current list (a stale
    # option after a rerun race): drop it rather than fail on the empty lookup.
    zona_q = q.loc[q["codice_istat"] == code, "zona"]
    if code and zona and (zona_q.empty or zona_q.iloc[0] != zona):
        st.session_state[_K_QUARTIERE] = _NESSUNO


def _scrivi_url(filtro: Filtro, q) -> None:
    wanted = a_query_params(filtro, q)
    if st.session_state[_K_LINGUA] != i18n.PREDEFINITA:
        wanted["lang"] = st.session_state[_K_LINGUA]
    if in_presentazione():
        wanted["presenta"] = "1"
        if st.session_state.get(_K_GIRO):
            wanted["giro"] = str(st.session_state[_K_GIRO])
    current = st.query_params.to_dict()
    # Keep parameters that are not ours, replace ours.
    others = {k: v for k, v in current.items() if k not in _PARAMETRI}
    if {**others, **wanted} != current:
        st.query_params.from_dict({**others, **wanted})


def filtro_corrente() -> Filtro:
    return Filtro(st.session_state.get(_K_ZONA) or None, st.session_state.get(_K_QUARTIERE) or None)


def filtro() -> Filtro:
    return filtro_corrente()


def seleziona_quartiere(codice: str | None, zona: str | None) -> None:
    """Set the filter from outside the sidebar (a click on the map). Call from a widget callback."""
    st.session_state[_K_ZONA] = zona or _NESSUNO
    st.session_state[_K_QUARTIERE] = codice or _NESSUNO


def fonte(testo: str) -> None:
    st.caption(_("Fonte: {testo}").format(testo=testo))


def avviso_dimostrativo(testo: str) -> None:
    st.warning("**" + _("Dati dimostrativi") + "** — " + testo, icon=":material/science:")


@st.cache_data(max_entries=4, show_spinner=False)
def _layer(versione: str, lingua: str, _snap: Snapshot) -> dict:
    from cittadelnoi.mapview import layer_quartieri

    return layer_quartieri(_snap.stati)


@st.cache_resource(show_spinner=False)
def limite_accessi():
    """The process's count of failed logins on the admin page (accesso.LimiteTentativi)."""
    from cittadelnoi.accesso import LimiteTentativi

    return LimiteTentativi()


@st.cache_data(max_entries=4, show_spinner=False)
def _orari(versione: str, lingua: str, _snap: Snapshot) -> dict[str, str]:
    from cittadelnoi.panoramica import orari_testo

    return orari_testo(_snap.sportelli)


def orari_sportelli(snap: Snapshot) -> dict[str, str]:
    """Point id -> desk hours text (popups, printable sheet), once per data version and language."""
    return _orari(snap.versione, i18n.lingua(), snap)


def layer_mappa(snap: Snapshot) -> dict:
    """The quartieri topology and texts for the map, built once per data version and shared by all sessions."""
    return _layer(snap.versione, i18n.lingua(), snap)


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
    st.button(_("Esci dalla presentazione"), icon=":material/close_fullscreen:", on_click=_esci, key="esci_presentazione")
    secondi = st.session_state.get(_K_GIRO) or 0
    if secondi:
        _giro(pagine, corrente, secondi)


def _esci() -> None:
    st.session_state[_K_PRESENTA] = False


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


def grafico(fig, **kwargs) -> None:
    """st.plotly_chart with larger type in presentation mode, where the audience sits far away."""
    if in_presentazione():
        size = fig.layout.font.size or 14
        fig.update_layout(font_size=size * 1.5, title_font_size=(fig.layout.title.font.size or size * 1.2) * 1.5)
    st.plotly_chart(fig, **kwargs)


def scarica_tabella(frame, nome: str, chiave: str) -> None:
    """CSV and XLSX buttons for a table exactly as it is shown (after the filters)."""
    from cittadelnoi import esporta

    c1, c2 = st.columns(2)
    c1.download_button(_("Scarica CSV"), esporta.csv_bytes(frame), file_name=f"{nome}.csv", mime="text/csv",
                       icon=":material/download:", key=f"csv_{chiave}", on_click="ignore")
    c2.download_button(_("Scarica Excel"), esporta.xlsx_bytes({nome: frame}), file_name=f"{nome}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key=f"xlsx_{chiave}", on_click="ignore")
