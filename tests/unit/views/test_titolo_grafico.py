"""Chart titles on lines a 390 px phone shows whole (views/titolo_grafico.py, used by ui.grafico)."""

from __future__ import annotations

import pytest

from cittadelnoi.views.titolo_grafico import RIGA, a_capo


def test_a_long_title_is_split_between_words_and_loses_nothing():
    titolo = "Risorse per il welfare nel 2016: 173\u00a0mln\u00a0€"
    diviso = a_capo(titolo)
    righe = diviso.split("<br>")
    assert len(righe) == 2 and all(len(r) <= RIGA for r in righe)
    assert " ".join(righe) == titolo  # the whole figure is still there, «173 mln €» on one line


def test_a_short_title_and_a_long_word_stay_as_they_are():
    assert a_capo("Ore di sportello a settimana") == "Ore di sportello a settimana"
    parola = "x" * (RIGA + 5)
    assert a_capo(f"ab {parola} cd") == f"ab<br>{parola}<br>cd"


def test_the_hours_heatmap_on_a_phone_keeps_its_bands_apart():
    import pandas as pd

    from cittadelnoi.views.charts_sportelli import grafico_matrice
    from cittadelnoi.views.titolo_grafico import RIGA_ASSE, per_telefono

    matrice = pd.DataFrame(0.0, index=range(7), columns=range(24))
    matrice.loc[2, 15] = 1.0
    fig = grafico_matrice(matrice)
    titolo, margine, asse = fig.layout.title.text, fig.layout.margin.t, fig.layout.xaxis.title.text
    y_titolo = fig.layout.title.y
    per_telefono(fig)
    righe = fig.layout.title.text.split("<br>")
    assert len(righe) >= 2 and all(len(r) <= 34 for r in righe) and " ".join(righe) == titolo
    assert fig.layout.margin.t == margine + 24 * (len(righe) - 1)  # the plot moves down under it
    # plotly.js writes a top-anchored title's extra lines below its first and pushes the block up
    # past the figure's edge: the title moves down by the lines added, so its first line stays whole.
    assert fig.layout.title.y == pytest.approx(y_titolo - 24 * (len(righe) - 1) / fig.layout.height)
    assert all(len(r) <= RIGA_ASSE for r in fig.layout.xaxis.title.text.split("<br>"))
    assert fig.layout.xaxis.title.text.replace("<br>", " ") == asse.replace("<br>", " ")
