"""A chart title on lines a phone shows whole: plotly never wraps a title, so a 390 px screen cut
«Risorse per il welfare nel 2016: 173 m» (issue 24, point 4). Used by `ui.grafico` for every chart."""

from __future__ import annotations

# Characters of a title line at the charts' title size (views.charts_*: 20 px) that fit on a
# 390 px phone once Streamlit's padding is taken: 38 did not ("… 173 m" was cut), 34 do.
RIGA = 34


def a_capo(titolo: str, riga: int = RIGA) -> str:
    """`titolo` with '<br>' between words so that no line is longer than `riga` characters (a
    longer single word stays whole on its own line); a title that fits is returned as it is."""
    if len(titolo) <= riga:
        return titolo
    righe: list[str] = []
    for parola in titolo.split(" "):
        if righe and len(righe[-1]) + 1 + len(parola) <= riga:
            righe[-1] += " " + parola
        else:
            righe.append(parola)
    return "<br>".join(righe)
