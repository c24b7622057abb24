"""The desk-hours figures: what they draw, how they label it, and that meaning never rests on colour."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from cittadelnoi.loaders import sportelli as sp
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.punti import carica_punti
from cittadelnoi.loaders.quartieri import carica_quartieri
from cittadelnoi.metrics import ore as m_ore
from cittadelnoi.views import charts_sportelli as ch
from tests.conftest import DATA
from tests.registro_demo import come_demo

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


@pytest.fixture(scope="module")
def dati():
    q, _ = carica_quartieri(leggi_file(DATA / "quartieri.geojson"))
    p, _ = carica_punti(leggi_file(DATA / "punti.csv"), q)
    s, _ = sp.carica_sportelli(leggi_file(DATA / "sportelli.csv"), set(p["id"]))
    p, s = come_demo(p, s, q)
    return q, p, s


def _comune(fig: go.Figure) -> None:
    assert fig.layout.separators == ",."
    assert fig.layout.font.size >= 14
    assert fig.layout.title.text


def test_barre_per_punto(dati):
    q, p, s = dati
    fig = ch.grafico_ore_punti(m_ore.ore_settimanali(s, p, 6.0), 6.0)
    _comune(fig)
    barre = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(barre) == {"almeno 6 ore", "sotto il minimo di 6 ore"}
    sotto = barre["sotto il minimo di 6 ore"]
    assert sotto.marker.pattern.shape == "/"  # hatched, not only a different colour
    assert barre["almeno 6 ore"].marker.pattern.shape in (None, "")
    assert {sotto.marker.color, barre["almeno 6 ore"].marker.color} <= OKABE_ITO
    testi = dict(zip(sotto.y, sotto.text, strict=False))
    assert testi["Lamarmora"] == "4 h<br>sotto il minimo"
    assert all(t.endswith("sotto il minimo") for t in sotto.text)
    assert (
        dict(zip(barre["almeno 6 ore"].y, barre["almeno 6 ore"].text, strict=False))["Borgo Trento<br>(dimostrativo)"]
        == "7,5 h"
    )
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
    assert ordine[0] == "Chiusure<br>(dimostrativo)" and ordine[-3:] == ["Don Bosco", "Mompiano", "Primo Maggio"]


def test_barre_senza_punti_sotto_minimo():
    ore = pd.DataFrame(
        {
            "id": ["a"],
            "nome": ["Punto di comunità A"],
            "codice_istat": ["1"],
            "stato": ["attivo"],
            "fasce": [2],
            "ore": [7.25],
            "orario": ["documentato"],
            "sotto_minimo": pd.array([False], dtype="boolean"),
            "ore_volontario": pd.array([None], dtype="Float64"),
        }
    )
    fig = ch.grafico_ore_punti(ore, 6.0)
    assert [t.name for t in fig.data] == ["almeno 6 ore"]
    assert list(fig.data[0].text) == ["7,25 h"]
    assert list(fig.data[0].y) == ["A"]


def test_matrice(dati):
    q, p, s = dati
    lam = s[s["id_punto"] == "lamarmora"]
    fig = ch.grafico_matrice(m_ore.matrice_oraria(lam))
    _comune(fig)
    hm = fig.data[0]
    assert hm.type == "heatmap"
    assert list(hm.y) == ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"]
    # hours 00-06 never open: left out, and the axis says so
    assert list(hm.x) == [f"{h:02d}" for h in range(7, 24)]
    assert "prima delle 07:00 nessuno sportello aperto" in fig.layout.xaxis.title.text
    col = {h: i for i, h in enumerate(hm.x)}
    z = [list(r) for r in hm.z]
    assert (z[2][col["15"]], z[2][col["16"]], z[2][col["17"]]) == (0.5, 1.0, 0.5)
    assert (hm.text[2][col["15"]], hm.text[2][col["16"]], hm.text[4][col["09"]]) == (
        "0,5",
        "1",
        "0,5",
    )  # every value printed
    assert hm.text[0][col["10"]] == ""  # closed hours stay blank, not "0"
    assert hm.zmin == 0


def test_matrice_mostra_ore_notturne_se_aperte():
    m = m_ore.matrice_oraria(
        pd.DataFrame({"id_punto": ["a"], "giorno": ["sab"], "inizio_min": [5 * 60 + 30], "fine_min": [7 * 60]})
    )
    hm = ch.grafico_matrice(m).data[0]
    assert hm.x[0] == "05" and hm.text[5][0] == "0,5"
    m = m_ore.matrice_oraria(pd.DataFrame({"id_punto": ["a"], "giorno": ["sab"], "inizio_min": [0], "fine_min": [60]}))
    assert len(ch.grafico_matrice(m).data[0].x) == 24


def test_zone(dati):
    q, p, s = dati
    fig = ch.grafico_zone(m_ore.totali_per_zona(s, p, q, 6.0))
    _comune(fig)
    assert fig.layout.barmode == "stack"
    tracce = {t.name: t for t in fig.data}
    assert set(tracce) == {"orari documentati", "orari dimostrativi"}
    assert tracce["orari dimostrativi"].marker.pattern.shape == "x"
    assert {t.marker.color for t in fig.data} <= OKABE_ITO
    assert list(tracce["orari documentati"].x) == ["Centro", "Nord", "Sud", "Est", "Ovest"]
    assert list(tracce["orari documentati"].y) == [0, 0, 4, 0, 0]
    testi = {a.x: a.text for a in fig.layout.annotations}
    assert testi["Sud"] == "<b>23 h</b><br>+ 1 punto<br>senza orario noto"
    assert testi["Nord"].startswith("<b>23,5 h</b>")
    assert testi["Centro"] == "<b>25 h</b>"


def test_zone_solo_orari_ignoti():
    totali = pd.DataFrame(
        {
            "zona": ["Nord", "Est"],
            "ore": [0.0, 0.0],
            "ore_documentate": [0.0, 0.0],
            "ore_dimostrative": [0.0, 0.0],
            "punti_con_orario": [0, 0],
            "punti_non_documentati": [2, 0],
            "punti_sotto_minimo": [0, 0],
        }
    )
    fig = ch.grafico_zone(totali)
    testi = {a.x: a.text for a in fig.layout.annotations}
    assert testi["Nord"] == "<b>orari non documentati</b><br>(2 punti)"  # unknown, never "0 h"
    assert testi["Est"] == "nessun punto attivo"
    assert len(fig.data) == 0


def test_figure_vuote():
    vuoto = pd.DataFrame(
        columns=["id", "nome", "codice_istat", "stato", "fasce", "ore", "orario", "sotto_minimo", "ore_volontario"]
    )
    for fig in (ch.grafico_ore_punti(vuoto, 6.0), ch.grafico_zone(pd.DataFrame(columns=["zona", "ore"]))):
        assert any("Nessun punto" in a.text for a in fig.layout.annotations)


def test_resa_uguale_nel_plotly_di_streamlit(dati):
    """Streamlit bundles an older plotly.js: margins and hatch fills must be explicit, not template defaults."""
    q, p, s = dati
    figure = [
        ch.grafico_ore_punti(m_ore.ore_settimanali(s, p, 6.0), 6.0),
        ch.grafico_matrice(m_ore.matrice_oraria(s)),
        ch.grafico_zone(m_ore.totali_per_zona(s, p, q, 6.0)),
    ]
    for fig in figure:
        assert fig.layout.xaxis.automargin is True and fig.layout.yaxis.automargin is True
        for t in fig.data:
            pattern = getattr(getattr(t, "marker", None), "pattern", None)
            if pattern is not None and pattern.shape:
                assert pattern.bgcolor == t.marker.color and pattern.fillmode == "replace"


def test_grafici_in_inglese(dati, inglese):
    q, p, s = dati
    punti = ch.grafico_ore_punti(m_ore.ore_settimanali(s, p, 6.0), 6.0)
    matrice = ch.grafico_matrice(m_ore.matrice_oraria(s))
    zone = ch.grafico_zone(m_ore.totali_per_zona(s, p, q, 6.0))
    assert {f.layout.separators for f in (punti, matrice, zone)} == {".,"}
    assert {t.name for t in punti.data} == {
        "at least 6 hours",
        "below the minimum of 6 hours",
        "opening hours not documented",
    }
    sotto = next(t for t in punti.data if t.name == "below the minimum of 6 hours")
    assert dict(zip(sotto.y, sotto.text, strict=False))["Lamarmora"] == "4 h<br>below the minimum"
    assert "Borgo Trento<br>(demo)" in punti.layout.yaxis.categoryarray
    assert any(a.text == "minimum 6 hours/week" for a in punti.layout.annotations)
    assert punti.layout.xaxis.title.text == "hours per week"
    assert list(matrice.data[0].y) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert "no help desk open before 07:00" in matrice.layout.xaxis.title.text
    assert {t.name for t in zone.data} == {"documented hours", "demo hours"}
    testi = {a.x: a.text for a in zone.layout.annotations}
    assert testi["Sud"] == "<b>23 h</b><br>+ 1 point<br>with no known hours"
    assert testi["Nord"].startswith("<b>23.5 h</b>")


def test_ore_punti_draws_the_points_with_fewest_hours_when_there_are_many():
    n = 500
    ore = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n)],
            "nome": [f"Punto {i:03d}" for i in range(n)],
            "codice_istat": ["1"] * n,
            "stato": ["attivo"] * n,
            "fasce": [2] * n,
            "ore": [float(i % 50) + 1 for i in range(n - 3)] + [0.0] * 3,
            "orario": ["documentato"] * (n - 3) + [m_ore.ORARIO_NON_DOCUMENTATO] * 3,
            "sotto_minimo": pd.array([(i % 50) + 1 < 6 for i in range(n - 3)] + [None] * 3, dtype="boolean"),
            "ore_volontario": pd.array([None] * n, dtype="Float64"),
        }
    )
    fig = ch.grafico_ore_punti(ore, 6.0, righe_massime=40)
    righe = [y for t in fig.data for y in t.y]
    assert len(righe) == 40
    barre = [x for t in fig.data if t.type == "bar" for x in t.x]
    # The 40 with the fewest hours: ten each with 1, 2, 3 and 4 hours; the 3 without a schedule do not fit.
    assert sorted(barre) == [1.0] * 10 + [2.0] * 10 + [3.0] * 10 + [4.0] * 10
    assert "i 40 punti con meno ore, su 500" in fig.layout.title.text
    assert fig.layout.height < 200 + 46 * 41
    # Fewer documented points than rows: the rest are points without a schedule, and the title says so.
    pochi = pd.concat([ore.head(10), ore.tail(3)])
    fig = ch.grafico_ore_punti(pochi, 6.0, righe_massime=12)
    assert [t.type for t in fig.data][-1] == "scatter" and len(fig.data[-1].y) == 2
    assert "i 12 punti con meno ore o senza orario noto, su 13" in fig.layout.title.text
    # Few points: all of them, with the usual title.
    assert len([y for t in ch.grafico_ore_punti(ore.head(30), 6.0).data for y in t.y]) == 30
