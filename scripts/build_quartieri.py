"""Build data/quartieri.geojson from the Comune's 2022 boundaries and the quartiere registry.

    python scripts/build_quartieri.py [--shared ../shared/data] [--out data/quartieri.geojson]

The source polygons are too detailed for a web map (about 160 KB). We simplify them as a
*coverage* (shared edges are simplified once, so neighbours keep touching and no new gaps or
overlaps appear), round coordinates to 5 decimals (about 1 m) and compute the area in km2 on
the original geometry in a metric CRS (UTM 32N), so simplification never changes the figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
# About 12-17 m at Brescia's latitude: below one pixel at city zoom, halves the vertices.
TOLERANCE_DEG = 0.00015
DECIMALS = 5
METRIC_CRS = "EPSG:32632"
FONTE = "Comune di Brescia, confini dei quartieri (2022)"


def build(shared: Path) -> gpd.GeoDataFrame:
    raw = gpd.read_file(shared / "brescia-quartieri-2022.geojson")
    registry = pd.read_csv(shared / "quartieri.csv", dtype={"codice_istat": str})
    merged = raw.merge(registry, left_on="QUARTIERE", right_on="nome_nel_geojson", how="outer", indicator=True)
    unmatched = merged[merged["_merge"] != "both"]
    if not unmatched.empty:
        raise SystemExit(
            f"Quartieri non abbinati tra GeoJSON e registro: {unmatched[['QUARTIERE', 'nome']].to_dict('records')}"
        )
    if (merged["zona_x"] != merged["zona_y"]).any():
        raise SystemExit("La zona del GeoJSON e quella del registro non coincidono")

    merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=raw.crs)
    area_km2 = merged.to_crs(METRIC_CRS).area / 1e6
    simplified = merged.geometry.simplify_coverage(tolerance=TOLERANCE_DEG)
    rounded = shapely.set_precision(simplified.values, grid_size=10**-DECIMALS)
    out = gpd.GeoDataFrame(
        {
            "codice_istat": merged["codice_istat"],
            "numero": merged["numero"].astype(int),
            "nome": merged["nome"],
            "zona": merged["zona_x"],
            "area_km2": area_km2.round(2),
            "fonte": FONTE,
        },
        geometry=rounded,
        crs="EPSG:4326",
    ).sort_values("numero")
    if not out.is_valid.all():
        raise SystemExit("La semplificazione ha prodotto geometrie non valide")
    return out.reset_index(drop=True)


def to_geojson_text(gdf: gpd.GeoDataFrame) -> str:
    data = json.loads(gdf.to_json(drop_id=True))
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = _round(feature["geometry"]["coordinates"])
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _round(coords):
    # to_json prints binary floats like 10.163690000000001; rounding here keeps the file small.
    if isinstance(coords, (int, float)):
        return round(coords, DECIMALS)
    return [_round(c) for c in coords]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "quartieri.geojson")
    args = parser.parse_args(argv)

    source = args.shared / "brescia-quartieri-2022.geojson"
    gdf = build(args.shared)
    text = to_geojson_text(gdf)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)

    before = source.stat().st_size
    after = args.out.stat().st_size
    raw_vertices = int(shapely.get_num_coordinates(gpd.read_file(source).geometry.values).sum())
    new_vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    print(f"{len(gdf)} quartieri, area totale {gdf['area_km2'].sum():.2f} km2")
    print(
        f"dimensione: {before:,} B -> {after:,} B ({after / before:.0%}); vertici: {raw_vertices:,} -> {new_vertices:,}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
