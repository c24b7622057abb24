"""The overview map: quartieri coloured by status, one marker per point, a legend.

Offline is a hard requirement: st_folium loads every JS/CSS link an element declares and waits
for all of them, so a single CDN link leaves a blank box with no network. We give the map only
the Leaflet files the app serves itself and refuse to build a map with any other link.

Status is never colour alone: missing quartieri have a dashed border, opening ones a dotted
border, markers carry a symbol, and every tooltip says the status in words. Colours are
Okabe-Ito (colour-blind safe). All text from the data is HTML-escaped: names and addresses come
from files edited by people, and Leaflet inserts tooltips and popups as HTML.
"""

from __future__ import annotations

import html
import json
from urllib.parse import urlparse
from dataclasses import dataclass

import folium
from branca.element import MacroElement
from jinja2 import Template
import geopandas as gpd
import pandas as pd

from cittadelnoi import fmt

from cittadelnoi.i18n import N_, _
from cittadelnoi.stato import etichetta

COLORI = {"attivo": "#009E73", "in_apertura": "#E69F00", "mancante": "#9A9A9A"}
BORDI = {"attivo": None, "in_apertura": "2 4", "mancante": "6 4"}  # SVG dash arrays
SIMBOLI = {"attivo": "✓", "in_apertura": "◐"}
TESTO_BORDO = {"attivo": N_("bordo continuo"), "in_apertura": N_("bordo a puntini"), "mancante": N_("bordo tratteggiato")}
LEAFLET_BASE = "/app/static/vendor/leaflet"


class RisorsaEsterna(RuntimeError):
    """A map element asked for a JS/CSS file from outside the app."""


@dataclass(frozen=True)
class Selezione:
    codici: frozenset[str]  # quartieri in the current filter
    quartiere: str | None = None  # the one quartiere picked, drawn with a thick outline


def layer_quartieri(stati: gpd.GeoDataFrame) -> dict:
    """GeoJSON of the quartieri with escaped display properties; computed once per data version."""
    props = pd.DataFrame({
        "codice_istat": stati["codice_istat"],
        "nome": stati["nome"].map(html.escape),
        "zona": stati["zona"].map(html.escape),
        "stato": stati["stato"],
        "stato_testo": stati["stato"].map(lambda s: f"{etichetta(s)} ({_(TESTO_BORDO[s])})"),
        "punti_testo": stati["punti"].map(lambda s: html.escape(s) if s else _("nessun punto")),
        "area_testo": stati["area_km2"].map(lambda a: fmt.numero(a, 2) + " km²"),
    })
    gdf = gpd.GeoDataFrame(props, geometry=stati.geometry.values, crs=stati.crs)
    return json.loads(gdf.to_json(drop_id=True))


def costruisci_mappa(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    selezione: Selezione,
    leaflet_base: str = LEAFLET_BASE,
    tiles_url: str | None = None,
) -> folium.Map:
    """Build the folium map. `orari` maps point id -> desk hours text for the popups."""
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    m.default_js = [("leaflet", f"{leaflet_base}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{leaflet_base}/leaflet.css")]
    if tiles_url:
        folium.TileLayer(tiles_url, attr="Basemap", name="Basemap", opacity=0.5).add_to(m)

    def style(feature: dict) -> dict:
        p = feature["properties"]
        dentro = p["codice_istat"] in selezione.codici
        scelto = p["codice_istat"] == selezione.quartiere
        return {
            "fillColor": COLORI[p["stato"]],
            "fillOpacity": 0.7 if dentro else 0.15,
            "color": "#000000" if scelto else "#333333",
            "weight": 4 if scelto else 1.2,
            "dashArray": BORDI[p["stato"]],
            "opacity": 1 if dentro else 0.4,
        }

    folium.GeoJson(
        layer,
        name="Quartieri",
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["nome", "zona", "stato_testo", "punti_testo", "area_testo"],
            aliases=[_("Quartiere"), _("Zona"), _("Stato"), _("Punti"), _("Area")],
            sticky=True,
        ),
    ).add_to(m)

    visibili = punti[punti["codice_istat"].isin(selezione.codici)]
    for rec in visibili.to_dict("records"):
        MarkerPunto(
            (rec["lat"], rec["lon"]),
            icona=_icona(rec["stato"], rec["dimostrativo"]),
            titolo=f"{rec['nome']} — {etichetta(rec['stato'])}",
            popup=_popup(rec, orari.get(rec["id"])),
        ).add_to(m)

    codici = selezione.codici or frozenset(f["properties"]["codice_istat"] for f in layer["features"])
    m.fit_bounds(_bounds(layer, codici))
    m.get_root().html.add_child(folium.Element(legenda()))
    assicura_solo_locale(m)
    return m


class MarkerPunto(MacroElement):
    """A marker with its icon, tooltip and popup in one Leaflet call.

    folium's Popup builds content with jQuery (`$(...)`, a script we do not ship) inside a JS
    template literal, where a backtick or `${` in a name would break out; folium's Marker first
    draws Leaflet's default image icon. Here every string reaches JS through `tojson`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.marker({{ this.location|tojson }}, {
            icon: L.divIcon({html: {{ this.icona|tojson }}, iconSize: [28, 28], iconAnchor: [14, 14], className: "cdn-punto"}),
            title: {{ this.titolo|tojson }}, alt: {{ this.titolo|tojson }}, keyboard: true
        }).bindTooltip({{ this.titolo_html|tojson }})
          .bindPopup({{ this.popup|tojson }}, {maxWidth: 320})
          .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, location: tuple[float, float], icona: str, titolo: str, popup: str):
        super().__init__()
        self._name = "MarkerPunto"
        self.location = [float(location[0]), float(location[1])]
        self.icona = icona
        self.titolo = titolo  # plain text: Leaflet sets it as an attribute
        self.titolo_html = html.escape(titolo)  # tooltips are inserted as HTML
        self.popup = popup


def _icona(stato: str, dimostrativo: bool) -> str:
    bordo = "dashed" if dimostrativo else "solid"
    return (
        f'<div class="cdn-marker cdn-{stato}" role="img" aria-label="{etichetta(stato)}" '
        f'style="width:24px;height:24px;border-radius:50%;background:{COLORI[stato]};'
        f'border:2px {bordo} #000;color:#000;font:bold 15px/22px sans-serif;text-align:center">'
        f"{SIMBOLI[stato]}</div>"
    )


def _popup(rec: dict, orario: str | None) -> str:
    def riga(label: str, value: object) -> str:
        testo = html.escape(str(value)) if value not in (None, "") and not pd.isna(value) else _("non noto")
        return f"<tr><th style='text-align:left;padding-right:6px'>{label}</th><td>{testo}</td></tr>"

    posizione = _("indicativa: centro del quartiere") if rec["posizione"] == "centro_quartiere" else _("all'indirizzo")
    demo = "<p style='margin:4px 0;font-weight:bold'>⚠ " + _("dati dimostrativi") + "</p>" if rec["dimostrativo"] else ""
    return (
        f"<div class='cdn-popup'><strong>{html.escape(rec['nome'])}</strong>{demo}<table>"
        + riga(_("Stato"), etichetta(rec["stato"]))
        + riga(_("Indirizzo"), rec["indirizzo"])
        + riga(_("Ente gestore"), rec["ente_gestore"])
        + riga(_("Sportello"), orario or _("orari non documentati"))
        + riga(_("Posizione"), posizione)
        + riga(_("Fonte"), rec["fonte"])
        + "</table></div>"
    )


def legenda() -> str:
    voci = []
    for stato in ("attivo", "in_apertura", "mancante"):
        dash = BORDI[stato] or "none"
        simbolo = SIMBOLI.get(stato, "")
        voci.append(
            "<div style='display:flex;align-items:center;gap:6px;margin:2px 0'>"
            f"<svg width='28' height='18' aria-hidden='true'><rect x='1' y='1' width='26' height='16' fill='{COLORI[stato]}' "
            f"fill-opacity='0.7' stroke='#333' stroke-width='1.5' stroke-dasharray='{dash}'/></svg>"
            f"<span>{simbolo} {etichetta(stato).capitalize()}</span></div>"
        )
    return (
        "<div class='cdn-legenda' style='position:absolute;bottom:24px;right:10px;z-index:1000;background:#fff;"
        "padding:6px 10px;border:1px solid #555;border-radius:4px;font:14px sans-serif;color:#111'>"
        "<strong>" + _("Stato del quartiere") + "</strong>" + "".join(voci)
        + "<div style='margin-top:2px'>" + _("Bordo tratteggiato del simbolo: punto dimostrativo") + "</div></div>"
    )


def _bounds(layer: dict, codici: frozenset[str] | set[str]) -> list[list[float]]:
    feats = [f for f in layer["features"] if f["properties"]["codice_istat"] in codici]
    xs: list[float] = []
    ys: list[float] = []
    for f in feats:
        for poly in _poligoni(f["geometry"]):
            for ring in poly:
                for x, y in ring:
                    xs.append(x)
                    ys.append(y)
    return [[min(ys), min(xs)], [max(ys), max(xs)]]


def _poligoni(geometry: dict) -> list:
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


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
        for _, url in list(getattr(el, "default_js", [])) + list(getattr(el, "default_css", [])):
            if not _locale(url):
                raise RisorsaEsterna(f"{type(el).__name__} vuole caricare {url}: la mappa deve funzionare senza rete")
