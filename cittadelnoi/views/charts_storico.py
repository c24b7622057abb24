"""The chart of points over time against the goal of 33 (pure: a frame in, a figure out).

Input: `DbStore.punti_nel_tempo()` (see `storico.punti_nel_tempo`): the register's counts after
each change (step lines: a count holds until the next change) and the counts published by a
source (markers, each with its source in the hover and in `fonti_documentate`). Okabe-Ito colours;
active and opening are told apart by line style and marker shape too, not by colour alone.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.core.palette import ARANCIO, BLU, GRIGIO, NERO
from cittadelnoi.core.testo import plotly as testo_plotly
from cittadelnoi.loaders.storico import OBIETTIVO
from cittadelnoi.views.charts_sportelli import FONT, separatori


def fonti_documentate(serie: pd.DataFrame) -> list[str]:
    """'2 marzo 2017: 12 attivi, 4 in apertura — <fonte>' for each documented count, oldest first."""
    doc = serie[serie["serie"] == "documentato"].sort_values("data")
    out = []
    for r in doc.to_dict("records"):
        conta = ngettext("{n} attivo", "{n} attivi", int(r["attivi"])).format(n=fmt.numero(r["attivi"]))
        if not pd.isna(r["in_apertura"]):
            conta += ", " + _("{n} in apertura").format(n=fmt.numero(int(r["in_apertura"])))
        out.append(f"{fmt.data(r['data'])}: {conta} — {r['fonte']}")
    return out


def grafico_punti_nel_tempo(
    serie: pd.DataFrame, obiettivo: int = OBIETTIVO, al: dt.date | None = None, altezza: int = 460
) -> go.Figure:
    """Step lines of the register (active, opening), documented counts as markers with their
    source, the goal as a horizontal line; `al` draws the date chosen on the time slider."""
    reg = serie[serie["serie"] == "registro"].sort_values("data")
    doc = serie[serie["serie"] == "documentato"].sort_values("data")
    giorno = "%{x|" + fmt.formato_data_plotly() + "}"  # 09/12/2026 · 9 Dec 2026 (fmt.data_breve)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=reg["data"],
            y=reg["attivi"],
            mode="lines",
            line={"shape": "hv", "color": BLU, "width": 3},
            name=_("Punti attivi (registro)"),
            hovertemplate=giorno + ": %{y} " + _("attivi") + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=reg["data"],
            y=reg["in_apertura"].astype(float),
            mode="lines",
            line={"shape": "hv", "color": ARANCIO, "width": 2, "dash": "dash"},
            name=_("Punti in apertura (registro)"),
            hovertemplate=giorno + ": %{y} " + _("in apertura") + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=doc["data"],
            y=doc["attivi"],
            mode="markers+text",
            text=[fmt.numero(v) for v in doc["attivi"]],
            textposition="top center",
            marker={"symbol": "diamond", "size": 13, "color": NERO},
            customdata=[[testo_plotly(f)] for f in doc["fonte"]],
            name=_("Attivi, conteggio documentato"),
            hovertemplate=giorno + ": %{y} " + _("attivi") + "<br>" + _("Fonte") + ": %{customdata[0]}<extra></extra>",
        )
    )
    doc_ap = doc[doc["in_apertura"].notna()]
    fig.add_trace(
        go.Scatter(
            x=doc_ap["data"],
            y=doc_ap["in_apertura"].astype(float),
            mode="markers",
            marker={"symbol": "triangle-up", "size": 12, "color": ARANCIO, "line": {"color": NERO, "width": 1}},
            customdata=[[testo_plotly(f)] for f in doc_ap["fonte"]],
            name=_("In apertura, conteggio documentato"),
            hovertemplate=giorno
            + ": %{y} "
            + _("in apertura")
            + "<br>"
            + _("Fonte")
            + ": %{customdata[0]}<extra></extra>",
        )
    )
    fig.add_hline(
        y=obiettivo,
        line={"color": GRIGIO, "dash": "dot", "width": 2},
        annotation={"text": _("Obiettivo: {n} quartieri").format(n=obiettivo), "font": {"size": FONT, "color": GRIGIO}},
        annotation_position="top left",
    )
    if al is not None:
        fig.add_vline(
            x=pd.Timestamp(al).timestamp() * 1000,
            line={"color": NERO, "width": 1},
            annotation={"text": _("stato al {data}").format(data=fmt.data(al)), "font": {"size": FONT - 2}},
            annotation_position="top right",
        )
    fig.update_layout(
        title={"text": _("Punti di comunità nel tempo"), "font": {"size": FONT + 4}, "x": 0.01, "xanchor": "left"},
        font={"size": FONT, "color": NERO},
        separators=separatori(),
        height=altezza,
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 10, "r": 30, "t": 90, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        hoverlabel={"font": {"size": FONT}},
    )
    fig.update_yaxes(
        range=[0, obiettivo + 4], title={"text": _("punti")}, gridcolor="#e6e6e6", automargin=True, rangemode="tozero"
    )
    fig.update_xaxes(gridcolor="#e6e6e6", automargin=True)
    return fig
