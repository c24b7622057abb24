"""The shipped data: 33 quartieri from the official layer, the documented points, sources everywhere."""

import csv
import json

import geopandas as gpd
import pytest
import shapely

from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from tests.conftest import DATA, ROOT

SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def quartieri():
    gdf, avvisi = carica_quartieri(DATA / "quartieri.geojson")
    assert avvisi == []
    return gdf


def test_33_quartieri_with_registry_codes_and_zones(quartieri):
    assert len(quartieri) == 33
    assert list(quartieri["codice_istat"]) == [f"170290{n:02d}" for n in range(1, 34)]
    assert quartieri.set_index("nome").at["Lamarmora", "zona"] == "Sud"
    assert quartieri.set_index("nome").at["Porta Cremona - Volta", "codice_istat"] == "17029012"
    assert set(quartieri["zona"]) == {"Centro", "Nord", "Sud", "Est", "Ovest"}


def test_area_matches_the_source_total(quartieri):
    # SOURCES.md: total area 90.5 km2; areas are computed on the unsimplified geometry.
    assert quartieri["area_km2"].sum() == pytest.approx(90.5, abs=0.1)


def test_geometry_is_simplified_and_rounded_but_valid(quartieri):
    raw = DATA / "quartieri.geojson"
    assert raw.stat().st_size < 60_000
    assert quartieri.is_valid.all()
    coords = shapely.get_coordinates(quartieri.geometry.values)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all(), "coordinates rounded to 5 decimals"


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared/data next to the checkout")
def test_simplified_shapes_stay_close_to_the_official_ones(quartieri):
    official = gpd.read_file(SHARED / "brescia-quartieri-2022.geojson").to_crs(32632)
    ours = quartieri.to_crs(32632)
    assert abs(ours.area.sum() - official.area.sum()) / official.area.sum() < 0.001
    assert official.geometry.union_all().symmetric_difference(ours.geometry.union_all()).area < 0.2e6


def test_every_point_has_a_source_and_real_ones_match_the_documented_points(quartieri):
    punti, _ = carica_punti(DATA / "punti.csv", quartieri)
    assert punti["fonte"].str.len().min() > 3
    reali = punti[~punti["dimostrativo"]]
    nomi_q = quartieri.set_index("codice_istat")["nome"]
    assert sorted(nomi_q[reali["codice_istat"]]) == ["Don Bosco", "Lamarmora", "Mompiano", "Primo Maggio"]
    # December 2025: the network reached 20 active points (elivebrescia.tv).
    assert (punti["stato"] == "attivo").sum() == 20
    assert punti.loc[punti["dimostrativo"], "fonte"].str.startswith("dimostrativo").all()


def test_quartieri_file_cites_its_source():
    data = json.loads((DATA / "quartieri.geojson").read_text(encoding="utf-8"))
    assert all(f["properties"]["fonte"].startswith("Comune di Brescia") for f in data["features"])


def test_every_csv_in_data_has_a_fonte_column():
    for path in DATA.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert "fonte" in header, path.name
