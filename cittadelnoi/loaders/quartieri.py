"""Load and check data/quartieri.geojson: the 33 quartieri with code, name, zone, area and shape."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
import shapely

from cittadelnoi.core.errors import DatiNonValidi, Problema
from cittadelnoi.loaders.csvio import File, leggi_testo
from cittadelnoi.loaders.validation import traduci

ZONE = ("Centro", "Nord", "Sud", "Est", "Ovest")
COLONNE = ("codice_istat", "numero", "nome", "zona", "area_km2", "fonte")
# Comune di Brescia with a margin of ~2 km: a shape outside is in the wrong CRS or the wrong city.
BBOX_BRESCIA = (10.12, 45.46, 10.33, 45.61)

SCHEMA = pa.DataFrameSchema(
    {
        "codice_istat": pa.Column(
            str,
            pa.Check.str_matches(r"^17029\d{3}$", error="codice ISTAT non valido: atteso 17029001-17029033"),
            unique=True,
            report_duplicates="all",
        ),
        "numero": pa.Column(
            int, pa.Check.in_range(1, 99, error="numero del quartiere fuori intervallo"), coerce=True, unique=True
        ),
        "nome": pa.Column(str, pa.Check.str_length(min_value=2, error="nome del quartiere vuoto"), unique=True),
        "zona": pa.Column(str, pa.Check.isin(ZONE, error=f"zona non valida: ammesse {', '.join(ZONE)}")),
        "area_km2": pa.Column(float, pa.Check.in_range(0.01, 50, error="area in km² fuori intervallo"), coerce=True),
        "fonte": pa.Column(str, pa.Check.str_length(min_value=3, error="fonte mancante")),
    },
    strict=False,
)


def carica_quartieri(file: File) -> tuple[gpd.GeoDataFrame, list[Problema]]:
    """Read and check the quartieri of `file` (name, bytes); return (GeoDataFrame, warnings) or raise
    DatiNonValidi.

    Shape: one row per quartiere, sorted by `numero`, CRS EPSG:4326 (lon/lat degrees); columns
    codice_istat (str, "17029001"…"17029033", unique), numero (int), nome (str, unique), zona (one of
    ZONE), area_km2 (float, km², computed on the original boundaries in UTM 32N by the build script),
    fonte (str), geometry (Polygon or MultiPolygon, valid, inside BBOX_BRESCIA).

    Errors: every problem at once, in Italian, naming the file, the feature ("elemento N", counted
    from 1) and the property; an empty, truncated or non-GeoJSON file is one problem. Warnings:
    csvio's notes on the text encoding.
    """
    nome = file[0]
    text, avvisi = leggi_testo(file)
    if not text.strip():
        raise DatiNonValidi([Problema(nome, "il file è vuoto")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatiNonValidi(
            [Problema(nome, f"GeoJSON non leggibile: {exc.msg} (carattere {exc.pos})", riga=exc.lineno)]
        ) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise DatiNonValidi([Problema(nome, "il file non contiene una FeatureCollection con elementi")])

    errori: list[Problema] = []
    props = []
    geoms = []
    for n, feature in enumerate(features, start=1):
        props.append({col: (feature.get("properties") or {}).get(col) for col in COLONNE})
        try:
            geom = shapely.geometry.shape(feature["geometry"]) if feature.get("geometry") else None
        except Exception as exc:  # shapely raises several types for malformed coordinates
            errori.append(Problema(nome, f"geometria illeggibile: {exc}", riga=n, colonna="geometry", unita="elemento"))
            geom = None
        geoms.append(geom)
        errori.extend(_controlla_geometria(nome, n, geom))

    frame = pd.DataFrame(props, index=pd.RangeIndex(1, len(features) + 1), dtype=object)
    frame["numero"] = frame["numero"].map(lambda v: _numero_o_testo(v, intero=True))
    frame["area_km2"] = frame["area_km2"].map(lambda v: _numero_o_testo(v, intero=False))
    for col in COLONNE:
        if frame[col].isna().all():
            errori.append(Problema(nome, "proprietà obbligatoria mancante in tutti gli elementi", colonna=col))
    if not errori:
        try:
            frame = SCHEMA.validate(frame.astype({"codice_istat": str}), lazy=True)
        except pa.errors.SchemaErrors as exc:
            errori.extend(
                Problema(p.file, p.messaggio, riga=p.riga, colonna=p.colonna, unita="elemento")
                for p in traduci(exc.failure_cases, nome)
            )
    if errori:
        raise DatiNonValidi(errori)

    gdf = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geoms, crs="EPSG:4326")
    return gdf.sort_values("numero").reset_index(drop=True), avvisi


def _numero_o_testo(valore: object, intero: bool) -> object:
    """A JSON value the schema may convert without changing it: a number (for `intero`, a whole
    one: 5 or 5.0, as int); anything else (5.5 where a whole number is expected, true, [5]) as its
    JSON text, which the schema's conversion refuses quoting it as written («5.5» non è un numero
    intero) instead of truncating it to 5 or reading true as 1."""
    if valore is None or isinstance(valore, str):
        return valore
    if isinstance(valore, int) and not isinstance(valore, bool):
        return valore
    if isinstance(valore, float) and (valore.is_integer() or not intero):
        return int(valore) if intero else valore
    return json.dumps(valore, ensure_ascii=False)


def _controlla_geometria(nome: str, n: int, geom: shapely.Geometry | None) -> list[Problema]:
    def problema(msg: str) -> list[Problema]:
        return [Problema(nome, msg, riga=n, colonna="geometry", unita="elemento")]

    if geom is None or geom.is_empty:
        return problema("geometria mancante o vuota")
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return problema(f"geometria di tipo {geom.geom_type}: attesa un'area (Polygon o MultiPolygon)")
    if not geom.is_valid:
        return problema(
            f"geometria non valida ({shapely.is_valid_reason(geom)}): correggerla in QGIS con «Correggi geometrie»"
        )
    minx, miny, maxx, maxy = geom.bounds
    bx0, by0, bx1, by1 = BBOX_BRESCIA
    if minx < bx0 or miny < by0 or maxx > bx1 or maxy > by1:
        return problema(
            "geometria fuori dal Comune di Brescia: le coordinate devono essere longitudine/latitudine WGS84"
        )
    return []
