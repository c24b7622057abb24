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


# An axis title is smaller (16 px) but centred under the plot, not the figure: 30 characters stay
# inside a 390 px phone whatever the width of the labels on its left.
RIGA_ASSE = 30
ALTEZZA_RIGA = 24  # pixels a title line takes at 20 px


def per_telefono(fig) -> None:
    """Change the plotly figure `fig` in place so a phone shows its words whole: the title on
    lines (a_capo) with the top margin and whatever sits in the bands under the title (a legend or
    annotations placed in container coordinates, views.charts_sportelli) moved down by the lines
    added; the x axis title's lines split too (plotly's automargin makes room under it)."""
    titolo = fig.layout.title.text
    altezza = fig.layout.height
    if titolo and "<br>" not in titolo and (diviso := a_capo(titolo)) != titolo:
        spazio = ALTEZZA_RIGA * diviso.count("<br>")
        margine = fig.layout.margin.t if fig.layout.margin.t is not None else 80
        fig.update_layout(title_text=diviso, margin_t=margine + spazio)
        if altezza:
            # A title anchored by its top in pixels from the figure's top (views.charts_sportelli):
            # plotly.js places a multi-line title's first line as if it had one line and writes the
            # others below, pushing the block up past the figure's top edge by the added lines (seen
            # cut in Chromium). Moved down by those lines, it starts where the one-line title did.
            if fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top" and fig.layout.title.y:
                fig.update_layout(title_y=fig.layout.title.y - spazio / altezza)
            legenda = fig.layout.legend
            if legenda.yref == "container" and legenda.y is not None:
                fig.update_layout(legend_y=legenda.y - spazio / altezza)
            for nota in fig.layout.annotations:
                if nota.yref == "container" and nota.y is not None:
                    nota.y = nota.y - spazio / altezza
    asse = fig.layout.xaxis.title.text
    if asse:
        diviso_asse = "<br>".join(a_capo(r, RIGA_ASSE) for r in asse.split("<br>"))
        if diviso_asse != asse:
            fig.update_layout(xaxis_title_text=diviso_asse)
