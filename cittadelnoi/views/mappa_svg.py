"""A small map without a map library: quartieri drawn as inline SVG from the same boundaries as the
dashboard's map, for the citizen pages (/quartieri, /quartieri/<codice>, /punti/<id>) and their print.

Status is shown as on the map (`mapview_stile`): the same fills, border dash patterns and marker
symbols, and the same words in the text alternative. Coordinates are WGS84 degrees projected
equirectangularly at the drawing's mean latitude (a few km: the distortion is below a pixel), y
pointing down; geometries are simplified to about a pixel so a quartiere and its neighbours weigh a
few KB. Labels are text on a white badge (21:1 contrast whatever the fill).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cittadelnoi.views.mapview_stile import BORDI, COLORI, SIMBOLI

LARGHEZZA = 360  # the viewBox's width; the SVG scales to its box (390 px phone, A4 column)


@dataclass(frozen=True)
class Area:
    """One quartiere as drawn: `d` the SVG path, `stato` a key of mapview_stile.COLORI."""

    codice: str
    nome: str
    stato: str
    d: str
    x: float  # where its label goes
    y: float
    scelto: bool


@dataclass(frozen=True)
class Segno:
    """A point's marker: `indicativa` when the point has no documented place (drawn at the centre
    of its quartiere, a dotted square as on the map)."""

    numero: int
    nome: str
    stato: str
    simbolo: str
    x: float
    y: float
    indicativa: bool


@dataclass(frozen=True)
class MappaSvg:
    larghezza: int
    altezza: int
    aree: list[Area]
    segni: list[Segno]
    colori: dict[str, str]
    bordi: dict[str, str]


def vicini(stati: gpd.GeoDataFrame, codice: str) -> list[str]:
    """ISTAT codes of `codice` and of the quartieri that share a border with it (touch or overlap
    within ~1 m: the boundary file's edges do not always meet exactly), in file order."""
    sel = stati.set_index("codice_istat").geometry
    forma = sel[codice].buffer(1e-5)
    return [str(c) for c, g in sel.items() if c == codice or g.intersects(forma)]


def _anelli(geom: BaseGeometry) -> list:
    if isinstance(geom, Polygon):
        return [geom.exterior, *geom.interiors]
    if isinstance(geom, MultiPolygon):
        return [r for p in geom.geoms for r in (p.exterior, *p.interiors)]
    return []


def disegna(
    stati: gpd.GeoDataFrame,
    codici: list[str],
    punti: pd.DataFrame,
    scelto: str | None = None,
    larghezza: int = LARGHEZZA,
) -> MappaSvg:
    """The quartieri `codici` of `stati` (stati: metrics.stato.stato_quartieri's frame) and the
    `punti` to mark (rows of the register: lat/lon or none), projected into a `larghezza`-wide box."""
    sel = stati[stati["codice_istat"].isin(codici)]
    minx, miny, maxx, maxy = sel.total_bounds
    kx = math.cos(math.radians((miny + maxy) / 2))
    margine = 8
    scala = (larghezza - 2 * margine) / max((maxx - minx) * kx, 1e-9)
    altezza = round((maxy - miny) * scala + 2 * margine)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round(margine + (lon - minx) * kx * scala, 1), round(margine + (maxy - lat) * scala, 1)

    tolleranza = 0.8 / scala  # about a pixel, in degrees
    aree = []
    centri: dict[str, tuple[float, float]] = {}
    for r in sel.itertuples():
        geom = r.geometry.simplify(tolleranza, preserve_topology=True)
        pezzi = []
        for anello in _anelli(geom):
            punti_xy = [xy(lon, lat) for lon, lat in anello.coords[:-1]]
            pezzi.append("M" + "L".join(f"{x:g} {y:g}" for x, y in punti_xy) + "Z")
        centro = r.geometry.representative_point()
        centri[str(r.codice_istat)] = xy(centro.x, centro.y)
        x, y = centri[str(r.codice_istat)]
        if r.codice_istat == scelto and len(punti):
            y -= 18  # its label above the marker(s) at its centre
        aree.append(
            Area(str(r.codice_istat), str(r.nome), str(r.stato), "".join(pezzi), x, y, r.codice_istat == scelto)
        )
    segni = []
    for i, p in enumerate(punti.itertuples(), start=1):
        lat, lon = getattr(p, "lat", None), getattr(p, "lon", None)
        if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
            if str(p.codice_istat) not in centri:
                continue
            x, y = centri[str(p.codice_istat)]
        else:
            x, y = xy(float(lon), float(lat))
        indicativa = getattr(p, "posizione", None) == "centro_quartiere"
        segni.append(Segno(i, str(p.nome), str(p.stato), SIMBOLI.get(str(p.stato), ""), x, y, indicativa))
    # Several points at the centre of one quartiere: side by side, not one hidden under the other.
    visti: dict[tuple[float, float], int] = {}
    for n, s in enumerate(segni):
        k = visti.get((s.x, s.y), 0)
        visti[(s.x, s.y)] = k + 1
        if k:
            segni[n] = replace(s, x=round(s.x + 24 * k, 1))
    return MappaSvg(
        larghezza=larghezza,
        altezza=altezza,
        aree=aree,
        segni=segni,
        colori=COLORI,
        bordi={s: (b or "none") for s, b in BORDI.items()},
    )
