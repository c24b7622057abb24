"""Warm a server process before its first visitor (scripts/avvia.py calls these).

A fresh process used to make its first visitor wait ~3 s: importing the pages' libraries (pandas,
geopandas, folium, plotly, Altair…), opening or seeding the database, building the quartieri's
TopoJSON and the desk-hours texts. `prima_del_server()` does all of that before the server
listens, so /_stcore/health answers only once the process is ready (a proxy or a test that waits
for it never sends a visitor to a cold process); `dopo_l_avvio()` then fills the per-data-version
caches of Streamlit itself (st.cache_resource lives in the running server), in both languages.
"""

from __future__ import annotations

import gc
import importlib
import logging
import time

log = logging.getLogger(__name__)

# What the pages import (pages/*.py): importing them here costs nothing at the first visit.
# Never the libraries that declare Streamlit components (streamlit_folium):
# Streamlit registers a component only when it is declared during a script run, i.e. when a page
# first imports the library; imported here, it would never be registered and the map's iframe
# would answer 404 (tests/deploy checks it).
MODULI = (
    "pandas",
    "geopandas",
    "folium",
    "cittadelnoi.views.mapview",
    "cittadelnoi.views.esporta",
    "cittadelnoi.views.charts_finanziamenti",
    "cittadelnoi.views.charts_sportelli",
    "cittadelnoi.views.charts_storico",
    "cittadelnoi.metrics.panoramica",
    "cittadelnoi.metrics.priorita",
    "cittadelnoi.metrics.stato",
    "cittadelnoi.metrics.filtri",
    "cittadelnoi.loaders.registro",
    "cittadelnoi.stores.scrittura",
    "cittadelnoi.auth.accesso",
)


def _mappa(snap, orari) -> None:
    from cittadelnoi.views.mapview import Selezione, costruisci_mappa, layer_quartieri

    codici = frozenset(snap.quartieri["codice_istat"])
    mappa = costruisci_mappa(layer_quartieri(snap.stati), snap.punti, orari, Selezione(codici))
    mappa.get_root().render()  # folium's templates are compiled once per process


def prima_del_server() -> dict[str, float]:
    """Imports, the store (database migrations and seed included), the process's data watcher,
    the map's topology: everything that does not need the running server. Returns the seconds
    of each step (logged)."""
    tempi: dict[str, float] = {}
    t = time.perf_counter()
    for nome in MODULI:
        try:
            importlib.import_module(nome)
        except ImportError as exc:  # an optional library: the page that needs it will say so
            log.warning("avvio: %s non importato (%s)", nome, exc)
    tempi["import"] = time.perf_counter() - t

    from cittadelnoi.core import i18n
    from cittadelnoi.metrics.panoramica import orari_testo

    archivio = importlib.import_module("cittadelnoi.ui.archivio")  # (ui exports a function of that name)

    t = time.perf_counter()
    snap, _ = archivio._store().get()
    archivio.sorvegliante()
    tempi["dati"] = time.perf_counter() - t
    if snap is not None:
        t = time.perf_counter()
        for lingua in ("it", "en"):
            i18n.imposta(lingua)
            _mappa(snap, orari_testo(snap.sportelli))
        i18n.imposta("it")
        tempi["mappa"] = time.perf_counter() - t
    log.warning(
        "avvio: processo pronto prima del primo visitatore (%s)", ", ".join(f"{k} {v:.2f} s" for k, v in tempi.items())
    )
    return tempi


def dopo_l_avvio() -> None:
    """The shared cache entries (`archivio`, st.cache_resource) the overview and the hours page read (map layer, desk-hours texts,
    base map, each point's slots and weekly hours), per language, in the running server's cache."""
    from cittadelnoi.core import i18n
    from cittadelnoi.loaders.finanziamenti import ore_minime

    archivio = importlib.import_module("cittadelnoi.ui.archivio")  # (ui exports a function of that name)

    snap, _ = archivio._store().get()
    if snap is not None:
        for lingua in ("it", "en"):
            i18n.imposta(lingua)
            archivio.layer_mappa(snap)
            archivio.orari_sportelli(snap)
            archivio.base_mappa(snap)  # the overview map's script, the same for every pick (issue 14, point 4)
            archivio.sportelli_per_punto(snap)  # the hours page's texts per point
        # The whole city's weekly hours per point (cached; a selection takes its rows): none asked for here.
        archivio.ore_settimanali(snap, ore_minime(snap.finanziamenti), frozenset())
        i18n.imposta("it")
    congela_memoria()


def congela_memoria() -> None:
    """Leave what the process holds after its warm start (libraries, the data, the caches) out of
    Python's full garbage collections (gc.freeze).

    Every few reruns Python scans every object it tracks for reference cycles: with the
    500-quartieri synthetic city that scan took 180-300 ms, twelve times in 45 reruns, and was
    most of the reruns over 300 ms (bench/RESULTS.md). Frozen objects are still freed when their
    last reference goes; only a cycle among them would stay (at most the data of the version
    loaded at start, after it changes)."""
    gc.collect()
    gc.freeze()
    log.warning("avvio: %d oggetti esclusi dalle raccolte complete della memoria", gc.get_freeze_count())
