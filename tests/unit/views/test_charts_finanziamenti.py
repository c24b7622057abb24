"""The funding charts carry the right numbers, Italian text and labels that do not rely on colour."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.views import charts_finanziamenti as ch
from tests.conftest import DATA

DATI = DATA / "finanziamenti.csv"
OKABE_ITO = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"}


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return fin.carica_finanziamenti(leggi_file(DATI))[0]


def colori(fig: go.Figure) -> list[str]:
    c = fig.data[0].marker.colors if fig.data[0].type == "treemap" else fig.data[0].marker.color
    return list(c)


@pytest.mark.parametrize("builder", [ch.treemap_welfare, ch.barre_spesa_comunale, ch.barre_progetto])
def test_layout_italiano_e_leggibile(frame: pd.DataFrame, builder) -> None:
    fig = builder(frame)
    assert fig.layout.separators == ",."
    assert fig.layout.font.size >= 16
    assert fig.layout.title.text
    assert all(c in OKABE_ITO for c in colori(fig) if c not in ("#F0F0F0",))


def test_treemap_del_totale(frame: pd.DataFrame) -> None:
    fig = ch.treemap_welfare(frame)
    t = fig.data[0]
    assert list(t.values) == [173e6, 71e6, 102e6]
    assert t.branchvalues == "total" and t.values[1] + t.values[2] == t.values[0]
    assert list(t.labels)[1:] == ["A carico delle famiglie", "Altre fonti (derivato)"]
    assert [tuple(sp(x) for x in cd) for cd in t.customdata] == [
        ("173 mln €", "100%"),
        ("71 mln €", "41%"),
        ("102 mln €", "59%"),
    ]
    assert "%{customdata[0]}" in t.texttemplate  # each cell shows its amount, not just a colour
    assert sp(fig.layout.title.text).endswith("173 mln €")


def test_treemap_calcola_il_resto(frame: pd.DataFrame) -> None:
    altro = frame.copy()
    altro.at[fin.TOTALE, "valore"] = 200e6
    t = ch.treemap_welfare(altro).data[0]
    assert list(t.values) == [200e6, 71e6, 129e6]
    assert sp(t.customdata[2][0]) == "129 mln €"


def test_barre_spesa_comunale(frame: pd.DataFrame) -> None:
    fig = ch.barre_spesa_comunale(frame)
    bar = fig.data[0]
    assert list(bar.x) == ["2013", "2016"]
    assert list(bar.y) == [29e6, 33e6]
    assert [sp(t) for t in bar.text] == ["29 mln €", "33 mln €"]
    testi = [a.text for a in fig.layout.annotations if a.text]
    assert len(testi) == 1 and "+13,8%" in testi[0] and "calcolato" in testi[0]
    assert not any("10%" in t for t in testi)
    assert [sp(t) for t in fig.layout.yaxis.ticktext] == ["0 €", "10 mln €", "20 mln €", "30 mln €", "40 mln €"]
    assert fig.layout.yaxis.range[1] > 33e6  # the label above the 2016 bar is not clipped


def test_barre_spesa_comunale_segue_i_dati(frame: pd.DataFrame) -> None:
    altro = frame.copy()
    altro.at[fin.COMUNE_2016, "valore"] = 31.9e6
    testi = [a.text for a in ch.barre_spesa_comunale(altro).layout.annotations if a.text]
    assert "+10,0%" in testi[0]


def test_barre_progetto(frame: pd.DataFrame) -> None:
    fig = ch.barre_progetto(frame)
    bar = fig.data[0]
    assert list(bar.y) == [3e6, 1.4e6]
    assert [sp(t) for t in bar.text] == ["oltre 3 mln €", "1,4 mln €"]
    assert "Budget" in bar.x[0] and "2016-2019" in bar.x[0]
    assert "Cariplo" in bar.x[1] and "triennio" in bar.x[1]
    assert fig.layout.yaxis.range[1] > 3e6


def test_font_degli_assi_grandi(frame: pd.DataFrame) -> None:
    for builder in (ch.barre_spesa_comunale, ch.barre_progetto):
        fig = builder(frame)
        assert fig.layout.xaxis.tickfont.size >= 16 and fig.layout.yaxis.tickfont.size >= 16


def test_grafici_in_inglese(frame: pd.DataFrame, inglese) -> None:
    treemap, spesa, progetto = ch.treemap_welfare(frame), ch.barre_spesa_comunale(frame), ch.barre_progetto(frame)
    assert {f.layout.separators for f in (treemap, spesa, progetto)} == {".,"}
    assert treemap.layout.title.text == "Welfare resources in 2016: €173M"
    assert list(treemap.data[0].labels) == ["City welfare 2016", "Paid by families", "Other sources (derived)"]
    assert "of the total" in treemap.data[0].texttemplate
    assert [a.text for a in spesa.layout.annotations if a.text] == ["<b>+13.8%</b> (calculated)"]
    assert list(spesa.layout.yaxis.ticktext) == ["€0", "€10M", "€20M", "€30M", "€40M"]
    assert list(progetto.data[0].text) == ["over €3M", "€1.4M"]
    assert progetto.data[0].x[1].endswith("(three years)")
