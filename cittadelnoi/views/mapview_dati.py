"""What the map's script receives, as plain data (JSON-ready dicts and lists): the quartieri's
topology and texts, the points as one compact table, the labels in the current language, and a
selection (quartieri in view, the chosen one, the key, the bounds, the open point).

Size matters: the whole map travels to every viewer at every rerun that changes it. The quartieri
go as TopoJSON (each shared border once, coordinates as small integer steps of about a metre) and
the points as one compact table; tooltips and popups are built in the browser from that data, only
when opened. This took the map message from 122 KB to about 50 KB (bench/RESULTS.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
import topojson

from cittadelnoi.core import fmt, i18n, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.core.tempo import giorni
from cittadelnoi.metrics.registro import fonte_punto, testo_conferma
from cittadelnoi.metrics.stato import etichetta
from cittadelnoi.views.mapview_stile import (
    BORDI,
    COLORI,
    NON_IN_CLASSIFICA,
    SIMBOLI,
    TESTO_BORDO,
    Classifica,
    colore_posizione,
)
from cittadelnoi.views.segnala import url_segnala

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


def etichette(layer: dict, classifica: Classifica | None) -> dict[str, str]:
    """codice_istat -> the label drawn on it: its number, or its rank with `classifica` (ranked ones only)."""
    if classifica is None:
        return {c: q["numero"] for c, q in layer["quartieri"].items()}
    return {c: str(n) for c, n in classifica.posizioni.items()}


def dati_strati(
    layer: dict,
    punti: pd.DataFrame,
    orari: dict[str, str],
    fasce: dict[str, list[list[int]]] | None,
    classifica: Classifica | None,
    codici_punti: frozenset[str],
    oggi: dt.date | None = None,
) -> dict:
    """Everything the map draws but the selection: quartieri, the points of `codici_punti`, labels
    (numbers, or ranks with `classifica` and its colours), texts, colours, borders, symbols.
    `oggi`: the day old confirmations are judged on (dati_punti)."""
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
        "etichette": etichette(layer, classifica),
        "colori_q": colori_q,
        "testi": testi_mappa(),
        "colori": COLORI,
        "bordi": BORDI,
        "simboli": SIMBOLI,
    }


def dati_selezione(
    layer: dict, selezione: Selezione, punto_aperto: str | None = None, classifica: Classifica | None = None
) -> dict:
    """What a selection changes on the map: quartieri in view (`dentro`) and the chosen one, the
    numbered key, the bounds to fit, the point whose popup opens."""
    tutti = frozenset(layer["quartieri"])
    codici = selezione.codici or tutti
    testi = etichette(layer, classifica)
    chiave = sorted(
        ([testi[c], layer["quartieri"][c]["nome"]] for c in testi if c in codici),
        key=lambda e: int(e[0]) if e[0].isdigit() else 0,
    )
    return {
        "dentro": sorted(selezione.codici & tutti),
        "scelto": selezione.quartiere,
        "chiave": chiave,
        "limiti": limiti(layer, codici),
        "punto_aperto": punto_aperto,
    }


def limiti(layer: dict, codici: frozenset[str] | set[str]) -> list[list[float]]:
    """[[south, west], [north, east]] (degrees, 5 decimals) around the quartieri `codici`."""
    riquadri = [layer["riquadri"][c] for c in codici if c in layer["riquadri"]]
    return [
        [round(min(r[0] for r in riquadri), 5), round(min(r[1] for r in riquadri), 5)],
        [round(max(r[2] for r in riquadri), 5), round(max(r[3] for r in riquadri), 5)],
    ]
