"""The chart of points over time: register steps, documented counts with sources, the goal of 33."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cittadelnoi.loaders.csvio import leggi_file
from cittadelnoi.loaders.storico import carica_conteggi, punti_nel_tempo
from cittadelnoi.views.charts_storico import fonti_documentate, grafico_punti_nel_tempo
from tests.conftest import DATA


def _serie() -> pd.DataFrame:
    registro = pd.DataFrame(
        {
            "data": [dt.date(2017, 3, 2), dt.date(2017, 12, 20), dt.date(2026, 1, 1)],
            "attivi": [12, 14, 14],
            "in_apertura": [4, 2, 2],
            "dimostrativi": [12, 14, 14],
        }
    )
    documentati, _ = carica_conteggi(leggi_file(DATA / "conteggi_punti.csv"))
    return punti_nel_tempo(registro, documentati)


def test_traces_goal_and_sources():
    fig = grafico_punti_nel_tempo(_serie(), al=dt.date(2020, 1, 1))
    nomi = [t.name for t in fig.data]
    assert nomi == [
        "Punti attivi (registro)",
        "Punti in apertura (registro)",
        "Attivi, conteggio documentato",
        "In apertura, conteggio documentato",
    ]
    assert fig.data[0].line.shape == "hv" and list(fig.data[0].y) == [12, 14, 14]
    assert list(fig.data[2].y) == [12, 14, 19, 20]
    assert list(fig.data[3].y) == [4, 2, 2]  # December 2025: opening points not documented, not 0
    assert "Prima Brescia" in fig.data[2].customdata[2][0]
    linee = [s for s in fig.layout.shapes if s.type == "line"]
    assert any(s.y0 == 33 and s.y1 == 33 for s in linee)
    testi = [a.text for a in fig.layout.annotations]
    assert "Obiettivo: 33 quartieri" in testi and "stato al 1 gennaio 2020" in testi
    assert fig.layout.yaxis.range[1] > 33
    assert all(t.hovertemplate.startswith("%{x|%d/%m/%Y}: ") for t in fig.data)


def test_sources_list():
    righe = fonti_documentate(_serie())
    assert righe[0].startswith("2 marzo 2017: 12 attivi, 4 in apertura — Fondazione Cariplo")
    assert righe[-1].startswith("10 dicembre 2025: 20 attivi — elivebrescia.tv")


def test_chart_and_sources_in_english(inglese):
    fig = grafico_punti_nel_tempo(_serie())
    assert fig.data[0].name == "Active points (register)"
    # The hovers' dates name the month: "02/03/2017" is 3 February to a reader in the US.
    assert all(t.hovertemplate.startswith("%{x|%-d %b %Y}: ") for t in fig.data)
    assert fonti_documentate(_serie())[0].startswith("2 March 2017: 12 active, 4 opening — Fondazione Cariplo")
