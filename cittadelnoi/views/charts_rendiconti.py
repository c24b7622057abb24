"""Plotly figures of the monthly reports (the volunteer-hours page). Pure: frames in, figures out.

Layout, fonts and separators are those of `views.charts_sportelli`. Colour never carries meaning
alone: a month under the minimum is hatched and says so in its text; a month without a report is
a grey cell with the words "non rendicontato", never an empty or zero one.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.core.palette import BLU, GRIGIO, GRIGIO_CHIARO, NERO, VERDE, VERMIGLIO
from cittadelnoi.views.charts_sportelli import _figura, _motivo, etichetta_punto


def etichetta_mese(mese: str) -> str:
    """'2025-11' -> 'nov 25' (en 'Nov 25'), in the run's language."""
    anno, m = (int(x) for x in mese.split("-"))
    return fmt.data(dt.date(anno, m, 1), formato="MMM yy")


def grafico_mesi(per_mese: pd.DataFrame) -> go.Figure:
    """Bars: desk hours held per month (sum of the reports), beside the minimum of the points that
    reported (a dashed line); each bar says how many of the expected points reported."""
    x = [etichetta_mese(m) for m in per_mese.index]
    ore = per_mese["ore_sportello"]
    minimo = per_mese["minimo"] * per_mese["rendicontati"] / per_mese["attesi"].where(per_mese["attesi"] > 0)
    testi = [
        _("{n} su {totale} punti").format(n=fmt.numero(r), totale=fmt.numero(a)) if r else _("non rendicontato")
        for r, a in zip(per_mese["rendicontati"], per_mese["attesi"], strict=True)
    ]
    tracce = [
        go.Bar(
            x=x,
            y=ore.fillna(0),
            name=_("Ore di sportello effettuate"),
            marker={"color": BLU},
            text=testi,
            textposition="auto",
            hovertemplate="%{x}: %{y:,.1f} h<extra></extra>",
        ),
        go.Scatter(
            x=x,
            y=minimo,
            name=_("Minimo dei punti che hanno rendicontato"),
            mode="lines+markers",
            line={"color": NERO, "dash": "dash"},
            hovertemplate="%{x}: %{y:,.1f} h<extra></extra>",
        ),
    ]
    return _figura(
        tracce,
        _("Ore di sportello effettuate per mese"),
        420,
        yaxis={"title": {"text": _("ore nel mese")}, "rangemode": "tozero"},
    )


def grafico_volontariato(per_mese: pd.DataFrame) -> go.Figure:
    """Bars: volunteers' person-hours per month; a line: people served (accessi), on its own axis."""
    x = [etichetta_mese(m) for m in per_mese.index]
    tracce = [
        go.Bar(
            x=x,
            y=per_mese["ore_volontariato"],
            name=_("Ore di volontariato (ore-persona)"),
            marker={"color": VERDE, "pattern": _motivo("/", VERDE, "white", 0.2)},
            hovertemplate="%{x}: %{y:,.0f} h<extra></extra>",
        ),
        go.Scatter(
            x=x,
            y=per_mese["accessi"],
            name=_("Accessi allo sportello"),
            mode="lines+markers",
            marker={"symbol": "diamond", "size": 10},
            line={"color": VERMIGLIO},
            yaxis="y2",
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        ),
    ]
    return _figura(
        tracce,
        _("Ore di volontariato e accessi per mese"),
        420,
        yaxis={"title": {"text": _("ore-persona")}, "rangemode": "tozero"},
        yaxis2={"title": {"text": _("accessi")}, "overlaying": "y", "side": "right", "rangemode": "tozero"},
    )


def grafico_punti_mesi(tabella: pd.DataFrame) -> go.Figure:
    """A grid point × month: desk hours held as a share of the month's minimum, the hours written in
    each cell; «non rendicontato» where no report was sent."""
    mesi = sorted(tabella["mese"].unique())
    nomi = tabella.drop_duplicates("id").sort_values("nome", ascending=False)
    y = [etichetta_punto(n) for n in nomi["nome"]]
    t = tabella.set_index(["id", "mese"])
    z: list[list[float | None]] = []
    testo: list[list[str]] = []
    for i in nomi["id"]:
        riga_z: list[float | None] = []
        riga_t: list[str] = []
        for m in mesi:
            r = t.loc[(i, m)]
            if not r["rendicontato"]:
                riga_z.append(None)
                riga_t.append(_("non rendicontato"))
            elif pd.isna(r["ore_sportello"]):
                riga_z.append(None)
                riga_t.append(_("ore non indicate"))
            else:
                riga_z.append(min(float(r["ore_sportello"]) / float(r["minimo"]), 2.0))
                marca = " ▼" if r["ore_sportello"] < r["minimo"] else ""
                riga_t.append(f"{fmt.ore(float(r['ore_sportello']))}{marca}")
        z.append(riga_z)
        testo.append(riga_t)
    altezza = 160 + 34 * len(y)
    traccia = go.Heatmap(
        z=z,
        x=[etichetta_mese(m) for m in mesi],
        y=y,
        text=testo,
        texttemplate="%{text}",
        textfont={"size": 12},
        zmin=0,
        zmax=2,
        colorscale=[[0, VERMIGLIO], [0.4999, "#f6d2bd"], [0.5, "#d7e8f5"], [1, BLU]],
        colorbar={"title": {"text": _("ore / minimo")}, "tickvals": [0, 1, 2], "ticktext": ["0", "1", "≥ 2"]},
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        xgap=2,
        ygap=2,
    )
    mancanti = go.Heatmap(
        z=[[1 if v is None else None for v in r] for r in z],
        x=traccia.x,
        y=y,
        colorscale=[[0, "#e4e4e4"], [1, "#e4e4e4"]],
        showscale=False,
        hoverinfo="skip",
        xgap=2,
        ygap=2,
    )
    return _figura(
        [mancanti, traccia],
        _("Ore di sportello per punto e mese (▼ sotto il minimo)"),
        altezza,
        margine_alto=80,
        plot_bgcolor=GRIGIO_CHIARO,
        xaxis={"side": "top", "tickfont": {"color": GRIGIO}},
    )
