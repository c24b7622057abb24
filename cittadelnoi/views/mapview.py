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

import json
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

import folium
import geopandas as gpd
import pandas as pd
import shapely
import topojson
from branca.element import Figure, MacroElement
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.core.palette import COLORI_STATO
from cittadelnoi.metrics.stato import etichetta

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
    "fonte",
    "conferma",
    "da_verificare",
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
        info[str(rec["codice_istat"])] = {
            "nome": rec["nome"],
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


def dati_punti(punti: pd.DataFrame, orari: dict[str, str], codici: frozenset[str] | set[str]) -> list[list]:
    """One row per visible point, columns as CAMPI_PUNTO; missing values as null."""

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
                val(rec["fonte"]),
                fmt.data_parziale(val(rec.get("conferma"))),
                1 if rec.get("quartiere_da_verificare") else 0,
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
    }


def costruisci_mappa(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    selezione: Selezione,
    vendor_base: str = VENDOR_BASE,
    tiles_url: str | None = None,
    completo: bool = True,
) -> folium.Map:
    """Build the folium map. `orari` maps point id -> desk hours text for the popups."""
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    m.default_js = [
        ("leaflet", f"{vendor_base}/leaflet/leaflet.js"),
        ("topojson", f"{vendor_base}/topojson-client/topojson-client.min.js"),
    ]
    m.default_css = [("leaflet_css", f"{vendor_base}/leaflet/leaflet.css")]
    if tiles_url:
        folium.TileLayer(tiles_url, attr="Basemap", name="Basemap", opacity=0.5).add_to(m)

    tutti = frozenset(layer["quartieri"])
    codici = selezione.codici or tutti
    StratiMappa(
        {
            "topologia": layer["topologia"],
            "quartieri": layer["quartieri"],
            "dentro": sorted(selezione.codici & tutti),
            "scelto": selezione.quartiere,
            "punti": dati_punti(punti, orari, selezione.codici),
            "testi": testi_mappa(),
            "colori": COLORI,
            "bordi": BORDI,
            "simboli": SIMBOLI,
        }
    ).add_to(m)
    m.fit_bounds(_bounds(layer, codici))
    pagina = m.get_root()
    if not isinstance(pagina, Figure):  # a folium.Map's root is always the page (Figure) holding it
        raise TypeError(f"radice inattesa della mappa: {type(pagina).__name__}")
    pagina.header.add_child(folium.Element(f"<style>{_CSS}</style>"))
    pagina.html.add_child(
        folium.Element(
            legenda(
                completo,
                indicative=bool(punti["posizione"].eq("centro_quartiere").any()),
                demo=bool(punti["dimostrativo"].any()),
            )
        )
    )
    assicura_solo_locale(m)
    return m


_CSS = (
    ".cdn-marker{width:24px;height:24px;box-sizing:border-box;border-radius:50%;border:2px solid #000;color:#000;"
    "font:bold 15px/20px sans-serif;text-align:center}"
    + "".join(f".cdn-{s}{{background:{c}}}" for s, c in COLORI.items())
    + ".cdn-marker.cdn-demo{border-style:dashed}"
    # Indicative position (no documented place): a square with a dotted outline, not a round pin.
    ".cdn-marker.cdn-indicativa{border-radius:3px;border-style:dotted;border-width:3px;opacity:.8}"
    ".cdn-popup th{text-align:left;padding-right:6px;vertical-align:top}.cdn-popup p{margin:4px 0;font-weight:bold}"
    ".cdn-tooltip th{text-align:left;padding-right:6px}"
    ".cdn-legenda{position:absolute;bottom:24px;right:10px;z-index:1000;background:#fff;padding:6px 10px;"
    "border:1px solid #555;border-radius:4px;font:14px sans-serif;color:#111}"
    ".cdn-legenda div{display:flex;align-items:center;gap:6px;margin:2px 0}"
)


class StratiMappa(MacroElement):
    """Quartieri (from the TopoJSON) and points, with their tooltips and popups, in one script.

    The quartieri are one L.geoJSON layer whose features carry `codice_istat`: st_folium hooks
    the click of every layer on the map and returns the clicked feature as last_active_drawing.
    Every string reaches JS as JSON with `<`, `>`, `&` and `'` escaped (Jinja's `tojson`), and is shown
    with textContent; folium's own popups would need jQuery, a script we do not ship.
    """

    _template = Template(
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
            var dentro = new Set(d.dentro);
            var quartieri = L.geoJSON(topojson.feature(d.topologia, d.topologia.objects.quartieri), {
                style: function (f) {
                    var c = f.properties.codice_istat, q = d.quartieri[c], si = dentro.has(c), scelto = c === d.scelto;
                    return {fillColor: d.colori[q.stato], fillOpacity: si ? 0.7 : 0.15, color: scelto ? "#000000" : "#333333",
                            weight: scelto ? 4 : 1.2, dashArray: d.bordi[q.stato], opacity: si ? 1 : 0.4};
                },
                onEachFeature: function (f, layer) {
                    var q = d.quartieri[f.properties.codice_istat];
                    layer.bindTooltip(function () {
                        return tabella("cdn-tooltip", d.testi.quartiere, [q.nome, q.zona, q.stato_testo, q.punti_testo, q.area_testo]);
                    }, {sticky: true});
                    layer.on("mouseover", function () { layer.setStyle({weight: 3, color: "#000000"}); });
                    layer.on("mouseout", function () { quartieri.resetStyle(layer); });
                }
            }).addTo(mappa);
            d.punti.forEach(function (p) {
                var stato = p[2], titolo = p[4] + " — " + d.testi.stati[stato] + (p[8] ? " — " + d.testi.indicativa : "");
                var icona = document.createElement("div");
                icona.className = "cdn-marker cdn-" + stato + (p[3] ? " cdn-demo" : "") + (p[8] ? " cdn-indicativa" : "");
                icona.setAttribute("role", "img");
                icona.setAttribute("aria-label", d.testi.stati[stato]);
                icona.textContent = d.simboli[stato] || "";
                L.marker([p[0], p[1]], {
                    icon: L.divIcon({html: icona, iconSize: [28, 28], iconAnchor: [14, 14], className: "cdn-punto"}),
                    title: titolo, alt: titolo, keyboard: true
                }).bindTooltip(function () { return document.createTextNode(titolo); })
                  .bindPopup(function () {
                    var box = document.createElement("div"), nome = document.createElement("strong");
                    box.className = "cdn-popup";
                    nome.textContent = p[4];
                    box.appendChild(nome);
                    if (p[3]) {
                        var demo = document.createElement("p");
                        demo.textContent = d.testi.dimostrativo;
                        box.appendChild(demo);
                    }
                    if (p[11]) {
                        var verifica = document.createElement("p");
                        verifica.textContent = d.testi.da_verificare;
                        box.appendChild(verifica);
                    }
                    box.appendChild(tabella("", d.testi.punto, [d.testi.stati[stato], p[5], p[6],
                        p[7] == null ? d.testi.orari_non_documentati : p[7], d.testi.posizione[p[8]], p[10], p[9]]));
                    return box;
                  }, {maxWidth: 320})
                  .addTo(mappa);
            });
            return quartieri;
        })({{ this.dati_json }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, dati: dict):
        super().__init__()
        self._name = "StratiMappa"
        self.dati_json = json_nello_script(dati)


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
        + ("" if completo else "<div>" + _("Punti non ancora nel registro: vedi sotto la mappa") + "</div>")
        + ("<div>" + _("Bordo tratteggiato del simbolo: punto dimostrativo") + "</div>" if demo else "")
        + "</div>"
    )


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
