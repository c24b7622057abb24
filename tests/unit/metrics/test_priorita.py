"""Dove aprire: the ranking's distances against a plain every-pair computation."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest

from cittadelnoi.metrics.priorita import METRIC_CRS, classifica, uso_residenti
from cittadelnoi.metrics.stato import stato_quartieri
from cittadelnoi.stores.file import carica
from tests.conftest import DATA


@pytest.fixture(scope="module")
def snap():
    return carica(DATA)


def test_distances_and_nearest_point_match_every_pair(snap):
    # Without residents the order is by distance (the residents' order is tested below).
    tabella = classifica(stato_quartieri(snap.quartieri, snap.punti), snap.punti)
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


def test_residents_order_only_when_every_ranked_quartiere_has_a_figure_of_one_year(snap):
    tabella = classifica(snap.stati, snap.punti)
    assert tabella["residenti_usati"].all()
    peso = tabella["residenti"].astype(float) * tabella["distanza_km"]
    assert list(peso) == sorted(peso, reverse=True)
    # One figure of another year: the distance order stays, and the reason is known.
    pop = snap.popolazione.copy()
    primo = tabella.iloc[0]["codice_istat"]
    pop.loc[pop["codice_istat"] == primo, "anno"] = 2013
    misto = dataclasses.replace(snap, popolazione=pop)
    t2 = classifica(misto.stati, misto.punti)
    assert not t2["residenti_usati"].any()
    assert list(t2["distanza_km"]) == sorted(t2["distanza_km"], reverse=True)
    assert uso_residenti(t2).anni == (2013, 2024)
    # A missing figure: named.
    manca = dataclasses.replace(snap, popolazione=snap.popolazione[snap.popolazione["codice_istat"] != primo])
    u = uso_residenti(classifica(manca.stati, manca.punti))
    assert not u.usati and u.senza_cifra == (tabella.iloc[0]["nome"],)


def test_no_active_point_no_distance_no_nan_in_the_table(snap):
    from cittadelnoi.views.esporta import tabella_dove_aprire

    tutti_in_apertura = snap.punti.assign(stato="in_apertura")
    t = classifica(stato_quartieri(snap.quartieri, tutti_in_apertura, True, pd.DataFrame()), tutti_in_apertura)
    assert t["distanza_km"].isna().all() and t["punto_piu_vicino"].isna().all()
    testo = tabella_dove_aprire(t).to_csv(index=False)
    for vietato in ("NaN", "nan", "None", "<NA>"):
        assert vietato not in testo
    assert "nessun punto attivo" in testo
