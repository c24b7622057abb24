"""The process's data store and what the pages read from it, cached once per process."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from cittadelnoi.core import i18n, paths, tempo
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.stores.base import Archivio, Snapshot
from cittadelnoi.stores.file import DataStore
from cittadelnoi.ui.piede import ferma_pagina
from cittadelnoi.ui.testo import md

if TYPE_CHECKING:
    from cittadelnoi.metrics.ore import PerPunto

_log = logging.getLogger(__name__)


@st.cache_resource
def _store() -> Archivio:
    """One store per process: every session shares the parsed data. A `db.DbStore` on the
    database of `url_database()` (through st.connection("sql")), or the read-only files of
    data/ (`store.DataStore`) when CITTADELNOI_ARCHIVIO=file."""
    url = url_database()
    if url is None:
        return DataStore(paths.data_dir(), paths.last_good_dir())
    from cittadelnoi.stores.db import DbStore

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
    imp = impostazioni()
    if imp.archivio == "file":
        return None
    if imp.db_url:
        return imp.db_url
    if imp.connessione_sql:
        return DAI_SECRETS
    from cittadelnoi.stores.engine import url_predefinito

    return url_predefinito()


def archivio():
    """The process's data store (DbStore or DataStore), for the admin page."""
    return _store()


def storico_disponibile() -> bool:
    """True when the store keeps a history (database), so the page can offer the time slider."""
    return _store().ha_storico


def snapshot_al(giorno: dt.date) -> Snapshot | None:
    """The data as they were at the end of `giorno` (same fields as dati()), points with an
    undocumented opening date left out; None without history."""
    return _store().snapshot_al(giorno)


def snapshot_confronto(giorno: dt.date) -> Snapshot | None:
    """The data a change figure compares at the end of `giorno`: undated facts as first recorded,
    never new (DbStore.snapshot_al with confronto); None without history."""
    return _store().snapshot_al(giorno, confronto=True)


def punti_senza_data() -> frozenset[str]:
    """Ids of the points whose opening date is not documented (empty without history)."""
    return _store().punti_senza_data()


def nota_senza_data(snap: Snapshot) -> str:
    """A sentence (with a leading space) naming the register's points whose opening date is not
    documented and saying they are left out of the past, as markdown-safe text; "" when none."""
    ids = punti_senza_data()
    nomi = [str(n) for i, n in zip(snap.punti["id"], snap.punti["nome"], strict=True) if i in ids]
    if not nomi:
        return ""
    return " " + _(
        "Data di apertura non documentata per {nomi}: sono nel registro di oggi, ma non negli stati passati "
        "né contati come nuovi in alcuna variazione."
    ).format(nomi=md(", ".join(nomi)))


def punti_nel_tempo() -> pd.DataFrame | None:
    """Points over time (see DbStore.punti_nel_tempo); None without history."""
    return _store().punti_nel_tempo()


def primo_giorno_storico() -> dt.date | None:
    return _store().primo_giorno()


@st.cache_resource(show_spinner=False)
def sorvegliante():
    """The process's watcher (stores.sorvegliante): one thread that keeps the current data
    version in memory, started once per process (at start by cittadelnoi.web, else by the first
    page run)."""
    from cittadelnoi.stores.sorvegliante import Sorvegliante

    return Sorvegliante(_store()).avvia()


_JS_VERSIONE = Path(__file__).with_name("versione_dati.js")


@functools.cache
def _controllo_versione():
    # One registration per process (st.components.v2 warns when a name is registered twice).
    return st.components.v2.component("cittadelnoi_versione_dati", js=_JS_VERSIONE.read_text(encoding="utf-8"))


def aggiorna_se_cambiano_i_dati(versione: str, ogni_secondi: float = 3.0) -> None:
    """Rerun this viewer's page when the data change (an edit on the admin page, in any replica,
    or a file saved in data/). The page's browser asks /versione (cittadelnoi/web/rotte.py, served
    with app.py) every `ogni_secondi` seconds for the version the process's watcher keeps in
    memory, and asks for a rerun only when it differs from `versione` (the one on screen), or when
    another server process answers (the page's replica died, or the server restarted: the page
    then runs on the new one by itself). While nothing changes, nothing runs on the server
    (versione_dati.js). No database query per viewer per tick."""
    from cittadelnoi.web.rotte import PROCESSO

    osservatore = sorvegliante()
    _controllo_versione()(
        key="versione_dati",
        data={
            "versione": versione,
            # What the watcher said when this page ran: if the page read a newer version than the
            # watcher had yet seen, the watcher catching up must not trigger a useless rerun.
            "visto": osservatore.versione,
            "processo": PROCESSO,
            "url": "/versione",
            "ogni_ms": round(ogni_secondi * 1000),
        },
        on_cambiata_change=lambda: None,  # the new data are read by the rerun itself
    )


def dati() -> Snapshot:
    """The data to show; stops the page when there are none (dashboard.py already said why)."""
    snap = dati_se_ci_sono()
    if snap is None:
        ferma_pagina()
    return snap


def dati_se_ci_sono() -> Snapshot | None:
    """The data to show, or None when nothing valid can be served (for the Gestione page, which
    must stay usable to repair the register)."""
    snap, _ = _store().get()
    return snap


def mostra_stato_dati() -> Snapshot | None:
    """Show load problems once per run; None when there is nothing at all to serve."""
    snap, errori = _store().get()
    if errori:
        servito = (
            _("Continuo a mostrare gli ultimi dati validi (caricati alle {ora} del {giorno}).").format(
                ora=tempo.quando(snap.caricato_il).ora, giorno=tempo.quando(snap.caricato_il).data
            )
            if snap is not None
            else _("Non ci sono dati validi da mostrare.")
        )
        with st.container(border=True):
            titolo = _("I file dei dati contengono errori: le modifiche non sono state caricate.")
            st.error(f"**{titolo}** {servito}", icon=":material/warning:")
            st.markdown("\n".join(f"- {md(str(p))}" for p in errori[:50]))
            if len(errori) > 50:
                st.caption(
                    ngettext("… e un altro errore.", "… e altri {n} errori.", len(errori) - 50).format(
                        n=len(errori) - 50
                    )
                )
    if snap is None:
        return None
    if snap.avvisi:
        with st.expander(_("Avvisi sui file dei dati ({n})").format(n=len(snap.avvisi))):
            st.markdown("\n".join(f"- {md(str(p))}" for p in snap.avvisi))
    return snap


# What the pages read from the data, built once per data version (and language) and shared by
# every session as the very same object: st.cache_resource, not st.cache_data, whose every hit
# is a pickled copy (on the 500-quartieri synthetic city 43-46 ms a rerun for the map layer and
# for the per-point slots alone). Read-only: no caller may change them, and
# tests/apptest/test_cache_condivisa.py checks that every page leaves them as they were.
_condiviso = st.cache_resource(max_entries=4, show_spinner=False)


@_condiviso
def _layer(versione: str, lingua: str, _snap: Snapshot) -> dict:
    from cittadelnoi.views.mapview import layer_quartieri

    return layer_quartieri(_snap.stati)


@_condiviso
def _orari(versione: str, lingua: str, _snap: Snapshot) -> dict[str, str]:
    from cittadelnoi.metrics.panoramica import orari_testo

    return orari_testo(_snap.sportelli)


@_condiviso
def _per_punto(versione: str, lingua: str, _snap: Snapshot) -> PerPunto:
    from cittadelnoi.metrics.ore import per_punto

    return per_punto(_snap.sportelli)


def sportelli_per_punto(snap: Snapshot) -> PerPunto:
    """Each point's slots as the hours page shows them (`metrics.ore.PerPunto`), for the whole
    city, once per data version and language: a change of quartiere only looks them up."""
    return _per_punto(snap.versione, i18n.lingua(), snap)


@_condiviso
def _ore_citta(versione: str, minimo: float, _snap: Snapshot) -> pd.DataFrame:
    from cittadelnoi.metrics.ore import ore_settimanali

    return ore_settimanali(_snap.sportelli, _snap.punti, minimo)


def ore_settimanali(snap: Snapshot, minimo: float, codici: set[str] | frozenset[str]) -> pd.DataFrame:
    """`metrics.ore.ore_settimanali` of the points in the quartieri `codici`: the hours of a
    point do not depend on the selection, so the whole city's are computed once per data version
    and a selection takes its rows."""
    ore = _ore_citta(snap.versione, minimo, snap)
    return ore[ore["codice_istat"].isin(codici)].reset_index(drop=True)


@_condiviso
def _conferme(versione: str, lingua: str, giorno: dt.date, _snap: Snapshot) -> dict[str, str]:
    from cittadelnoi.metrics.registro import testi_conferma

    return testi_conferma(_snap.punti, giorno)


def conferme(snap: Snapshot) -> dict[str, str]:
    """Point id -> its last confirmation as shown («ottobre 2019 — da riconfermare»), judged on the
    view's day (giorno_della_vista), once per data version, language and day."""
    return _conferme(snap.versione, i18n.lingua(), giorno_della_vista(snap), snap)


def orari_sportelli(snap: Snapshot) -> dict[str, str]:
    """Point id -> desk hours text (popups, printable sheet), once per data version and language."""
    return _orari(snap.versione, i18n.lingua(), snap)


def layer_mappa(snap: Snapshot) -> dict:
    """The quartieri topology and texts for the map, built once per data version and shared by all sessions."""
    return _layer(snap.versione, i18n.lingua(), snap)


@st.cache_resource(max_entries=8, show_spinner=False)
def _base_mappa(versione: str, lingua: str, giorno: dt.date, _snap: Snapshot):
    from cittadelnoi.metrics.aperture import fasce_minuti
    from cittadelnoi.views.mapview import prepara_base

    return prepara_base(
        layer_mappa(_snap),
        _snap.punti,
        orari_sportelli(_snap),
        fasce=fasce_minuti(_snap.sportelli),
        completo=_snap.completezza.completo,
        oggi=giorno,
    )


def giorno_della_vista(snap: Snapshot) -> dt.date:
    """The day a view's old confirmations are judged on: its «Stato al» day, else today (Brescia)."""
    return snap.al or tempo.oggi()


def base_mappa(snap: Snapshot):
    """The overview map's data without a selection (`mapview.BaseMappa`), built once per data
    version, language and day (a confirmation grows old with the days) and shared by all sessions:
    every pick of a quartiere keeps the same map script, so st_folium updates the live map instead
    of drawing a new one (issue 14, point 4)."""
    return _base_mappa(snap.versione, i18n.lingua(), giorno_della_vista(snap), snap)
