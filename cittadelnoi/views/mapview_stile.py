"""How the map looks: status colours, borders and symbols, the ranking's scale, the map's style
sheet and its legends (the HTML beside the map).

Status is never colour alone: missing quartieri have a dashed border, opening ones a dotted
border, markers carry a symbol, and every tooltip says the status in words. Colours are
Okabe-Ito (colour-blind safe).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

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

# Sequential, colour-blind safe (ColorBrewer YlOrRd, dark = first): rank 1 darkest.
SCALA_CLASSIFICA = ("#800026", "#BD0026", "#E31A1C", "#FC4E2A", "#FD8D3C", "#FEB24C", "#FED976", "#FFEDA0")
NON_IN_CLASSIFICA = "#FFFFFF"


@dataclass(frozen=True)
class Classifica:
    """The "Dove aprire" view of the map: quartieri coloured and numbered by rank (1 = first)."""

    posizioni: dict[str, int]  # codice_istat -> rank
    titolo: str  # legend title
    totale: int = 0  # ranks of the whole city (the filter may show some); 0 = the highest given

    @property
    def ultima(self) -> int:
        return max(self.totale, *self.posizioni.values()) if self.posizioni else self.totale


def colore_posizione(posizione: int, totale: int) -> str:
    """The fill of rank `posizione` (1 = first) out of `totale`: a "#RRGGBB" of SCALA_CLASSIFICA."""
    if totale <= 1:
        return SCALA_CLASSIFICA[0]
    return SCALA_CLASSIFICA[round((posizione - 1) * (len(SCALA_CLASSIFICA) - 1) / (totale - 1))]


CSS = (
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


def legenda(completo: bool = True, indicative: bool = False, demo: bool = True) -> str:
    """The map's key as HTML: the statuses in words and patterns; "nessun punto documentato"
    instead of "mancante" while the register is incomplete; the indicative-position symbol when shown."""
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
    """The ranking's key as HTML: first, middle and last rank with their colours; its title escaped."""
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
