"""Charts of the funding page, made to be read at a glance on a meeting-room screen.

Every mark carries its number as text (formatted by fmt), so nothing depends on colour alone or
on hovering; colours are Okabe-Ito, safe for colour-blind readers; a derived mark says "derivato"
or "calcolato" in its own text. Text and plotly's own number separators follow the run's language.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.core.palette import ARANCIO, BLU, PORPORA, TESTO, VERDE, VERMIGLIO
from cittadelnoi.core.palette import CELESTE as AZZURRO
from cittadelnoi.core.testo import plotly as testo_plotly
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.metrics import finanziamenti as m_fin
from cittadelnoi.views.charts_sportelli import separatori, unisci

FONT = 18
FONT_TESTO = 22
ALTEZZA = 420


def _figura(tracce: list, titolo: str, **layout: object) -> go.Figure:
    """The figure with its whole layout at once (see charts_sportelli._figura), `layout` merged
    over the page's common one."""
    comune = {
        "title": {"text": titolo, "font": {"size": FONT + 4}},
        "font": {"size": FONT},
        "separators": separatori(),  # plotly's own numbers (hover, axes) as fmt writes them
        "height": ALTEZZA,
        "margin": {"l": 20, "r": 20, "t": 70, "b": 20},
        "showlegend": False,
        "plot_bgcolor": "white",
        # Streamlit's chart theme sets small axis fonts of its own; a meeting room needs large ones.
        "xaxis": {"tickfont": {"size": FONT, "color": TESTO}},
        "yaxis": {"tickfont": {"size": FONT - 2, "color": TESTO}},
    }
    return go.Figure(data=tracce, layout=unisci(comune, layout))


def treemap_welfare(frame: pd.DataFrame) -> go.Figure:
    """The 173 M€ of 2016: families' 71 M€ and the derived 102 M€ rest, sized by value."""
    tot, fam, altre = fin.valore(frame, fin.TOTALE), fin.valore(frame, fin.FAMIGLIE), m_fin.resto(frame)
    radice = _("Welfare cittadino 2016")
    etichette = [radice, _("A carico delle famiglie"), _("Altre fonti (derivato)")]
    valori = [tot, fam, altre]
    quote = [
        fmt.percentuale(1),
        fmt.percentuale(m_fin.quota_famiglie(frame)),
        fmt.percentuale(m_fin.quota_resto(frame)),
    ]
    testi = [fmt.euro_compatto(v) for v in valori]
    mappa = go.Treemap(
        labels=etichette,
        parents=["", radice, radice],
        values=valori,
        branchvalues="total",
        customdata=list(zip(testi, quote, strict=False)),
        texttemplate=_("{etichetta}<br>{importo}<br>{quota} del totale").format(
            etichetta="<b>%{label}</b>", importo="%{customdata[0]}", quota="%{customdata[1]}"
        ),
        hovertemplate="%{label}: %{customdata[0]} (%{customdata[1]})<extra></extra>",
        textfont={"size": FONT_TESTO, "color": ["black", "black", "white"]},
        textposition="middle center",
        # No hatching on the derived cell: it made the text unreadable; the label says "derivato".
        marker={"colors": ["#F0F0F0", ARANCIO, BLU], "line": {"color": "white", "width": 3}},
        pathbar={"visible": False},
        sort=False,
    )
    return _figura([mappa], _("Risorse per il welfare nel 2016: {totale}").format(totale=fmt.euro_compatto(tot)))


def _barre(x: list[str], valori: list, testi: list[str], colori: list[str], hover: str) -> go.Bar:
    """Two labelled bars, their value written above each (the page's bar style)."""
    return go.Bar(
        x=x,
        y=valori,
        text=testi,
        textposition="outside",
        textfont={"size": FONT_TESTO, "color": TESTO},
        customdata=testi,
        hovertemplate=hover,
        marker={"color": colori},
        width=0.55,
    )


def barre_spesa_comunale(frame: pd.DataFrame) -> go.Figure:
    """Comune's effective welfare spending 2013 → 2016, with the computed growth annotated."""
    anni = ["2013", "2016"]
    valori = [fin.valore(frame, fin.COMUNE_2013), fin.valore(frame, fin.COMUNE_2016)]
    testi = [fmt.euro_compatto(v) for v in valori]
    crescita = m_fin.testo_crescita(m_fin.crescita_spesa_comunale(frame))
    barre = _barre(anni, valori, testi, [AZZURRO, BLU], "%{x}: %{customdata}<extra></extra>")
    alto = max(valori) * 1.35
    freccia = {
        "x": 1,
        "y": valori[1] * 1.18,
        "ax": 0,
        "ay": valori[0] * 1.18,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 3,
        "arrowsize": 1.5,
        "arrowwidth": 2,
        "arrowcolor": VERMIGLIO,
        "text": "",
    }
    testo = {
        "x": 0.5,
        "y": max(valori) * 1.27,
        "xref": "x",
        "yref": "y",
        "showarrow": False,
        "text": _("{crescita} (calcolato)").format(crescita=f"<b>{crescita}</b>"),
        "font": {"size": FONT_TESTO, "color": VERMIGLIO},
    }
    passi = [0, 10e6, 20e6, 30e6, 40e6]
    return _figura(
        [barre],
        _("Spesa effettiva del Comune per il welfare"),
        annotations=[freccia, testo],
        yaxis={
            "range": [0, alto],
            "tickvals": passi,
            "ticktext": [fmt.euro_compatto(v) for v in passi],
            "gridcolor": "#E5E5E5",
        },
        xaxis={"type": "category"},
    )


def barre_progetto(frame: pd.DataFrame) -> go.Figure:
    """The project's budget (a lower bound: "oltre") next to Fondazione Cariplo's contribution.

    Vertical bars: the page shows this chart in a narrow column, where horizontal bars left no
    room for their long labels and clipped "oltre 3 mln €".
    """
    budget, cariplo = fin.cifra(frame, fin.BUDGET), fin.cifra(frame, fin.CARIPLO)
    voci = [
        _("Budget del progetto<br>({periodo})").format(
            periodo=testo_plotly(m_fin.testo_riferimento(budget.riferimento))
        ),
        _("Contributo<br>Fondazione Cariplo<br>({periodo})").format(
            periodo=testo_plotly(m_fin.testo_riferimento(cariplo.riferimento))
        ),
    ]
    valori = [budget.valore, cariplo.valore]
    testi = [m_fin.testo_valore(budget), m_fin.testo_valore(cariplo)]
    barre = _barre(voci, valori, testi, [VERDE, PORPORA], "%{customdata}<extra></extra>")
    massimo = max(v for v in valori if v is not None)
    passi = [0, 1e6, 2e6, 3e6]
    return _figura(
        [barre],
        _("Budget del progetto e contributo Cariplo"),
        yaxis={
            "range": [0, massimo * 1.3],
            "tickvals": passi,
            "ticktext": [fmt.euro_compatto(v) for v in passi],
            "gridcolor": "#E5E5E5",
        },
        xaxis={"type": "category"},
    )
