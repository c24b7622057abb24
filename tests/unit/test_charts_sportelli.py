"""The desk-hours figures: what they draw, how they label it, and that meaning never rests on colour."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from cittadelnoi import charts_sportelli as ch
from cittadelnoi import sportelli as sp
from cittadelnoi.punti import carica_punti
from cittadelnoi.quartieri import carica_quartieri

DATA = Path(__file__).resolve().parents[2] / "data"
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture(scope="module")
def dati():
    q, _ = carica_quartieri(DATA / "quartieri.geojson")
    p, _ = carica_punti(DATA / "punti.csv", q)
    s, _ = sp.carica_sportelli(DATA / "sportelli.csv", set(p["id"]))
    return q, p, s


def _comune(fig: go.Figure) -> None:
    assert fig.layout.separators == ",."
    assert fig.layout.font.size >= 14
    assert fig.layout.title.text


def test_barre_per_punto(dati):
    q, p, s = dati
    fig = ch.grafico_ore_punti(sp.ore_settimanali(s, p))
    _comune(fig)
    barre = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(barre) == {"almeno 6 ore", "sotto il minimo di 6 ore"}
    sotto = barre["sotto il minimo di 6 ore"]
    assert sotto.marker.pattern.shape == "/"  # hatched, not only a different colour
    assert barre["almeno 6 ore"].marker.pattern.shape in (None, "")
    assert {sotto.marker.color, barre["almeno 6 ore"].marker.color} <= OKABE_ITO
    testi = dict(zip(sotto.y, sotto.text))
    assert testi["Lamarmora"] == "4 h · sotto il minimo"
    assert all(t.endswith("sotto il minimo") for t in sotto.text)
    assert dict(zip(barre["almeno 6 ore"].y, barre["almeno 6 ore"].text))["Borgo Trento (dimostrativo)"] == "7,5 h"
    # Points without a documented schedule: a text, never a bar
    senza = [t for t in fig.data if t.type == "scatter"]
    assert len(senza) == 1 and set(senza[0].y) == {"Don Bosco", "Mompiano", "Primo Maggio"}
    assert set(senza[0].text) == {"orari non documentati"}
    tutte_le_barre = {y for t in barre.values() for y in t.y}
    assert tutte_le_barre.isdisjoint(senza[0].y)
    assert len(tutte_le_barre) == 17
    # The minimum line and its label
    linee = [sh for sh in fig.layout.shapes if sh.type == "line"]
    assert len(linee) == 1 and linee[0].x0 == linee[0].x1 == 6
    assert any(a.text == "minimo 6 ore/settimana" for a in fig.layout.annotations)
    # Longest first, undocumented last
    ordine = list(fig.layout.yaxis.categoryarray)
    assert ordine[0] == "Chiusure (dimostrativo)" and ordine[-3:] == ["Don Bosco", "Mompiano", "Primo Maggio"]


def test_barre_senza_punti_sotto_minimo():
    ore = pd.DataFrame({"id": ["a"], "nome": ["Punto di comunità A"], "codice_istat": ["1"], "stato": ["attivo"], "fasce": [2],
                        "ore": [7.25], "orario": ["documentato"], "sotto_minimo": pd.array([False], dtype="boolean"),
                        "ore_volontario": pd.array([None], dtype="Float64")})
    fig = ch.grafico_ore_punti(ore)
    assert [t.name for t in fig.data] == ["almeno 6 ore"]
    assert list(fig.data[0].text) == ["7,25 h"]
    assert list(fig.data[0].y) == ["A"]


def test_matrice(dati):
    q, p, s = dati
    lam = s[s["id_punto"] == "lamarmora"]
    fig = ch.grafico_matrice(sp.matrice_oraria(lam))
    _comune(fig)
    hm = fig.data[0]
    assert hm.type == "heatmap"
    assert list(hm.y) == ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]
    assert len(hm.x) == 24 and hm.x[15] == "15"
    z = [list(r) for r in hm.z]
    assert (z[2][15], z[2][16], z[2][17]) == (0.5, 1.0, 0.5)
    assert (hm.text[2][15], hm.text[2][16], hm.text[4][9]) == ("0,5", "1", "0,5")  # every value is printed
    assert hm.text[0][10] == ""  # closed hours stay blank, not "0"
    assert hm.zmin == 0


def test_zone(dati):
    q, p, s = dati
    fig = ch.grafico_zone(sp.totali_per_zona(s, p, q))
    _comune(fig)
    assert fig.layout.barmode == "stack"
    tracce = {t.name: t for t in fig.data}
    assert set(tracce) == {"orari documentati", "orari dimostrativi"}
    assert tracce["orari dimostrativi"].marker.pattern.shape == "x"
    assert {t.marker.color for t in fig.data} <= OKABE_ITO
    assert list(tracce["orari documentati"].x) == ["Centro", "Nord", "Sud", "Est", "Ovest"]
    assert list(tracce["orari documentati"].y) == [0, 0, 4, 0, 0]
    testi = {a.x: a.text for a in fig.layout.annotations}
    assert testi["Sud"] == "<b>23 h</b><br>+ 1 punto<br>senza orario documentato"
    assert testi["Nord"].startswith("<b>23,5 h</b>")
    assert testi["Centro"] == "<b>25 h</b>"


def test_zone_solo_orari_ignoti():
    totali = pd.DataFrame({"zona": ["Nord", "Est"], "ore": [0.0, 0.0], "ore_documentate": [0.0, 0.0], "ore_dimostrative": [0.0, 0.0],
                           "punti_con_orario": [0, 0], "punti_non_documentati": [2, 0], "punti_sotto_minimo": [0, 0]})
    fig = ch.grafico_zone(totali)
    testi = {a.x: a.text for a in fig.layout.annotations}
    assert testi["Nord"] == "<b>orari non documentati</b><br>(2 punti)"  # unknown, never "0 h"
    assert testi["Est"] == "nessun punto attivo"
    assert len(fig.data) == 0


def test_figure_vuote():
    vuoto = pd.DataFrame(columns=["id", "nome", "codice_istat", "stato", "fasce", "ore", "orario", "sotto_minimo", "ore_volontario"])
    for fig in (ch.grafico_ore_punti(vuoto), ch.grafico_zone(pd.DataFrame(columns=["zona", "ore"]))):
        assert any("Nessun punto" in a.text for a in fig.layout.annotations)
