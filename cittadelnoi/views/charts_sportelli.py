"""Plotly figures for the desk hours page. Pure: frames in, figures out, no Streamlit.

Colours are Okabe-Ito (safe for colour-blind readers) and never carry meaning alone: bars below
the minimum are hatched and labelled "sotto il minimo", demo hours are hatched differently and
named in the legend, every heatmap cell with a value prints it. Numbers are formatted by
`cittadelnoi.core.fmt` and text goes through `_()`, both in the run's language; the layout's `separators`
(",." in Italian, ".," in English) make plotly's own axis and hover numbers agree.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from cittadelnoi.core import fmt, i18n
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.core.palette import ARANCIO, BLU, CELESTE, GRIGIO, NERO, VERMIGLIO
from cittadelnoi.core.tempo import giorni
from cittadelnoi.core.testo import plotly as testo_plotly
from cittadelnoi.metrics.ore import ORARIO_NON_DOCUMENTATO, nome_punto

FONT = 16
PRIMA_ORA_MOSTRATA = 7  # the heatmap starts here unless some desk opens earlier
PREFISSO_NOME = "Punto di comunità "


def separatori() -> str:
    """plotly's `separators` for the run's language: ',.' in Italian, '.,' in English."""
    return get_decimal_symbol(i18n.locale()) + get_group_symbol(i18n.locale())


def unisci(base: dict, altro: dict) -> dict:
    """`base` updated by `altro`, nested dicts merged (what plotly's update_layout does)."""
    out = dict(base)
    for k, v in altro.items():
        out[k] = unisci(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _figura(tracce: list, titolo: str, altezza: int, margine_alto: int = 115, **layout: dict | object) -> go.Figure:
    """The figure with its whole layout given at once: plotly validates it once, where each
    update_layout/add_annotation/add_vline call went through its relayout machinery (about two
    thirds of the time to build these figures). `layout` is merged over the common layout."""
    # Title, legend and any annotation above the plot get their own bands, in pixels from the top,
    # so they never overlap whatever the figure's height.
    comune = {
        "title": {
            "text": titolo,
            "font": {"size": FONT + 4},
            "yref": "container",
            "y": 1 - 12 / altezza,
            "yanchor": "top",
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
        },
        "font": {"size": FONT, "color": NERO},
        "separators": separatori(),
        "height": altezza,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "margin": {"l": 10, "r": 30, "t": margine_alto, "b": 10},
        "legend": {
            "orientation": "h",
            "yref": "container",
            "y": 1 - 50 / altezza,
            "yanchor": "top",
            "xanchor": "left",
            "xref": "container",
            "x": 0.01,
            "traceorder": "normal",
        },
        "hoverlabel": {"font": {"size": FONT}},
        # Streamlit ships an older plotly.js than plotly.py's templates assume: without an explicit
        # automargin long tick labels are clipped there (seen in the browser, not in a bare HTML export).
        "xaxis": {"automargin": True},
        "yaxis": {"automargin": True},
    }
    return go.Figure(data=tracce, layout=unisci(comune, layout))


def _motivo(forma: str, sfondo: str, tratto: str, densita: float) -> dict:
    """A hatch pattern spelled out in full, so every plotly.js version draws the same bar
    (older ones otherwise leave the bar unfilled behind the hatch)."""
    return {"shape": forma, "bgcolor": sfondo, "fgcolor": tratto, "fillmode": "replace", "solidity": densita}


def _vuoto(titolo: str) -> go.Figure:
    return _figura(
        [],
        titolo,
        250,
        annotations=[
            {
                "text": _("Nessun punto nella selezione"),
                "showarrow": False,
                "font": {"size": FONT + 2, "color": GRIGIO},
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
            }
        ],
        xaxis={"visible": False},
        yaxis={"visible": False},
    )


def nome_breve(nome: str) -> str:
    """'Punto di comunità Borgo Trento (dimostrativo)' -> 'Borgo Trento (dimostrativo)' (en '… (demo)')."""
    return nome_punto(nome.removeprefix(PREFISSO_NOME))


def etichetta_punto(nome: str) -> str:
    """Axis label: short name, "(dimostrativo)" on a second line so the labels stay narrow. The name
    is data: drawn as written, never as Plotly's tags (a `<a href>` in a name is text)."""
    marca = testo_plotly(" ({})".format(_("dimostrativo")))
    return testo_plotly(nome_breve(nome)).replace(marca, "<br>" + marca.strip())


PUNTI_NEL_GRAFICO = 40
"""Rows of the per-point chart. Past this, the points with the fewest hours (the ones to look at
first): 5,000 points drew a chart 230,000 px high and took half a second per rerun to build. Every
point stays in the page's table."""


def grafico_ore_punti(ore: pd.DataFrame, minimo: float, righe_massime: int = PUNTI_NEL_GRAFICO) -> go.Figure:
    """Horizontal bars of weekly desk hours per point (output of metrics.ore.ore_settimanali),
    with the minimum as a dashed line. Points without a documented schedule get a text row,
    never a zero bar. At most `righe_massime` rows: the points with the fewest hours, then those
    without a schedule; the title says how many of how many."""
    titolo = _("Ore di sportello a settimana per punto")
    if ore.empty:
        return _vuoto(titolo)
    con_orario = ore[ore["orario"] != ORARIO_NON_DOCUMENTATO].sort_values(["ore", "nome"], ascending=[False, True])
    senza = ore[ore["orario"] == ORARIO_NON_DOCUMENTATO].sort_values("nome")
    if len(ore) > righe_massime:
        con_orario = con_orario.tail(righe_massime)
        senza = senza.head(righe_massime - len(con_orario))
        titolo = (
            _(
                "Ore di sportello a settimana: i {n} punti con meno ore o senza orario noto, su {totale} (tutti nella tabella)"
            )
            if len(senza)
            else _("Ore di sportello a settimana: i {n} punti con meno ore, su {totale} (tutti nella tabella)")
        ).format(n=fmt.numero(len(con_orario) + len(senza)), totale=fmt.numero(len(ore)))
    ordine = [etichetta_punto(n) for n in list(con_orario["nome"]) + list(senza["nome"])]

    tracce: list = []
    gruppi = [
        (False, _("almeno {ore} ore").format(ore=fmt.ore(minimo)), BLU, ""),
        (True, _("sotto il minimo di {ore} ore").format(ore=fmt.ore(minimo)), VERMIGLIO, "/"),
    ]
    for sotto, etichetta, colore, motivo in gruppi:
        parte = con_orario[con_orario["sotto_minimo"].fillna(False).astype(bool) == sotto]
        if parte.empty:
            continue
        testi = [f"{fmt.ore(h)} h" + ("<br>" + _("sotto il minimo") if sotto else "") for h in parte["ore"]]
        tracce.append(
            go.Bar(
                name=etichetta,
                orientation="h",
                x=parte["ore"],
                y=[etichetta_punto(n) for n in parte["nome"]],
                text=testi,
                textposition="outside",
                textfont={"size": FONT},
                constraintext="none",  # plotly would shrink two-line labels to the bar's thickness
                cliponaxis=False,
                marker={"color": colore, "pattern": _motivo(motivo, colore, "white", 0.35)},
                customdata=[[t, _(o)] for t, o in zip(testi, parte["orario"], strict=False)],
                hovertemplate=_("{punto}<br>{ore} a settimana (orario {tipo})").format(
                    punto="%{y}", ore="%{customdata[0]}", tipo="%{customdata[1]}"
                )
                + "<extra></extra>",
            )
        )
    if not senza.empty:
        non_documentati = _("orari non documentati")
        tracce.append(
            go.Scatter(
                name=non_documentati,
                x=[0] * len(senza),
                y=[etichetta_punto(n) for n in senza["nome"]],
                mode="markers+text",
                marker={"symbol": "line-ew-open", "size": 14, "color": GRIGIO, "line": {"width": 2}},
                text=[non_documentati] * len(senza),
                textposition="middle right",
                textfont={"size": FONT, "color": GRIGIO},
                cliponaxis=False,
                hovertemplate="%{y}: " + non_documentati + "<extra></extra>",
            )
        )

    massimo = max([minimo] + list(con_orario["ore"]))
    # Built to stay readable in Streamlit's column at 1024 px (about 560 px wide): two-line axis
    # labels, bar labels that may run into a right margin, and the legend at the bottom where it can
    # wrap onto several lines without covering the bars.
    return _figura(
        tracce,
        titolo,
        200 + 46 * len(ordine),
        margine_alto=80,
        # The minimum as a dashed vertical line, labelled above the plot.
        shapes=[
            {
                "type": "line",
                "x0": minimo,
                "x1": minimo,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"dash": "dash", "color": NERO, "width": 2},
                "layer": "below",
            }
        ],
        annotations=[
            {
                "text": _("minimo {ore} ore/settimana").format(ore=fmt.ore(minimo)),
                "font": {"size": FONT},
                "showarrow": False,
                "x": minimo,
                "xref": "x",
                "xanchor": "center",
                "y": 1,
                "yref": "y domain",
                "yanchor": "bottom",
            }
        ],
        xaxis={
            "title": {"text": _("ore a settimana")},
            "range": [0, massimo * 1.1],
            "gridcolor": "#dddddd",
            "zeroline": True,
            "zerolinecolor": NERO,
        },
        yaxis={"categoryorder": "array", "categoryarray": ordine, "autorange": "reversed"},
        barmode="overlay",
        bargap=0.25,
        showlegend=True,
        margin={"r": 130, "b": 120},
        legend={"yref": "container", "y": 0.01, "yanchor": "bottom"},
    )


def grafico_matrice(matrice: pd.DataFrame) -> go.Figure:
    """Heatmap weekday x hour of metrics.ore.matrice_oraria: how many points (in hour-equivalents)
    have their desk open. Every non-empty cell prints its value.

    Early-morning hours in which no desk is ever open (before 07:00) are left out so the cells
    stay wide enough to print their values; the axis title says so."""
    aperte = [h for h in matrice.columns if matrice[h].sum() > 0]
    inizio = min([PRIMA_ORA_MOSTRATA] + aperte[:1])
    matrice = matrice.loc[:, [h for h in matrice.columns if h >= inizio]]
    ore = [f"{h:02d}" for h in matrice.columns]
    testi = [["" if v == 0 else fmt.ore(v) for v in riga] for riga in matrice.to_numpy()]
    etichette = [[f"{fmt.ore(v)}" for v in riga] for riga in matrice.to_numpy()]
    massimo = float(matrice.to_numpy().max()) if matrice.size else 0.0
    mappa = go.Heatmap(
        z=matrice.to_numpy(),
        x=ore,
        y=giorni("wide"),
        text=testi,
        texttemplate="%{text}",
        textfont={"size": FONT - 3},
        customdata=etichette,
        colorscale=[[0.0, "#ffffff"], [0.02, "#e8f3fb"], [0.5, CELESTE], [1.0, BLU]],
        zmin=0,
        zmax=max(massimo, 1.0),
        xgap=1,
        ygap=1,
        colorbar={"title": {"text": _("punti aperti")}, "thickness": 14},
        hovertemplate=_("{giorno}, ore {ora}: {n} punti aperti (ore-sportello)").format(
            giorno="%{y}", ora="%{x}", n="%{customdata}"
        )
        + "<extra></extra>",
    )
    titolo_x = _("ora del giorno (15 = dalle 15:00 alle 16:00)")
    if inizio > 0:
        titolo_x += "<br>" + _("prima delle {ora} nessuno sportello aperto").format(ora=f"{inizio:02d}:00")
    return _figura(
        [mappa],
        _("Quando sono aperti gli sportelli (somma sui punti)"),
        420,
        margine_alto=60,
        xaxis={
            "title": {"text": titolo_x},
            "side": "bottom",
            "tickmode": "array",
            "tickvals": ore,
            "ticktext": ore,
            "ticks": "",
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"autorange": "reversed", "ticks": "", "showgrid": False, "zeroline": False},
    )


def grafico_zone(totali: pd.DataFrame) -> go.Figure:
    """Stacked bars per zona (metrics.ore.totali_per_zona): documented hours and demo hours, with
    the total and the number of points without a documented schedule written above each bar."""
    titolo = _("Ore di sportello a settimana per zona")
    if totali.empty:
        return _vuoto(titolo)
    tracce: list = []
    for col, nome, colore, motivo in [
        ("ore_documentate", _("orari documentati"), BLU, ""),
        ("ore_dimostrative", _("orari dimostrativi"), ARANCIO, "x"),
    ]:
        if not (totali[col] > 0).any():
            continue  # no empty legend entry, e.g. "orari dimostrativi" once the real schedules are loaded
        tracce.append(
            go.Bar(
                name=nome,
                x=[testo_plotly(z) for z in totali["zona"]],
                y=totali[col],
                marker={"color": colore, "pattern": _motivo(motivo, colore, NERO, 0.25)},
                customdata=[fmt.ore(v) for v in totali[col]],
                hovertemplate=_("{zona}: {ore} ore ({tipo})").format(zona="%{x}", ore="%{customdata}", tipo=nome)
                + "<extra></extra>",
            )
        )
    note: list[dict] = []
    for rec in totali.to_dict("records"):
        n = rec["punti_non_documentati"]
        if rec["punti_con_orario"]:
            testo = f"<b>{fmt.ore(rec['ore'])} h</b>"
            if n:
                testo += "<br>" + ngettext(
                    "+ {n} punto<br>senza orario noto", "+ {n} punti<br>senza orario noto", n
                ).format(n=fmt.numero(n))
        elif n:  # never "0 h": the hours are unknown, not zero
            testo = "<b>{}</b><br>({})".format(
                _("orari non documentati"), ngettext("{n} punto", "{n} punti", n).format(n=fmt.numero(n))
            )
        else:
            testo = _("nessun punto attivo")
        note.append(
            {
                "x": testo_plotly(rec["zona"]),
                "y": rec["ore"],
                "text": testo,
                "showarrow": False,
                "yanchor": "bottom",
                "yshift": 4,
                "font": {"size": FONT},
            }
        )
    massimo = float(totali["ore"].max()) if len(totali) else 0.0
    return _figura(
        tracce,
        titolo,
        460,
        annotations=note,
        yaxis={"title": {"text": _("ore a settimana")}, "range": [0, max(massimo, 1.0) * 1.4], "gridcolor": "#dddddd"},
        barmode="stack",
        bargap=0.35,
        showlegend=True,  # a lone trace still names its kind
    )
