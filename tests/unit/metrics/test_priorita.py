"""Dove aprire: the ranking's distances against a plain every-pair computation."""

from __future__ import annotations

import geopandas as gpd
import pytest

from cittadelnoi.metrics.priorita import METRIC_CRS, classifica
from cittadelnoi.stores.file import carica
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


def test_distances_and_nearest_point_match_every_pair(snap):
    tabella = classifica(snap.stati, snap.punti)
    mancanti = snap.stati[snap.stati["stato"] == "mancante"]
    assert sorted(tabella["codice_istat"]) == sorted(mancanti["codice_istat"])
    attivi = snap.punti[snap.punti["stato"] == "attivo"].reset_index(drop=True)
    sedi = gpd.GeoSeries(gpd.points_from_xy(attivi["lon"], attivi["lat"]), crs=4326).to_crs(METRIC_CRS)
    for riga in tabella.itertuples():
        forma = mancanti.set_index("codice_istat").geometry[riga.codice_istat]
        centro = gpd.GeoSeries([forma.representative_point()], crs=snap.stati.crs).to_crs(METRIC_CRS).iloc[0]
        distanze = sedi.distance(centro)
        assert riga.distanza_km == round(distanze.min() / 1000, 2)
        assert riga.punto_piu_vicino == attivi.loc[distanze.idxmin(), "nome"]
        assert riga.vicino_dimostrativo == bool(attivi.loc[distanze.idxmin(), "dimostrativo"])
    # Farthest first.
    assert list(tabella["distanza_km"]) == sorted(tabella["distanza_km"], reverse=True)
    assert list(tabella["posizione"]) == list(range(1, len(tabella) + 1))
