"""The overview map: quartieri coloured by status, one marker per point, a legend.

Offline is a hard requirement: st_folium loads every JS/CSS link an element declares and waits
for all of them, so a single CDN link leaves a blank box with no network. We give the map only
the files the app serves itself (Leaflet, topojson-client) and refuse a map with any other link.

Size matters as much: the whole map travels to every viewer at every rerun that changes it. The
quartieri go as TopoJSON (each shared border once, coordinates as small integer steps of about a
metre) and the points as one compact table; tooltips and popups are built in the browser from
that data, only when opened. This took the map message from 122 KB to about 50 KB
(bench/RESULTS.md).

Status is never colour alone: missing quartieri have a dashed border, opening ones a dotted
border, markers carry a symbol, and every tooltip says the status in words. Colours are
Okabe-Ito (colour-blind safe). Text from the data (names and addresses come from files edited
by people) reaches the page only as JSON and is put in the DOM with textContent, never as HTML.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import urlparse

import folium
import geopandas as gpd
import pandas as pd
import rjsmin
import shapely
import topojson
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from cittadelnoi.core import fmt, i18n, tempo
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.core.palette import COLORI_STATO
from cittadelnoi.core.tempo import giorni
from cittadelnoi.metrics.registro import fonte_punto, testo_conferma
from cittadelnoi.metrics.stato import etichetta
from cittadelnoi.views.segnala import url_segnala

COLORI = {**COLORI_STATO, "non_documentato": COLORI_STATO["mancante"]}  # Okabe-Ito; grey without a point
BORDI = {"attivo": None, "in_apertura": "2 4", "mancante": "6 4", "non_documentato": "6 4"}  # SVG dash arrays
SIMBOLI = {"attivo": "✓", "in_apertura": "◐"}
TESTO_BORDO = {
    "attivo": N_("bordo continuo"),
    "in_apertura": N_("bordo a puntini"),
    "mancante": N_("bordo tratteggiato"),
    "non_documentato": N_("bordo tratteggiato"),
}
VENDOR_BASE = "/app/static/vendor"
# About 1,5 m per step across the city: finer than the 15 m simplification of data/quartieri.geojson.
QUANTIZZAZIONE = 10_000
# Column order of each point row sent to the browser (arrays, not objects: 5,000 points stay small).
CAMPI_PUNTO = (
    "lat",
    "lon",
    "stato",
    "dimostrativo",
    "nome",
    "indirizzo",
    "ente_gestore",
    "orario",
    "al_centro",
    "fonte",  # with «aggiornato dal referente il …» after a referente's change (metrics.registro.fonte_punto)
    "id",
    "fasce",  # weekly desk slots [[weekday 0=Mon, start minute, end minute], ...]: open now / next opening
    "conferma",  # last confirmation, as precise as its source, «— da riconfermare» when old (testo_conferma)
    "da_verificare",
    "codice_istat",  # the quartiere: a selection shows the points of the quartieri in view
)


class RisorsaEsterna(RuntimeError):
    """A map element asked for a JS/CSS file from outside the app."""


@dataclass(frozen=True)
class Selezione:
    codici: frozenset[str]  # quartieri in the current filter
    quartiere: str | None = None  # the one quartiere picked, drawn with a thick outline


def layer_quartieri(stati: gpd.GeoDataFrame) -> dict:
    """Topology and display texts of the quartieri; computed once per data version and language.

    Each feature keeps only `codice_istat` as property: it is what a click sends back to Python.
    """
    # The shapes do not change with the language or the "Stato al" date: one topology for all.
    topologia = _topologia(tuple(stati["codice_istat"].astype(str)), tuple(shapely.to_wkb(stati.geometry.values)))
    info, riquadri = {}, {}
    for rec, geom in zip(stati.to_dict("records"), stati.geometry, strict=False):
        ovest, sud, est, nord = geom.bounds
        riquadri[str(rec["codice_istat"])] = [sud, ovest, nord, est]  # for fitBounds, in Python only
        centro = geom.representative_point()
        info[str(rec["codice_istat"])] = {
            "nome": rec["nome"],
            "numero": str(rec["numero"]),
            "centro": [round(centro.y, 5), round(centro.x, 5)],
            "zona": rec["zona"],
            "stato": rec["stato"],
            "stato_testo": f"{etichetta(rec['stato'])} ({_(TESTO_BORDO[rec['stato']])})",
            "punti_testo": rec["punti"]
            or (_("nessun punto nel registro") if rec["stato"] == "non_documentato" else _("nessun punto")),
            "area_testo": fmt.numero(rec["area_km2"], 2) + " km²",
        }
    return {"topologia": topologia, "quartieri": info, "riquadri": riquadri}


@lru_cache(maxsize=4)
def _topologia(codici: tuple[str, ...], forme_wkb: tuple[bytes, ...]) -> dict:
    geo = gpd.GeoDataFrame({"codice_istat": list(codici)}, geometry=shapely.from_wkb(list(forme_wkb)))
    topologia = topojson.Topology(
        geo, prequantize=QUANTIZZAZIONE, topology=True, presimplify=False, toposimplify=False, object_name="quartieri"
    ).to_dict()
    for g in topologia["objects"]["quartieri"]["geometries"]:
        g.pop("id", None)  # the row index: the code in properties is the identifier
    return topologia


def dati_punti(
    punti: pd.DataFrame,
    orari: dict[str, str],
    codici: frozenset[str] | set[str],
    fasce: dict[str, list[list[int]]] | None = None,
    oggi: dt.date | None = None,
) -> list[list]:
    """One row per visible point, columns as CAMPI_PUNTO; missing values as null. `oggi`: the day
    the last confirmation is judged on (metrics.registro.va_riconfermato), today by default."""
    fasce = fasce or {}
    oggi = oggi or tempo.oggi()

    def val(v: object) -> object:
        return None if v is None or v == "" or pd.isna(v) else v

    righe = []
    for rec in punti[punti["codice_istat"].isin(codici)].to_dict("records"):
        righe.append(
            [
                round(float(rec["lat"]), 6),
                round(float(rec["lon"]), 6),
                rec["stato"],
                1 if rec["dimostrativo"] else 0,
                str(rec["nome"]),
                val(rec["indirizzo"]),
                val(rec["ente_gestore"]),
                orari.get(rec["id"]),
                1 if rec["posizione"] == "centro_quartiere" else 0,
                fonte_punto(val(rec["fonte"]), rec.get("aggiornato_referente")) or None,
                str(rec["id"]),
                fasce.get(str(rec["id"]), []),
                testo_conferma(val(rec.get("conferma")), oggi),
                1 if rec.get("quartiere_da_verificare") else 0,
                str(rec["codice_istat"]),
            ]
        )
    return righe


def testi_mappa() -> dict:
    """Labels the browser needs to build tooltips and popups, in the current language."""
    return {
        "stati": {s: etichetta(s) for s in COLORI},
        "quartiere": [_("Quartiere"), _("Zona"), _("Stato"), _("Punti"), _("Area")],
        "punto": [
            _("Stato"),
            _("Indirizzo"),
            _("Ente gestore"),
            _("Sportello"),
            _("Posizione"),
            _("Ultima conferma"),
            _("Fonte"),
        ],
        "non_noto": _("non noto"),
        "orari_non_documentati": _("orari non documentati"),
        "posizione": [_("documentata"), _("indicativa: centro del quartiere, luogo esatto non documentato")],
        "indicativa": _("posizione indicativa"),
        "da_verificare": "⚠ " + _("quartiere da verificare"),
        "dimostrativo": "⚠ " + _("dati dimostrativi"),
        "adesso": _("Adesso"),
        "aperto_fino": _("aperto, fino alle {ora}"),
        "chiuso_apre": _("chiuso: apre {quando} alle {ora}"),
        "oggi": _("oggi"),
        "domani": _("domani"),
        "giorni": giorni("wide"),
        "chiave": _("Numeri dei quartieri"),
        "chiave_classifica": _("Ordine di priorità"),
        # The popup's link to the report form: text, then the address before and after the point's id.
        "segnala": [
            _("Segnala un errore su questo punto"),
            *url_segnala(punto="ID", lingua=i18n.lingua()).split("ID", 1),
        ],
    }


@dataclass(frozen=True)
class Classifica:
    """The "Dove aprire" view of the map: quartieri coloured and numbered by rank (1 = first)."""

    posizioni: dict[str, int]  # codice_istat -> rank
    titolo: str  # legend title
    totale: int = 0  # ranks of the whole city (the filter may show some); 0 = the highest given

    @property
    def ultima(self) -> int:
        return max(self.totale, *self.posizioni.values()) if self.posizioni else self.totale


# Sequential, colour-blind safe (ColorBrewer YlOrRd, dark = first): rank 1 darkest.
SCALA_CLASSIFICA = ("#800026", "#BD0026", "#E31A1C", "#FC4E2A", "#FD8D3C", "#FEB24C", "#FED976", "#FFEDA0")
NON_IN_CLASSIFICA = "#FFFFFF"


def colore_posizione(posizione: int, totale: int) -> str:
    if totale <= 1:
        return SCALA_CLASSIFICA[0]
    return SCALA_CLASSIFICA[round((posizione - 1) * (len(SCALA_CLASSIFICA) - 1) / (totale - 1))]


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

    The selection is part of this map's script (a page saved whole, a map that changes with the
    filter anyway): for a live map that keeps its script across picks see `prepara_base`. `oggi`:
    the day old confirmations are judged on (a past view's day), today by default.
    """
    dati = _dati_strati(layer, punti, orari, fasce, classifica, selezione.codici, oggi)
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
    dati = _dati_strati(layer, punti, orari, fasce, None, frozenset(layer["quartieri"]), oggi)
    # A click on a quartiere picks it (pages/panoramica.py): the frame shows the pick at once,
    # before the round trip (issue 14, point 4).
    dati["clic_sceglie"] = True
    return BaseMappa(json_nello_script(dati), _legenda_per(punti, completo, None))


def mappa_da_base(base: BaseMappa, vendor_base: str = VENDOR_BASE) -> folium.Map:
    """A new folium map around a prepared base (cheap: the data is already JSON). A new one per
    run: st_folium adds the selection's feature group to the map it is given."""
    return _mappa(base.dati_json, base.legenda, vendor_base=vendor_base)


def dati_selezione(
    layer: dict, selezione: Selezione, punto_aperto: str | None = None, classifica: Classifica | None = None
) -> dict:
    """What a selection changes on the map: quartieri in view (`dentro`) and the chosen one, the
    numbered key, the bounds to fit, the point whose popup opens."""
    tutti = frozenset(layer["quartieri"])
    codici = selezione.codici or tutti
    etichette = _etichette(layer, classifica)
    chiave = sorted(
        ([etichette[c], layer["quartieri"][c]["nome"]] for c in etichette if c in codici),
        key=lambda e: int(e[0]) if e[0].isdigit() else 0,
    )
    return {
        "dentro": sorted(selezione.codici & tutti),
        "scelto": selezione.quartiere,
        "chiave": chiave,
        "limiti": _bounds(layer, codici),
        "punto_aperto": punto_aperto,
    }


def _pagina(elemento: Element) -> Figure:
    """The page (folium's Figure) an element of the map is drawn in."""
    pagina = elemento.get_root()
    if not isinstance(pagina, Figure):  # a folium.Map's root is always the page (Figure) holding it
        raise TypeError(f"radice inattesa della mappa: {type(pagina).__name__}")
    return pagina


class TestoReso(Element):
    """Text already rendered (a script, a style, a key), put in the page as it is."""

    _template = Template("{{ this.testo }}")

    def __init__(self, testo: str):
        super().__init__()
        self._name = "TestoReso"
        self.testo = testo


class MacroDati(MacroElement):
    """A MacroElement whose rendered macros are added to the page as text.

    branca's MacroElement.render wraps each rendered macro in `Element(text)`, which compiles the
    text as a Jinja template again: the data inside it would be evaluated on the server (a point
    named `{{ ... }}` ran Python at every drawing of the map, and one named `{% if %}` stopped it),
    and compiling the 1.4 MB script of a 500-quartieri city took about 240 ms at every rerun.
    """

    def render(self, **kwargs) -> None:  # type: ignore[override]  # as branca's MacroElement.render: returns nothing
        pagina = _pagina(self)
        macro = self._template.module.__dict__
        for parte in ("header", "html", "script"):
            if parte in macro:
                getattr(pagina, parte).add_child(TestoReso(macro[parte](self, kwargs)), name=self.get_name())
        for figlio in self._children.values():
            figlio.render(**kwargs)


class ApplicaSelezione(MacroDati):
    """The script of the selection's feature group: calls the function the map's script left on
    the map object (StratiMappa), with the selection as JSON. st_folium evaluates it in the live
    map's frame when the selection changes, without drawing the map again."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent._parent.get_name() }}.cdnSeleziona({{ this.dati_json }}, true);"
        "{% endmacro %}"
    )

    def __init__(self, dati: dict):
        super().__init__()
        self._name = "ApplicaSelezione"
        self.dati_json = json_nello_script(dati)


def strato_selezione(layer: dict, selezione: Selezione, punto_aperto: str | None = None) -> folium.FeatureGroup:
    """The selection as st_folium's `feature_group_to_add`: an empty group whose script applies it."""
    gruppo = folium.FeatureGroup(name="selezione", control=False)
    ApplicaSelezione(dati_selezione(layer, selezione, punto_aperto)).add_to(gruppo)
    return gruppo


def _etichette(layer: dict, classifica: Classifica | None) -> dict[str, str]:
    if classifica is None:
        return {c: q["numero"] for c, q in layer["quartieri"].items()}
    return {c: str(n) for c, n in classifica.posizioni.items()}


def _dati_strati(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    fasce: dict[str, list[list[int]]] | None,
    classifica: Classifica | None,
    codici_punti: frozenset[str],
    oggi: dt.date | None = None,
) -> dict:
    colori_q = None
    if classifica is not None:
        totale = classifica.ultima
        colori_q = {
            c: colore_posizione(classifica.posizioni.get(c, 0), totale)
            if c in classifica.posizioni
            else NON_IN_CLASSIFICA
            for c in layer["quartieri"]
        }
    return {
        "topologia": layer["topologia"],
        "quartieri": layer["quartieri"],
        "punti": dati_punti(punti, orari, codici_punti, fasce, oggi),
        "etichette": _etichette(layer, classifica),
        "colori_q": colori_q,
        "testi": testi_mappa(),
        "colori": COLORI,
        "bordi": BORDI,
        "simboli": SIMBOLI,
    }


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
    ]
    m.default_css = [("leaflet_css", f"{vendor_base}/leaflet/leaflet.css")]
    if tiles_url:
        folium.TileLayer(tiles_url, attr="Basemap", name="Basemap", opacity=0.5).add_to(m)
    StratiMappa(dati_json).add_to(m)
    # The view is fitted by StratiMappa's script (beside the numbered key), not by folium.
    pagina = _pagina(m)
    pagina.header.add_child(TestoReso(f"<style>{_CSS}</style>"))
    pagina.html.add_child(TestoReso(legenda_html))
    assicura_solo_locale(m)
    return m


_CSS = (
    # The map fills its frame: the page sizes the frame (st_folium's `height`, or CSS).
    "html,body{margin:0;height:100%;overflow:hidden}#map_div{height:100vh!important}"
    ".folium-map{height:100%!important;width:100%!important}"
    ".cdn-marker{width:24px;height:24px;box-sizing:border-box;border-radius:50%;border:2px solid #000;color:#000;"
    "font:bold 15px/20px sans-serif;text-align:center}"
    + "".join(f".cdn-{s}{{background:{c}}}" for s, c in COLORI.items())
    + ".cdn-marker.cdn-demo{border-style:dashed}"
    # Indicative position (no documented place): a square with a dotted outline, not a round pin.
    ".cdn-marker.cdn-indicativa{border-radius:3px;border-style:dotted;border-width:3px;opacity:.8}"
    ".cdn-popup th{text-align:left;padding-right:6px;vertical-align:top}.cdn-popup p{margin:4px 0;font-weight:bold}"
    ".cdn-segnala{display:block;margin-top:6px;color:#1d4f91}"
    ".cdn-tooltip th{text-align:left;padding-right:6px}"
    ".cdn-legenda{position:absolute;bottom:24px;right:10px;z-index:1000;background:#fff;padding:6px 10px;"
    "border:1px solid #555;border-radius:4px;font:14px sans-serif;color:#111}"
    ".cdn-legenda div{display:flex;align-items:center;gap:6px;margin:2px 0}"
    # Labels: black text on an opaque white badge, 21:1 contrast whatever the fill beneath.
    ".cdn-etichetta{background:none;border:none}"
    ".cdn-etichetta span{position:absolute;left:0;top:0;transform:translate(-50%,-50%);background:#fff;color:#000;"
    "border:1.5px solid #000;border-radius:10px;font:bold 13px/16px sans-serif;padding:0 4px;min-width:10px;"
    "text-align:center;white-space:nowrap;pointer-events:none}"
    ".cdn-etichetta.cdn-nome span{font-weight:normal;border-radius:3px;font-size:12px}"
    # The numbered key, beside the map on the left; folded on a phone.
    ".cdn-chiave{position:absolute;top:10px;left:10px;max-height:calc(100% - 60px);z-index:1000;background:#fff;color:#111;"
    "border:1px solid #555;border-radius:4px;font:12px/1.35 sans-serif;padding:4px 8px;overflow:auto;max-width:42%}"
    ".cdn-chiave summary{font-weight:bold;cursor:pointer}"
    ".cdn-chiave ol{list-style:none;margin:4px 0 0;padding:0;column-count:2;column-gap:12px}"
    # A name longer than its column wraps inside it, under the name, not under the number (it ran
    # into the next column when kept on one line): number and name are the two cells of a grid whose
    # name cell may shrink (minmax(0,1fr)) and breaks even a single long word.
    ".cdn-chiave li{break-inside:avoid;display:grid;grid-template-columns:auto minmax(0,1fr);column-gap:.25em;"
    "overflow-wrap:anywhere}.cdn-chiave b{min-width:1.6em}"
    "@media (max-width:600px){.cdn-chiave{max-height:60%}.cdn-legenda{font-size:12px;bottom:18px}}"
    # Leaflet's scale shows metres and then miles and feet: metres only, as an Italian map does.
    ".leaflet-control-scale-line+.leaflet-control-scale-line{display:none}"
)


def _compatta(modello: str) -> str:
    """A Jinja template of JavaScript without its comments and spaces (rjsmin: whitespace and
    comments only, no renaming). Its `{{ ... }}` and `{% ... %}` tags are set aside first: rjsmin
    would read them as JavaScript and join `var {{ nome }}` into `var{{nome}}`."""
    tag = re.findall(r"{{.*?}}|{%.*?%}", modello)
    for i, t in enumerate(tag):
        modello = modello.replace(t, f"_cdnTag{i}_", 1)
    script = rjsmin.jsmin(modello)
    for i, t in enumerate(tag):
        script = script.replace(f"_cdnTag{i}_", t, 1)
    return script


class StratiMappa(MacroDati):
    """Quartieri (from the TopoJSON), their labels and key, and points with their tooltips and
    popups, in one script.

    The quartieri are one L.geoJSON layer whose features carry `codice_istat`: st_folium hooks
    the click of every layer on the map and returns the clicked feature as last_active_drawing.
    Every string reaches JS as JSON with `<`, `>`, `&` and `'` escaped (Jinja's `tojson`), and is shown
    with textContent; folium's own popups would need jQuery, a script we do not ship.
    """

    # Comments and spaces are dropped (_compatta): the script travels to every viewer (the 60 KB budget).
    _template = Template(
        _compatta(
            """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (d, mappa) {
            // Leaflet's credit stays, as text: the map links to no other host (issue 10, point 5).
            if (mappa.attributionControl) { mappa.attributionControl.setPrefix("Leaflet"); }
            function tabella(classe, etichette, valori) {
                var t = document.createElement("table");
                t.className = classe;
                etichette.forEach(function (etichetta, i) {
                    var riga = t.insertRow(), th = document.createElement("th");
                    th.scope = "row";
                    th.textContent = etichetta;
                    riga.appendChild(th);
                    riga.insertCell().textContent = valori[i] == null ? d.testi.non_noto : valori[i];
                });
                return t;
            }
            function hhmm(m) { return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0"); }
            // Desk open now, or when it opens next, in Rome's time whatever the viewer's time zone.
            function adesso(fasce) {
                if (!fasce || !fasce.length) return null;
                var parti = {};
                new Intl.DateTimeFormat("en-GB", {timeZone: "Europe/Rome", weekday: "short", hour: "2-digit",
                    minute: "2-digit", hourCycle: "h23"}).formatToParts(new Date()).forEach(function (p) { parti[p.type] = p.value; });
                var g = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parti.weekday);
                var ora = parseInt(parti.hour, 10) * 60 + parseInt(parti.minute, 10), adessoMin = g * 1440 + ora;
                var meglio = null;
                for (var i = 0; i < fasce.length; i++) {
                    var inizio = fasce[i][0] * 1440 + fasce[i][1], fine = fasce[i][0] * 1440 + fasce[i][2];
                    if (inizio <= adessoMin && adessoMin < fine) return d.testi.aperto_fino.replace("{ora}", hhmm(fasce[i][2]));
                    var tra = (inizio - adessoMin + 10080) % 10080;
                    if (meglio === null || tra < meglio[0]) meglio = [tra, fasce[i]];
                }
                var giorni = Math.floor((ora + meglio[0]) / 1440), quando;
                quando = giorni === 0 ? d.testi.oggi : giorni === 1 ? d.testi.domani : d.testi.giorni[meglio[1][0]];
                return d.testi.chiuso_apre.replace("{quando}", quando).replace("{ora}", hhmm(meglio[1][1]));
            }
            // The selection (quartieri in view, the chosen one, the key, the bounds) is applied by
            // cdnSeleziona: at once when the data carries it, else by the selection's feature group
            // (strato_selezione), which st_folium evaluates again at every pick without a new map.
            var dentro = new Set(), scelto = null, limiti = null, voci = [];
            var quartieri = L.geoJSON(topojson.feature(d.topologia, d.topologia.objects.quartieri), {
                style: function (f) {
                    var c = f.properties.codice_istat, q = d.quartieri[c], si = dentro.has(c), sc = c === scelto;
                    var fill = d.colori_q ? d.colori_q[c] : d.colori[q.stato];
                    return {fillColor: fill, fillOpacity: si ? (d.colori_q ? 0.85 : 0.7) : 0.15, color: sc ? "#000000" : "#333333",
                            weight: sc ? 4 : 1.2, dashArray: d.bordi[q.stato], opacity: si ? 1 : 0.4};
                },
                onEachFeature: function (f, layer) {
                    var q = d.quartieri[f.properties.codice_istat];
                    layer.bindTooltip(function () {
                        return tabella("cdn-tooltip", d.testi.quartiere, [q.nome, q.zona, q.stato_testo, q.punti_testo, q.area_testo]);
                    }, {sticky: true});
                    layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#000000"}); });
                    layer.on("mouseout", function () { quartieri.resetStyle(layer); });
                    // The overview's map (prepara_base): a click picks the quartiere, shown at once
                    // (sceglie), and goes on to Streamlit as before.
                    if (d.clic_sceglie) layer.on("click", function () { sceglie(f.properties.codice_istat, layer); });
                }
            }).addTo(mappa);
            // Show now what the server will send back for a pick (dati_selezione of one quartiere; its
            // bounds are those of the original shape, these of the drawn one: a metre or two apart,
            // less than a pixel), before the round trip (issue 14, point 4).
            function sceglie(c, layer) {
                applica({dentro: [c], scelto: c, chiave: [[d.etichette[c], d.quartieri[c].nome]], limiti: layer.getBounds()}, false);
            }
            // A quartiere picked in the sidebar's list: the page's script (ui/menu.py) calls this with its name.
            if (d.clic_sceglie) window.cdnScegli = function (nome) {
                quartieri.eachLayer(function (l) { var c = l.feature.properties.codice_istat; if (d.quartieri[c].nome === nome) sceglie(c, l); });
            };
            // Labels: text in the page (selectable, read by screen readers), numbers at the city
            // view, names once zoomed in; nudged apart where two would overlap. Only the quartieri
            // in view carry one.
            var tutte = [], etichette = [], chiave = null, lista = null;
            // Their own pane, under the markers and after them in the page: a marker is the first focusable element.
            mappa.createPane("cdnEtichette").style.zIndex = 450;
            quartieri.eachLayer(function (layer) {
                var c = layer.feature.properties.codice_istat, testo = d.etichette[c];
                if (testo == null) return;
                var centro = L.latLng(d.quartieri[c].centro[0], d.quartieri[c].centro[1]);
                var box = document.createElement("span");
                var m = L.marker(centro, {icon: L.divIcon({html: box, className: "cdn-etichetta", iconSize: [0, 0]}),
                                         interactive: false, keyboard: false, pane: "cdnEtichette"});
                tutte.push({m: m, box: box, centro: centro, numero: testo, nome: d.quartieri[c].nome, c: c});
            });
            function disponi() {
                // No view yet (see adatta): laid out at the first one.
                if (!mappa._loaded) return;
                var nomi = voci.length <= 1 || mappa.getZoom() >= 14;
                etichette.forEach(function (e) {
                    e.box.textContent = nomi && !d.colori_q ? e.nome : e.numero;
                    e.m.getElement().classList.toggle("cdn-nome", nomi && !d.colori_q);
                });
                // Positions in pixels, moved apart in memory, then set once: no layout per step.
                var pos = etichette.map(function (e) {
                    var p = mappa.latLngToContainerPoint(e.centro);
                    return {x: p.x, y: p.y, w: (e.box.offsetWidth || e.box.textContent.length * 8 + 10) + 2,
                            h: (e.box.offsetHeight || 18) + 2};
                });
                // The points' markers stay where they are: a label that covers one moves off it.
                var ostacoli = [];
                mappa.eachLayer(function (l) {
                    if (l.options && l.options.icon && l.options.icon.options.className === "cdn-punto") {
                        var p = mappa.latLngToContainerPoint(l.getLatLng());
                        ostacoli.push({x: p.x, y: p.y, w: 30, h: 30});
                    }
                });
                // Greedy: each label takes the nearest spot around its quartiere's point that covers
                // neither a marker nor a label already placed (the least covered one if none is free).
                function coperto(a, b) {
                    var x = (a.w + b.w) / 2 - Math.abs(a.x - b.x), y = (a.h + b.h) / 2 - Math.abs(a.y - b.y);
                    return x > 0 && y > 0 ? x * y : 0;
                }
                var posti = ostacoli.slice();
                pos.forEach(function (p) {
                    var ys = [0, p.h / 2 + 16, -(p.h / 2 + 16), 1.5 * p.h + 18, -(1.5 * p.h + 18)];
                    var xs = [0, p.w / 2 + 16, -(p.w / 2 + 16), p.w + 6, -(p.w + 6)];
                    var prove = [];
                    xs.forEach(function (dx) { ys.forEach(function (dy) { prove.push([dx, dy]); }); });
                    prove.sort(function (u, v) { return Math.hypot(u[0], u[1]) - Math.hypot(v[0], v[1]); });
                    var meglio = null, costo = Infinity;
                    for (var k = 0; k < prove.length && costo > 0; k++) {
                        var c = {x: p.x + prove[k][0], y: p.y + prove[k][1], w: p.w, h: p.h}, somma = 0;
                        posti.forEach(function (o) { somma += coperto(c, o); });
                        if (somma < costo) { costo = somma; meglio = c; }
                    }
                    p.x = meglio.x; p.y = meglio.y;
                    posti.push(meglio);
                });
                pos.forEach(function (p, i) { etichette[i].m.setLatLng(mappa.containerPointToLatLng(L.point(p.x, p.y))); });
            }
            // The numbered key, beside the map when more than one quartiere is in view.
            function componiChiave() {
                if (voci.length <= 1) {
                    if (chiave) chiave.remove();
                    return;
                }
                if (!chiave) {
                    chiave = document.createElement("details");
                    chiave.className = "cdn-chiave";
                    chiave.open = window.innerWidth > 600;
                    var titolo = document.createElement("summary");
                    lista = document.createElement("ol");
                    titolo.textContent = d.colori_q ? d.testi.chiave_classifica : d.testi.chiave;
                    chiave.appendChild(titolo);
                    chiave.appendChild(lista);
                    L.DomEvent.disableClickPropagation(chiave);
                    L.DomEvent.disableScrollPropagation(chiave);
                    chiave.addEventListener("toggle", function () { if (!mossoDaUtente) adatta(); });
                }
                lista.textContent = "";
                voci.forEach(function (voce) {
                    var li = document.createElement("li"), n = document.createElement("b");
                    n.textContent = voce[0];
                    li.appendChild(n);
                    li.appendChild(document.createTextNode(" " + voce[1]));
                    lista.appendChild(li);
                });
                if (!chiave.parentNode) mappa.getContainer().appendChild(chiave);
            }
            // Fit the view beside the key; fit again when the frame is resized, until the user moves the map.
            var mossoDaUtente = false;
            function adatta() {
                if (!limiti) return;
                var dim = mappa.getSize(), sinistra = chiave && chiave.parentNode && chiave.open ? chiave.offsetWidth + 20 : 10;
                // A frame not laid out yet (no size) waits for its "resize"; one narrower than the key
                // fits without it. Padding wider than the map makes Leaflet's zoom NaN (it threw
                // "Invalid LatLng object: (NaN, NaN)" in a frame that started with no size).
                if (dim.x < 40 || dim.y < 40) return;
                if (dim.x - sinistra - 10 < 40) sinistra = 10;
                mappa.fitBounds(limiti, {paddingTopLeft: [sinistra, 10], paddingBottomRight: [10, 10], animate: false});
            }
            mappa.on("zoomend", disponi);
            mappa.on("dragstart", function () { mossoDaUtente = true; });
            mappa.on("resize", function () { if (!mossoDaUtente) adatta(); disponi(); });
            // Markers are made when their quartiere first comes into view, then kept.
            var marcatori = d.punti.map(function () { return null; });
            function marcatore(p) {
                var stato = p[2], titolo = p[4] + " — " + d.testi.stati[stato] + (p[8] ? " — " + d.testi.indicativa : "");
                var icona = document.createElement("div");
                icona.className = "cdn-marker cdn-" + stato + (p[3] ? " cdn-demo" : "") + (p[8] ? " cdn-indicativa" : "");
                icona.setAttribute("role", "img");
                icona.setAttribute("aria-label", d.testi.stati[stato]);
                icona.textContent = d.simboli[stato] || "";
                return L.marker([p[0], p[1]], {
                    icon: L.divIcon({html: icona, iconSize: [28, 28], iconAnchor: [14, 14], className: "cdn-punto"}),
                    title: titolo, alt: titolo, keyboard: true
                }).bindTooltip(function () { return document.createTextNode(titolo); })
                  .bindPopup(function () {
                    var box = document.createElement("div"), nome = document.createElement("strong");
                    box.className = "cdn-popup";
                    box.dataset.punto = p[10];
                    nome.textContent = p[4];
                    box.appendChild(nome);
                    if (p[3]) {
                        var demo = document.createElement("p");
                        demo.textContent = d.testi.dimostrativo;
                        box.appendChild(demo);
                    }
                    if (p[13]) {
                        var verifica = document.createElement("p");
                        verifica.textContent = d.testi.da_verificare;
                        box.appendChild(verifica);
                    }
                    var ora = adesso(p[11]);
                    box.appendChild(tabella("", d.testi.punto.concat(ora ? [d.testi.adesso] : []), [d.testi.stati[stato], p[5], p[6],
                        p[7] == null ? d.testi.orari_non_documentati : p[7], d.testi.posizione[p[8]], p[12], p[9]].concat(ora ? [ora] : [])));
                    // The report form (/segnala), except in a page opened from a file (the meeting kit: no server).
                    if (d.testi.segnala && location.protocol !== "file:") {
                        var segnala = document.createElement("a");
                        segnala.className = "cdn-segnala";
                        segnala.href = d.testi.segnala[1] + encodeURIComponent(p[10]) + d.testi.segnala[2];
                        segnala.target = "_blank";
                        segnala.rel = "noopener";
                        segnala.textContent = d.testi.segnala[0];
                        box.appendChild(segnala);
                    }
                    return box;
                  }, {maxWidth: 320});
            }
            function applica(s, daStreamlit) {
                // As a new map would: no popup left open from the previous view.
                mappa.closePopup();
                dentro = new Set(s.dentro);
                scelto = s.scelto;
                limiti = s.limiti;
                voci = s.chiave;
                quartieri.setStyle(quartieri.options.style);
                etichette = tutte.filter(function (e) { return dentro.has(e.c); });
                tutte.forEach(function (e) {
                    if (dentro.has(e.c)) { if (!mappa.hasLayer(e.m)) e.m.addTo(mappa); } else { e.m.remove(); }
                });
                componiChiave();
                mossoDaUtente = false;
                adatta();
                var aperto = null;
                d.punti.forEach(function (p, i) {
                    if (dentro.has(p[14])) {
                        if (!marcatori[i]) marcatori[i] = marcatore(p);
                        if (!mappa.hasLayer(marcatori[i])) marcatori[i].addTo(mappa);
                        if (p[10] === s.punto_aperto) aperto = marcatori[i];
                    } else if (marcatori[i]) {
                        marcatori[i].remove();
                    }
                });
                if (aperto) aperto.openPopup();
                disponi();
                // A click on a quartiere picked it: the next click on the same one (after "all the
                // quartieri" again) must reach Python as a click, not as an unchanged value.
                if (daStreamlit && window.__GLOBAL_DATA__) window.__GLOBAL_DATA__.last_active_drawing = null;
            }
            mappa.cdnSeleziona = applica;
            if (d.dentro) applica(d, false);
            // Again once the frame is laid out and its fonts are in: label sizes are known then.
            window.addEventListener("load", disponi);
            setTimeout(disponi, 300);
            return quartieri;
        })({{ this.dati_json }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
        )
    )

    def __init__(self, dati_json: str):
        super().__init__()
        self._name = "StratiMappa"
        self.dati_json = dati_json


def json_nello_script(valore: object) -> str:
    """`valore` as JSON to put inside a <script>: what Jinja's `tojson` does (escapes <, >, & and '
    so no text can close the script), without the spaces after every comma and colon (about a
    sixth of the TopoJSON) and without escaping accented letters."""
    return htmlsafe_json_dumps(valore, dumps=json.dumps, separators=(",", ":"), ensure_ascii=False)


def legenda(completo: bool = True, indicative: bool = False, demo: bool = True) -> str:
    """The map's key: the statuses in words and patterns; "nessun punto documentato" instead of
    "mancante" while the register is incomplete; the indicative-position symbol when shown."""
    voci = []
    for stato in ("attivo", "in_apertura", "mancante" if completo else "non_documentato"):
        dash = BORDI[stato] or "none"
        simbolo = SIMBOLI.get(stato, "")
        voci.append(
            "<div>"
            f"<svg width='28' height='18' aria-hidden='true'><rect x='1' y='1' width='26' height='16' fill='{COLORI[stato]}' "
            f"fill-opacity='0.7' stroke='#333' stroke-width='1.5' stroke-dasharray='{dash}'/></svg>"
            f"<span>{simbolo} {etichetta(stato).capitalize()}</span></div>"
        )
    return (
        "<div class='cdn-legenda'><strong>"
        + _("Stato del quartiere")
        + "</strong>"
        + "".join(voci)
        + (
            "<div><span class='cdn-marker cdn-indicativa' style='display:inline-block;width:18px;height:18px;"
            "background:#fff' aria-hidden='true'></span><span>"
            + _("Quadrato a puntini: posizione indicativa (centro del quartiere)")
            + "</span></div>"
            if indicative
            else ""
        )
        + ("" if completo else "<div>" + _("Punti attivi non ancora nel registro: non sono sulla mappa") + "</div>")
        + ("<div>" + _("Bordo tratteggiato del simbolo: punto dimostrativo") + "</div>" if demo else "")
        + "</div>"
    )


def legenda_classifica(classifica: Classifica) -> str:
    totale = classifica.ultima
    passi = sorted({1, (totale + 1) // 2, totale}) if totale else []
    voci = "".join(
        "<div>"
        f"<svg width='28' height='18' aria-hidden='true'><rect x='1' y='1' width='26' height='16' "
        f"fill='{colore_posizione(n, totale)}' stroke='#333' stroke-width='1.5'/></svg>"
        f"<span>{n}</span></div>"
        for n in passi
    )
    nessuno = (
        "<div><svg width='28' height='18' aria-hidden='true'><rect x='1' y='1' width='26' height='16' "
        f"fill='{NON_IN_CLASSIFICA}' stroke='#333' stroke-width='1.5'/></svg><span>"
        + _("con un punto (fuori classifica)")
        + "</span></div>"
    )
    return "<div class='cdn-legenda'><strong>" + escape(classifica.titolo) + "</strong>" + voci + nessuno + "</div>"


def _bounds(layer: dict, codici: frozenset[str] | set[str]) -> list[list[float]]:
    riquadri = [layer["riquadri"][c] for c in codici if c in layer["riquadri"]]
    return [
        [round(min(r[0] for r in riquadri), 5), round(min(r[1] for r in riquadri), 5)],
        [round(max(r[2] for r in riquadri), 5), round(max(r[3] for r in riquadri), 5)],
    ]


def _locale(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        return not url.startswith("//")  # protocol-relative URLs go to another host
    return parsed.hostname in ("localhost", "127.0.0.1", "::1")


def assicura_solo_locale(m: folium.Map) -> None:
    """Raise if any element of the map would fetch JS or CSS from another host."""

    def walk(el):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    for el in walk(m):
        for _nome, url in list(getattr(el, "default_js", [])) + list(getattr(el, "default_css", [])):
            if not _locale(url):
                raise RisorsaEsterna(f"{type(el).__name__} vuole caricare {url}: la mappa deve funzionare senza rete")
