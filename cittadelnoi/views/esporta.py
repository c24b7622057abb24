"""Files to download: what is on screen after the filters, in formats people open elsewhere.

CSV is UTF-8 with a byte-order mark so that Excel shows accents right; XLSX for spreadsheets;
GeoJSON for GIS tools (QGIS), with plain unescaped text; and a one-page printable summary per
quartiere as a self-contained HTML file (no external resources: it prints offline too).
"""

from __future__ import annotations

import io
import json
from datetime import datetime

import geopandas as gpd
import pandas as pd

from cittadelnoi.core import fmt, i18n, pubblicazione, tempo
from cittadelnoi.core.celle import neutralizza, testi_xlsx
from cittadelnoi.core.i18n import _
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.metrics.stato import etichetta


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV; a text a spreadsheet would run as a formula gets a leading apostrophe."""
    sicuro = frame.map(lambda v: neutralizza(v) if isinstance(v, str) else v)
    sicuro.columns = [neutralizza(str(c)) for c in frame.columns]
    return sicuro.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(fogli: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for nome, frame in fogli.items():
            # Excel limits sheet names to 31 characters and forbids a few symbols.
            safe = "".join(c for c in nome if c not in "[]:*?/\\")[:31]
            frame.to_excel(writer, sheet_name=safe, index=False)
            testi_xlsx(writer.sheets[safe])  # texts as text cells, never formulas
    return buffer.getvalue()


def geojson_bytes(stati: gpd.GeoDataFrame, punti: pd.DataFrame, codici: set[str]) -> bytes:
    """Quartieri (polygons) and points (Point) of the current view, with status and sources."""
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
            "dimostrativo": p["dimostrativo"],
            "fonte": p["fonte"],
        },
        geometry=gpd.points_from_xy(p["lon"], p["lat"]),
        crs="EPSG:4326",
    )
    features = (
        json.loads(poligoni.to_json(drop_id=True))["features"] + json.loads(sedi.to_json(drop_id=True))["features"]
    )
    collezione = {"type": "FeatureCollection", **licenza_json(), "features": features}
    return json.dumps(collezione, ensure_ascii=False).encode("utf-8")


def scheda_quartiere(
    stati: gpd.GeoDataFrame,
    punti: pd.DataFrame,
    orari: dict[str, str],
    contesto: list[tuple[str, str, str]],
    codice: str,
    generato: datetime,
) -> str:
    """A printable A4 page for one quartiere: status, its points and desk hours, city context.

    `contesto` holds (label, value, source) rows of city-wide figures, already formatted.
    """
    q = stati.set_index("codice_istat").loc[codice]
    suoi = punti[punti["codice_istat"] == codice]
    e = testo_html
    # Labels first: gettext extraction does not look inside f-strings.
    demo, ignoto, senza_orari = e(_("dati dimostrativi")), e(_("non noto")), e(_("orari non documentati"))
    intestazioni = [_("Punto"), _("Stato"), _("Indirizzo"), _("Ente gestore"), _("Sportello"), _("Fonte")]

    righe_punti = "".join(
        "<tr>"
        f"<td>{e(r['nome'])}{' <em>(' + demo + ')</em>' if r['dimostrativo'] else ''}</td>"
        f"<td>{e(etichetta(r['stato']))}</td>"
        f"<td>{e(r['indirizzo']) if r['indirizzo'] else ignoto}</td>"
        f"<td>{e(r['ente_gestore']) if r['ente_gestore'] else ignoto}</td>"
        f"<td>{e(orari[r['id']]) if orari.get(r['id']) else senza_orari}</td>"
        f"<td class='fonte'>{e(r['fonte'])}</td>"
        "</tr>"
        for r in suoi.to_dict("records")
    )
    if suoi.empty:
        tabella_punti = "<p>" + e(_("Nessun punto di comunità in questo quartiere.")) + "</p>"
    else:
        tabella_punti = (
            "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in intestazioni) + f"</tr>{righe_punti}</table>"
        )
    righe_contesto = "".join(
        f"<tr><td>{e(label)}</td><td>{e(value)}</td><td class='fonte'>{e(fonte)}</td></tr>"
        for label, value, fonte in contesto
    )
    titolo = e(_("Scheda del quartiere {nome}").format(nome=q["nome"]))
    dati = (
        e(_("Zona"))
        + f": <strong>{e(q['zona'])}</strong> · "
        + e(_("Codice ISTAT"))
        + f": {e(codice)} · "
        + e(_("Area"))
        + f": {e(fmt.numero(q['area_km2'], 2))} km²"
    )
    stato = e(_("Stato")) + f": <strong>{e(etichetta(q['stato']))}</strong>"
    sezione_punti, sezione_contesto = e(_("Punti di comunità")), e(_("Il contesto cittadino"))
    piede = e(
        _(
            "Brescia Città del Noi — generato il {data}. Fonte dei confini: Comune di Brescia, confini dei quartieri (2022)."
        ).format(data=tempo.quando(generato).data)
    )
    piede += " " + e(licenza_testo())
    return f"""<!DOCTYPE html>
<html lang="{e(i18n.lingua())}"><head><meta charset="utf-8"><title>{titolo}</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font: 11pt/1.4 sans-serif; color: #111; max-width: 180mm; margin: auto; }}
h1 {{ font-size: 18pt; margin: 0 0 4pt; }} h2 {{ font-size: 13pt; margin: 14pt 0 4pt; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #999; padding: 3pt 5pt; text-align: left; vertical-align: top; }}
.fonte {{ font-size: 8.5pt; color: #333; }} .piede {{ margin-top: 16pt; font-size: 8.5pt; color: #333; }}
</style></head><body>
<h1>{titolo}</h1>
<p>{dati}</p>
<p>{stato}</p>
<h2>{sezione_punti}</h2>
{tabella_punti}
<h2>{sezione_contesto}</h2>
<table>{righe_contesto}</table>
<p class="piede">{piede}</p>
</body></html>
"""


# --- the licence, in every export (see core/pubblicazione) ------------------------------------


def licenza_testo() -> str:
    """'Dati: Comune di Brescia · licenza CC BY 4.0' (the licence's URL is in the catalogue)."""
    lic = pubblicazione.licenza()
    return _("Dati: {titolare} · licenza {licenza}").format(titolare=pubblicazione.TITOLARE, licenza=lic.nome)


def licenza_json() -> dict[str, str]:
    """Top-level members of an exported GeoJSON (foreign members, RFC 7946 §6.1)."""
    lic = pubblicazione.licenza()
    return {"licenza": lic.nome, "licenza_url": lic.url, "titolare": pubblicazione.TITOLARE}


def foglio_licenza() -> pd.DataFrame:
    """A sheet for XLSX downloads: who publishes the data, under which licence, exported when."""
    lic = pubblicazione.licenza()
    return pd.DataFrame(
        {
            _("Voce"): [_("Titolare"), _("Licenza"), _("Testo della licenza")],
            _("Valore"): [pubblicazione.TITOLARE, lic.nome, lic.url],
        }
    )
