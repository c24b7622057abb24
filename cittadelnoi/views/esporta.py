"""Files to download: what is on screen after the filters, in formats people open elsewhere.

CSV is UTF-8 with a byte-order mark so that Excel shows accents right; XLSX for spreadsheets;
GeoJSON for GIS tools (QGIS), with plain unescaped text; and a one-page printable summary per
quartiere as a self-contained HTML file (no external resources: it prints offline too).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import geopandas as gpd
import pandas as pd

from cittadelnoi.core import fmt, paths, pubblicazione, tempo
from cittadelnoi.core.celle import neutralizza, testi_xlsx
from cittadelnoi.core.i18n import N_, _
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.metrics.registro import aggiornati_referente, colonna_da_riconfermare

# Every export of the sample data carries this, so a downloaded file cannot pass for real data.
FILIGRANA = N_("DATI DI ESEMPIO — fittizi, non reali")


def filigrana() -> str | None:
    """The sample-data watermark in the current language, None when the data are real."""
    return _(FILIGRANA) if paths.dati_di_esempio() else None


def con_filigrana(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with a last column «avviso» on every row when the app serves sample data."""
    if (testo := filigrana()) is None:
        return frame
    return frame.assign(**{_("avviso"): testo})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV; a text a spreadsheet would run as a formula gets a leading apostrophe.
    Sample data: a last column «avviso» with the watermark on every row."""
    frame = con_filigrana(frame)
    sicuro = frame.map(lambda v: neutralizza(v) if isinstance(v, str) else v)
    sicuro.columns = [neutralizza(str(c)) for c in frame.columns]
    return sicuro.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(fogli: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for nome, frame in fogli.items():
            frame = con_filigrana(frame)
            # Excel limits sheet names to 31 characters and forbids a few symbols.
            safe = "".join(c for c in nome if c not in "[]:*?/\\")[:31]
            frame.to_excel(writer, sheet_name=safe, index=False)
            testi_xlsx(writer.sheets[safe])  # texts as text cells, never formulas
    return buffer.getvalue()


def geojson_bytes(stati: gpd.GeoDataFrame, punti: pd.DataFrame, codici: set[str], oggi: dt.date | None = None) -> bytes:
    """Quartieri (polygons) and points (Point) of the current view, with status and sources. Each
    point also carries `da_riconfermare` (bool: last confirmation older than 12 months on `oggi`,
    today by default, or none) and `aggiornato_referente` (ISO day of its referente's latest
    change, or null)."""
    sel = stati[stati["codice_istat"].isin(codici)]
    poligoni = gpd.GeoDataFrame(
        {
            "tipo": "quartiere",
            "codice_istat": sel["codice_istat"],
            "nome": sel["nome"],
            "zona": sel["zona"],
            "stato": sel["stato"],
            "area_km2": sel["area_km2"],
            "punti": sel["punti"],
            "fonte": sel["fonte"],
            # Unknown residents are null in GeoJSON (JSON's unknown), never 0.
            "residenti": [None if pd.isna(r) else int(r) for r in _col(sel, "residenti")],
            "anno_residenti": [None if pd.isna(a) else int(a) for a in _col(sel, "anno_residenti")],
            "fonte_residenti": [f if isinstance(f, str) else None for f in _col(sel, "fonte_residenti")],
        },
        geometry=sel.geometry.values,
        crs=stati.crs,
    )
    p = punti[punti["codice_istat"].isin(codici)]
    sedi = gpd.GeoDataFrame(
        {
            "tipo": "punto",
            "id": p["id"],
            "nome": p["nome"],
            "codice_istat": p["codice_istat"],
            "stato": p["stato"],
            "indirizzo": p["indirizzo"],
            "posizione": p["posizione"],
            "ente_gestore": p["ente_gestore"],
            "conferma": [c if isinstance(c, str) else None for c in _col(p, "conferma")],
            "da_riconfermare": [bool(v) for v in colonna_da_riconfermare(p, oggi or tempo.oggi())],
            "quartiere_da_verificare": [bool(v) for v in _col(p, "quartiere_da_verificare", False)],
            "dimostrativo": p["dimostrativo"],
            "fonte": p["fonte"],
            "aggiornato_referente": [None if g is None else g.isoformat() for g in aggiornati_referente(p)],
        },
        geometry=gpd.points_from_xy(p["lon"], p["lat"]),
        crs="EPSG:4326",
    )
    features = (
        json.loads(poligoni.to_json(drop_id=True))["features"] + json.loads(sedi.to_json(drop_id=True))["features"]
    )
    return json.dumps(raccolta_geojson(features), ensure_ascii=False).encode("utf-8")


def raccolta_geojson(features: list[dict]) -> dict:
    """A FeatureCollection with the licence; sample data: «avviso» on the collection and on every feature."""
    raccolta: dict = {"type": "FeatureCollection", **licenza_json(), "features": features}
    if (testo := filigrana()) is not None:
        raccolta["avviso"] = testo
        for f in features:
            f["properties"]["avviso"] = testo
    return raccolta


def _col(frame: pd.DataFrame, nome: str, vuoto: object = None) -> list:
    return list(frame[nome]) if nome in frame else [vuoto] * len(frame)


def scheda_quartiere(
    stati: gpd.GeoDataFrame,
    punti: pd.DataFrame,
    orari: dict[str, str],
    contesto: list[tuple[str, str, str]],
    codice: str,
    generato: dt.datetime,
    oggi: dt.date | None = None,
) -> str:
    """A printable A4 page for one quartiere: the citizen page /quartieri/<codice>
    (views.pagine_cittadine.pagina_quartiere) as a file, with its print style, no script, the
    desk hours of `orari` (point id -> text, metrics.panoramica.orari_testo) and the city context.

    `contesto` holds (label, value, source) rows of city-wide figures, already formatted. Each
    point's last confirmation says «da riconfermare» when older than 12 months on `oggi` (today by
    default), and its source «aggiornato dal referente il …» after a referente's change.
    """
    from cittadelnoi.views import pagine_cittadine

    return pagine_cittadine.scheda(stati, punti, orari, contesto, codice, generato, oggi or tempo.oggi())


def tabella_dove_aprire(righe: pd.DataFrame) -> pd.DataFrame:
    """The Dove aprire ranking as shown and downloaded: every unknown value in words, never
    NaN, None or 0 (no active point: no distance and no nearest point)."""
    nessuno = _("nessun punto attivo")

    def distanza(d: Any) -> str:
        return nessuno if d is None or pd.isna(d) else fmt.numero(float(d), 2) + " km"

    def residenti(r: Any, anno: Any) -> str:
        return _("non noto") if r is None or pd.isna(r) else f"{fmt.numero(int(r))} ({int(anno)})"

    return pd.DataFrame(
        {
            _("Priorità"): righe["posizione"].astype(int),
            _("Quartiere"): righe["nome"],
            _("Zona"): righe["zona"],
            _("Distanza dal punto attivo più vicino"): [distanza(d) for d in righe["distanza_km"]],
            _("Area"): [fmt.numero(a, 2) + " km²" for a in righe["area_km2"]],
            _("Residenti"): [residenti(r, a) for r, a in zip(righe["residenti"], righe["anno_residenti"], strict=True)],
            _("Fonte dei residenti"): [f if isinstance(f, str) and f else "—" for f in righe["fonte_residenti"]],
            # Demo points already say "(dimostrativo)" in their name.
            _("Punto attivo più vicino"): [
                v if isinstance(v, str) and v else nessuno for v in righe["punto_piu_vicino"]
            ],
        }
    )


# --- the licence, in every export (see core/pubblicazione) ------------------------------------


def licenza_testo() -> str:
    """'Dati: Comune di Brescia · licenza CC BY 4.0' (the licence's URL is in the catalogue)."""
    lic = impostazioni().licenza
    return _("Dati: {titolare} · licenza {licenza}").format(titolare=pubblicazione.TITOLARE, licenza=lic.nome)


def licenza_json() -> dict[str, str]:
    """Top-level members of an exported GeoJSON (foreign members, RFC 7946 §6.1)."""
    lic = impostazioni().licenza
    return {"licenza": lic.nome, "licenza_url": lic.url, "titolare": pubblicazione.TITOLARE}


def foglio_licenza() -> pd.DataFrame:
    """A sheet for XLSX downloads: who publishes the data, under which licence, exported when."""
    lic = impostazioni().licenza
    return pd.DataFrame(
        {
            _("Voce"): [_("Titolare"), _("Licenza"), _("Testo della licenza")],
            _("Valore"): [pubblicazione.TITOLARE, lic.nome, lic.url],
        }
    )
