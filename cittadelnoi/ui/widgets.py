"""Small display helpers shared by the pages: sources, demo warnings, charts, table downloads."""

from __future__ import annotations

from functools import partial

import streamlit as st

from cittadelnoi.core import i18n, paths
from cittadelnoi.core.i18n import _
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.ui.presentazione import in_presentazione
from cittadelnoi.ui.testo import md
from cittadelnoi.views.titolo_grafico import per_telefono


def fonte(testo: str) -> None:
    """A source line under a chart or table: sources are data, shown as written (never markdown)."""
    st.caption(md(_("Fonte: {testo}").format(testo=testo)))


def avviso_dimostrativo(testo: str) -> None:
    """The demo-data warning; `testo` may name points (data): shown as written."""
    st.warning("**" + _("Dati dimostrativi") + "** — " + md(testo), icon=":material/science:")


def tabella(frame) -> None:
    """st.table, whose cells are markdown, with every text cell shown as written."""
    import pandas as pd

    mostrata = frame.copy()
    mostrata.columns = [md(c) for c in mostrata.columns]
    for c in mostrata.columns:
        mostrata[c] = mostrata[c].map(lambda v: md(v) if isinstance(v, str) else v)
    st.table(pd.DataFrame(mostrata), hide_index=True)


def variazione(attuale: float, prima: float | None, dal, meglio_se_scende: bool = False) -> dict:
    """Keyword arguments for st.metric showing the change since `dal`, e.g. "+1 dal 01/09/2026";
    none when there is no earlier figure (the history does not reach that far)."""
    import datetime as dt

    from cittadelnoi.core import fmt

    if prima is None or not isinstance(dal, dt.date):
        return {}
    n = attuale - prima
    numero = fmt.numero(abs(n), 0 if float(n).is_integer() else 1)
    segno = "+" if n > 0 else "-" if n < 0 else ""
    testo = _("{n} dal {data}").format(n=segno + numero, data=fmt.data_breve(dal))
    if n == 0:
        return {"delta": testo, "delta_color": "off", "delta_arrow": "off"}
    # Streamlit reads the direction from the text's first character (a plain "-").
    return {"delta": testo, "delta_color": "inverse" if meglio_se_scende else "normal"}


def mappa(folium_map, key: str, altezza: int = 560, **kwargs):
    """st_folium in a container the page's CSS sizes: the screen's height in presentation mode,
    most of a phone's screen (cittadelnoi.ui.presentazione). The map fills its frame."""
    from streamlit_folium import st_folium

    with st.container(key="mappa_vista"):
        # render=False: st_folium renders the map itself (what it sends is the same, tests/unit/views/
        # test_mapview.py); rendering the whole page first cost about as much again at every rerun.
        return st_folium(folium_map, key=key, height=altezza, use_container_width=True, render=False, **kwargs)


def grafico(fig, **kwargs) -> None:
    """st.plotly_chart with larger type in presentation mode, where the audience sits far away, and
    its title and x axis title on lines a phone shows whole (views.titolo_grafico.per_telefono:
    plotly never wraps a title, a 390 px screen cut «Risorse per il welfare nel 2016: 173 m»)."""
    per_telefono(fig)
    if in_presentazione():
        size = fig.layout.font.size or 14
        fig.update_layout(font_size=size * 1.5, title_font_size=(fig.layout.title.font.size or size * 1.2) * 1.5)
        if fig.layout.height:
            # The slide must fit a 1280x720 screen with its title and figures: a shorter chart.
            fig.update_layout(height=min(fig.layout.height, 380))
    st.plotly_chart(fig, **kwargs)


def scarica_tabella(frame, nome: str, chiave: str) -> None:
    """CSV and XLSX buttons for a table exactly as it is shown (after the filters). The files are
    built when a button is clicked, not at every run (the XLSX of 5,000 rows took seconds)."""
    from cittadelnoi.views import esporta

    c1, c2 = st.columns(2)
    c1.download_button(
        _("Scarica CSV"),
        i18n.nella_lingua_corrente(partial(esporta.csv_bytes, frame)),
        file_name=f"{nome}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=f"csv_{chiave}",
        on_click="ignore",
    )
    c2.download_button(
        _("Scarica Excel"),
        i18n.nella_lingua_corrente(partial(esporta.xlsx_bytes, {nome: frame, _("licenza"): esporta.foglio_licenza()})),
        file_name=f"{nome}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=f"xlsx_{chiave}",
        on_click="ignore",
    )


def filigrana_esempio() -> None:
    """On every page of the sample-data mode: a banner and a watermark across the page, so a
    screenshot of fictional data cannot pass for the real register."""
    if not paths.dati_di_esempio():
        return
    from cittadelnoi.views.esporta import filigrana

    testo = filigrana() or ""
    if in_presentazione():
        # On a projector the banner takes no room from the slide: a strip fixed to the top right corner.
        st.html(
            "<div class='cdn-esempio' role='note'>"
            + testo_html(testo)
            + "</div><style>.cdn-esempio{position:fixed;top:0;right:0;z-index:999991;padding:0.15rem 0.6rem;"
            "background:#fff8e1;color:#6b4c00;border:1px solid #c99a00;font:700 0.75rem sans-serif}</style>"
        )
    else:
        st.warning(
            "**"
            + testo
            + "** — "
            + _(
                "Questa installazione mostra il registro di esempio (cartella esempio/): nomi, luoghi, orari e "
                "cifre sono inventati. Per i dati veri avviare l'app senza --esempio."
            ),
            icon=":material/science:",
        )
    st.html(
        "<div class='cdn-filigrana' aria-hidden='true'>"
        + testo_html(testo)
        + "</div><style>.cdn-filigrana{position:fixed;top:45%;left:-10%;width:120%;text-align:center;"
        "transform:rotate(-24deg);font:700 64px sans-serif;color:rgba(200,0,0,.12);pointer-events:none;"
        "z-index:999990;white-space:nowrap}"
        # Out of the page's flow: the banner and the watermark take no room (nor a gap) from the slide.
        "[data-testid=stElementContainer]:has(.cdn-filigrana),[data-testid=stElementContainer]:has(.cdn-esempio)"
        "{position:absolute}</style>"
    )
