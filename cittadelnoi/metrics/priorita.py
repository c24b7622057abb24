"""Where to open the next point: quartieri without an active point, ranked by what the data supports.

The only measures with a source for every quartiere are its area and its shape. Population per
quartiere has no source yet (see data/SOURCES.md), so it is not used and the page says so. The
ranking puts first the quartieri whose residents are farthest from an active point: the distance
from the quartiere's representative point (always inside it) to the nearest active point. Ties
and near-ties are ordered by area. Distances are computed in metres in UTM 32N.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

METRIC_CRS = "EPSG:32632"


def classifica(stati: gpd.GeoDataFrame, punti: pd.DataFrame) -> pd.DataFrame:
    """Quartieri without an active point, most in need first.

    Columns: posizione (1 = first), codice_istat, nome, zona, stato, area_km2,
    distanza_km (to the nearest active point; NaN when there is none at all), punto_piu_vicino,
    vicino_dimostrativo (the nearest point is a demo row).
    """
    # A quartiere with an opening point already has its answer: only missing ones are ranked.
    candidati = stati[stati["stato"] == "mancante"].copy()
    attivi = punti[punti["stato"] == "attivo"]
    centri = gpd.GeoSeries(candidati.geometry.representative_point().values, crs=stati.crs).to_crs(METRIC_CRS)
    if attivi.empty or candidati.empty:  # nothing to measure: no active point, or no quartiere left without one
        candidati["distanza_km"] = float("nan")
        candidati["punto_piu_vicino"] = None
        candidati["vicino_dimostrativo"] = False
    else:
        sedi = gpd.GeoSeries(gpd.points_from_xy(attivi["lon"], attivi["lat"]), crs="EPSG:4326").to_crs(METRIC_CRS)
        # Spatial index instead of every centre against every point: 500 x 5,000 pairs took ~0.5 s.
        (_, nearest), dist = sedi.sindex.nearest(centri, return_all=False, return_distance=True)
        candidati["distanza_km"] = (dist / 1000).round(2)
        candidati["punto_piu_vicino"] = attivi["nome"].values[nearest]
        # A distance measured to a demo point is itself demo data: the page must say so.
        candidati["vicino_dimostrativo"] = attivi["dimostrativo"].values[nearest]
    ordinati = candidati.sort_values(["distanza_km", "area_km2"], ascending=False, na_position="first")
    ordinati["posizione"] = range(1, len(ordinati) + 1)
    return pd.DataFrame(
        ordinati[
            [
                "posizione",
                "codice_istat",
                "nome",
                "zona",
                "stato",
                "area_km2",
                "distanza_km",
                "punto_piu_vicino",
                "vicino_dimostrativo",
            ]
        ]
    ).reset_index(drop=True)
