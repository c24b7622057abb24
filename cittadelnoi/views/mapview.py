"""The overview map: quartieri coloured by status, one marker per point, a legend.

Offline is a hard requirement: st_folium loads every JS/CSS link an element declares and waits
for all of them, so a single CDN link leaves a blank box with no network. We give the map only
the files the app serves itself (Leaflet, topojson-client, the map's own static/mappa.js) and
refuse a map with any other link.

The map is built from four modules, one concern each: `mapview_dati` (what the browser receives,
as plain data), `mapview_stile` (colours, style sheet, legends), `mapview_elementi` (the pieces in
folium's page: the script file, the JSON block, the selection's feature group) and this one (the
builders the pages call, and the offline guard). Their public names are importable from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

import folium
import pandas as pd

from cittadelnoi.views.mapview_dati import (
    CAMPI_PUNTO,
    QUANTIZZAZIONE,
    Selezione,
    dati_punti,
    dati_selezione,
    dati_strati,
    layer_quartieri,
    testi_mappa,
)
from cittadelnoi.views.mapview_elementi import (
    ApplicaSelezione,
    StratiMappa,
    TestoReso,
    json_nello_script,
    pagina,
    url_script,
)
from cittadelnoi.views.mapview_stile import (
    BORDI,
    COLORI,
    CSS,
    NON_IN_CLASSIFICA,
    SCALA_CLASSIFICA,
    SIMBOLI,
    Classifica,
    colore_posizione,
    legenda,
    legenda_classifica,
)

__all__ = [
    "BORDI",
    "CAMPI_PUNTO",
    "COLORI",
    "NON_IN_CLASSIFICA",
    "QUANTIZZAZIONE",
    "SCALA_CLASSIFICA",
    "SIMBOLI",
    "VENDOR_BASE",
    "BaseMappa",
    "Classifica",
    "RisorsaEsterna",
    "Selezione",
    "assicura_solo_locale",
    "colore_posizione",
    "costruisci_mappa",
    "dati_punti",
    "dati_selezione",
    "json_nello_script",
    "layer_quartieri",
    "legenda",
    "legenda_classifica",
    "mappa_da_base",
    "prepara_base",
    "strato_selezione",
    "testi_mappa",
    "url_script",
]

VENDOR_BASE = "/app/static/vendor"


class RisorsaEsterna(RuntimeError):
    """A map element asked for a JS/CSS file from outside the app."""


def costruisci_mappa(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    selezione: Selezione,
    vendor_base: str = VENDOR_BASE,
    tiles_url: str | None = None,
    fasce: dict[str, list[list[int]]] | None = None,
    punto_aperto: str | None = None,
    classifica: Classifica | None = None,
    completo: bool = True,
    oggi: dt.date | None = None,
) -> folium.Map:
    """Build the folium map. `orari` maps point id -> desk hours text for the popups; `fasce` point
    id -> weekly slots (sportelli.fasce_minuti) for "open now / opens next" in the popup.

    Every quartiere carries a label: its number at the city view (with the numbered key beside the
    map), its name once zoomed in; with `classifica`, ranked quartieri carry their rank and are
    coloured by it. `punto_aperto` is the id of a point whose popup opens with the map (a link).
    The map fills its frame's height, so the page can size it with CSS (presentation mode, phone).
    `vendor_base` is the URL of the folder holding Leaflet and topojson-client; the map's script
    is taken from the folder above it (url_script).

    The selection is part of this map's data (a page saved whole, a map that changes with the
    filter anyway): for a live map that keeps its script across picks see `prepara_base`. `oggi`:
    the day old confirmations are judged on (a past view's day), today by default.
    """
    dati = dati_strati(layer, punti, orari, fasce, classifica, selezione.codici, oggi)
    dati.update(dati_selezione(layer, selezione, punto_aperto, classifica))
    return _mappa(
        json_nello_script(dati), _legenda_per(punti, completo, classifica), vendor_base=vendor_base, tiles_url=tiles_url
    )


@dataclass(frozen=True)
class BaseMappa:
    """The overview map without its selection: the same for every pick of a quartiere (issue 14,
    point 4). Strings only, so one copy per data version and language serves every session."""

    dati_json: str
    legenda: str


def prepara_base(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    fasce: dict[str, list[list[int]]] | None = None,
    completo: bool = True,
    oggi: dt.date | None = None,
) -> BaseMappa:
    """Every quartiere and every point, no selection: `mappa_da_base` draws it, and
    `strato_selezione` (st_folium's feature_group_to_add) applies a selection to the live map.
    `oggi` as in costruisci_mappa (it is part of the base: a cache keeps one per day)."""
    dati = dati_strati(layer, punti, orari, fasce, None, frozenset(layer["quartieri"]), oggi)
    # A click on a quartiere picks it (pages/panoramica.py): the frame shows the pick at once,
    # before the round trip (issue 14, point 4).
    dati["clic_sceglie"] = True
    # The point whose popup is open goes back to Python with st_folium's value (`punto`).
    dati["riporta_punti"] = True
    return BaseMappa(json_nello_script(dati), _legenda_per(punti, completo, None))


def mappa_da_base(base: BaseMappa, vendor_base: str = VENDOR_BASE) -> folium.Map:
    """A new folium map around a prepared base (cheap: the data is already JSON). A new one per
    run: st_folium adds the selection's feature group to the map it is given."""
    return _mappa(base.dati_json, base.legenda, vendor_base=vendor_base)


def strato_selezione(layer: dict, selezione: Selezione, punto_aperto: str | None = None) -> folium.FeatureGroup:
    """The selection as st_folium's `feature_group_to_add`: an empty group whose script applies it.
    `punto_aperto`: the point whose popup is open (None: no popup)."""
    gruppo = folium.FeatureGroup(name="selezione", control=False)
    ApplicaSelezione(dati_selezione(layer, selezione, punto_aperto)).add_to(gruppo)
    return gruppo


def _legenda_per(punti: pd.DataFrame, completo: bool, classifica: Classifica | None) -> str:
    if classifica is not None:
        return legenda_classifica(classifica)
    return legenda(
        completo,
        indicative=bool(punti["posizione"].eq("centro_quartiere").any()),
        demo=bool(punti["dimostrativo"].any()),
    )


def _mappa(
    dati_json: str, legenda_html: str, vendor_base: str = VENDOR_BASE, tiles_url: str | None = None
) -> folium.Map:
    # Zoom buttons top right: the numbered key takes the left side.
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, zoom_control="topright")
    m.default_js = [
        ("leaflet", f"{vendor_base}/leaflet/leaflet.js"),
        ("topojson", f"{vendor_base}/topojson-client/topojson-client.min.js"),
        ("mappa", url_script(vendor_base)),
    ]
    m.default_css = [("leaflet_css", f"{vendor_base}/leaflet/leaflet.css")]
    if tiles_url:
        folium.TileLayer(tiles_url, attr="Basemap", name="Basemap", opacity=0.5).add_to(m)
    StratiMappa(dati_json, legenda_html).add_to(m)
    # The view is fitted by the map's script (beside the numbered key), not by folium.
    foglio = pagina(m)
    foglio.header.add_child(TestoReso(f"<style>{CSS}</style>"))
    foglio.html.add_child(TestoReso(legenda_html))
    assicura_solo_locale(m)
    return m


def _locale(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        return not url.startswith("//")  # protocol-relative URLs go to another host
    return parsed.hostname in ("localhost", "127.0.0.1", "::1")


def assicura_solo_locale(m: folium.Map) -> None:
    """Raise RisorsaEsterna if any element of the map would fetch JS or CSS from another host."""

    def walk(el):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    for el in walk(m):
        for _nome, url in list(getattr(el, "default_js", [])) + list(getattr(el, "default_css", [])):
            if not _locale(url):
                raise RisorsaEsterna(f"{type(el).__name__} vuole caricare {url}: la mappa deve funzionare senza rete")
