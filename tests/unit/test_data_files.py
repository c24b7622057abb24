"""The shipped data (data/, not the sample of esempio/): 33 quartieri from the official layer, only the
documented points, sources everywhere. The one test module that reads data/ itself: an official's
edit that breaks it is a real problem of the data, not of the code."""

import csv
import json

import geopandas as gpd
import pytest
import shapely

from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.popolazione import carica_popolazione
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.loaders.sportelli import carica_sportelli
from cittadelnoi.loaders.storico import carica_storico_punti
from tests.conftest import DATI_PUBBLICATI as DATA
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def quartieri():
    gdf, avvisi = carica_quartieri(leggi_file(DATA / "quartieri.geojson"))
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


def test_the_register_holds_only_the_documented_points(quartieri):
    punti, _ = carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    assert punti["fonte"].str.len().min() > 3
    assert not punti["dimostrativo"].any(), "no demo rows in the shipped data"
    nomi_q = quartieri.set_index("codice_istat")["nome"]
    attesi = [
        "Borgo Trento",
        "Caionvico",
        "Chiusure",
        "Don Bosco",
        "Lamarmora",
        "Mompiano",
        "Primo Maggio",
        "San Bartolomeo",
        "San Polo Cimabue",
        "Sanpolino",
        "Villaggio Sereno",
        "Villaggio Violino",
    ]
    assert sorted(nomi_q[punti["codice_istat"]]) == attesi
    # No invented place: every position is indicative (no documented coordinates yet).
    assert (punti["posizione"] == "centro_quartiere").all()
    centri = quartieri.set_index("codice_istat").geometry.representative_point()
    for r in punti.itertuples():
        assert (round(centri[r.codice_istat].y, 5), round(centri[r.codice_istat].x, 5)) == (r.lat, r.lon)
    chiusure = punti.set_index("id").loc["chiusure"]
    assert chiusure["quartiere_da_verificare"] and "DA VERIFICARE" in chiusure["nota"]
    assert punti.loc[punti["id"] != "chiusure", "quartiere_da_verificare"].eq(False).all()
    conferme = punti.set_index("id")["conferma"].to_dict()
    assert conferme["primo-maggio"] == "2025-10-23" and conferme["villaggio-sereno"] == "2023-05"
    assert conferme["mompiano"] is None  # the source's date is not visible: unknown, not guessed
    assert conferme["don-bosco"] == "2022-05-06" and conferme["caionvico"] == "2019-10-22"
    prime = punti.set_index("id")["prima_attestazione"].to_dict()
    assert prime["villaggio-sereno"] == "2017-10-21" and prime["sanpolino"] == "2017-10-21"
    # No visible date at all: the history cannot place them (data/SOURCES.md).
    senza = set(punti.loc[punti["data_storia"].isna(), "id"])
    assert senza == {"mompiano", "villaggio-violino"}


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared/data next to the checkout")
def test_register_matches_the_documented_points_file(quartieri):
    punti, _ = carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    nomi_q = quartieri.set_index("codice_istat")["nome"]
    per_q = punti.assign(q=nomi_q[punti["codice_istat"]].values).set_index("q")
    with (SHARED / "punti-noti.csv").open(encoding="utf-8") as fh:
        noti = list(csv.DictReader(fh))
    assert len(noti) == len(punti) == 12
    for r in noti:
        p = per_q.loc[r["quartiere"]]
        for col, col_p in (
            ("apertura", "apertura"),
            ("prima_attestazione", "prima_attestazione"),
            ("conferma", "conferma"),
            ("nota", "nota"),
            ("fonte", "fonte"),
            ("ente_capofila", "ente_gestore"),
            ("sportello", "sportello"),
            ("indirizzo", "indirizzo"),
        ):
            assert (p[col_p] or "") == r[col], (r["quartiere"], col)


def test_desk_slots_are_only_the_documented_ones(quartieri):
    punti, _ = carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    s, _ = carica_sportelli(leggi_file(DATA / "sportelli.csv"), set(punti["id"]))
    assert list(zip(s["id_punto"], s["giorno"], s["inizio"], s["fine"], strict=True)) == [
        ("lamarmora", "mer", "15:30", "17:30"),
        ("lamarmora", "ven", "09:30", "11:30"),
    ]
    assert not s["dimostrativo"].any() and s["volontari"].isna().all()


def test_history_and_residents_load_and_cite_sources(quartieri):
    punti, _ = carica_punti(leggi_file(DATA / "punti.csv"), quartieri)
    storia, _ = carica_storico_punti(
        leggi_file(DATA / "storico_punti.csv"), dict(zip(punti["id"], punti["stato"], strict=True))
    )
    assert not storia["dimostrativo"].any() and storia["fonte"].str.len().min() > 10
    # The history starts each point at its opening, else its first attestation (punti-noti.csv);
    # the two points with no visible date have no dated row.
    primo = storia.sort_values("data").groupby("id_punto")["data"].first().to_dict()
    attese = {r.id: r.data_storia for r in punti.itertuples() if r.data_storia is not None}
    assert primo == attese
    pop, _ = carica_popolazione(leggi_file(DATA / "popolazione.csv"), quartieri)
    assert len(pop) == 8 and set(pop["anno"]) == {2013, 2024}


def test_quartieri_file_cites_its_source():
    data = json.loads((DATA / "quartieri.geojson").read_text(encoding="utf-8"))
    assert all(f["properties"]["fonte"].startswith("Comune di Brescia") for f in data["features"])


def test_every_csv_in_data_has_a_fonte_column():
    for path in DATA.glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert "fonte" in header, path.name
