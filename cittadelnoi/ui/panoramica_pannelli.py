"""The overview's panels below the map: history chart, table, downloads, embedding and open data.

Each panel runs its content only when open (on_change="rerun"): closed, a chart or a table would
still make every visitor's browser load and start plotly.js or the data grid while the map is
being drawn, and the server build exports nobody asked for (bench/RESULTS.md, (a)). Their state is
part of the view's link (?apri=storico,tabella).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import pandas as pd
import streamlit as st

from cittadelnoi.core import fmt, i18n, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.metrics.filtri import Filtro, slug
from cittadelnoi.metrics.panoramica import contesto_cittadino, tabella_quartieri
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui.archivio import giorno_della_vista, nota_senza_data, punti_nel_tempo, storico_disponibile
from cittadelnoi.ui.condivisione import kit_riunione, snippet_iframe, url_mappa
from cittadelnoi.ui.filtri import pannello_aperto
from cittadelnoi.ui.segnala import tabella_con_segnala
from cittadelnoi.ui.testo import md
from cittadelnoi.ui.widgets import grafico, scarica_tabella
from cittadelnoi.views import esporta
from cittadelnoi.views import kit_riunione as kit
from cittadelnoi.views.charts_storico import fonti_documentate, grafico_punti_nel_tempo


def storico(snap: Snapshot, filtro: Filtro, al: dt.date | None) -> None:
    """«Punti di comunità nel tempo»: the register's line and the published counts (`al`: the «Stato al» day, None today)."""
    if not storico_disponibile():
        return
    with st.expander(
        _("Punti di comunità nel tempo"),
        expanded=pannello_aperto("storico", filtro),
        icon=":material/timeline:",
        key="apri_storico",
        on_change="rerun",
    ) as riquadro:
        if riquadro.open and (serie := punti_nel_tempo()) is not None:
            grafico(grafico_punti_nel_tempo(serie, al=al), width="stretch")
            st.caption(
                _("Linee: il registro, cambiamento per cambiamento. Simboli: i conteggi pubblicati, con la loro fonte.")
                + nota_senza_data(snap)
            )
            for riga in fonti_documentate(serie):
                st.caption(md(riga))


def _km2(area: object) -> str:
    """An area in km² as Italian shows it, 2,63 (the grid would write 2.63)."""
    return fmt.numero(cast(float, area), 2)


def tabella(vista: Snapshot, filtro: Filtro, codici: set[str]) -> None:
    """«Tabella dei quartieri», closed unless asked, also after a pick.

    Opened by itself it made the first pick of every session load the data grid's code (1.7 MB)
    and wait for it before the map was redrawn.
    """
    with st.expander(
        _("Tabella dei quartieri"), expanded=pannello_aperto("tabella", filtro), key="apri_tabella", on_change="rerun"
    ) as riquadro:
        if riquadro.open:
            righe = tabella_quartieri(vista.stati, codici)
            # Shown as 2,63 in Italian (the grid would write 2.63), still sorted and exported as numbers.
            # Each row links to the report form for its quartiere (ui.segnala; not in the download).
            tabella_con_segnala(
                righe,
                "quartiere",
                righe[_("Codice ISTAT")],
                formati={_("Area (km²)"): _km2},
                hide_index=True,
                width="stretch",
            )
            scarica_tabella(righe, _("quartieri"), "quartieri")


def scarica(
    snap: Snapshot, vista: Snapshot, filtro: Filtro, codici: set[str], al: dt.date | None, orari: pd.DataFrame
) -> None:
    """«Scarica i dati della vista»: the meeting kit, the GeoJSON and a quartiere's printable sheet."""
    nomi = snap.quartieri.set_index("codice_istat")["nome"]
    with st.expander(
        _("Scarica i dati della vista"),
        expanded=pannello_aperto("scarica", filtro),
        icon=":material/download:",
        key="apri_scarica",
        on_change="rerun",
    ) as riquadro:
        if not riquadro.open:
            return
        st.download_button(
            _("Kit per la riunione: questa vista in un file HTML"),
            i18n.nella_lingua_corrente(lambda: kit_riunione(vista, filtro, al, orari)),
            file_name=kit.nome_file(tempo.adesso(), [filtro.zona, filtro.quartiere and nomi[filtro.quartiere]]),
            mime="text/html",
            on_click="ignore",
            key="kit_riunione",
            icon=":material/co_present:",
            help=_(
                "Un solo file con filtri, data, cifre, mappa, grafico, tabelle, fonti e licenza: si apre da una "
                "chiavetta senza server né rete e si stampa su A4."
            ),
        )
        st.download_button(
            _("Mappa in GeoJSON (quartieri e punti)"),
            esporta.geojson_bytes(vista.stati, vista.punti, codici, giorno_della_vista(vista)),
            file_name="punti-di-comunita.geojson",
            mime="application/geo+json",
            on_click="ignore",
            key="geojson",
        )
        scelto = filtro.quartiere or st.selectbox(
            _("Scheda stampabile del quartiere"),
            sorted(codici, key=nomi.get),
            format_func=nomi.get,
            key="scheda_quartiere",
        )
        st.download_button(
            _("Scheda stampabile: {nome}").format(nome=md(nomi[scelto])),
            esporta.scheda_quartiere(
                vista.stati,
                vista.punti,
                orari,
                contesto_cittadino(snap.finanziamenti),
                scelto,
                snap.caricato_il,
                giorno_della_vista(vista),
            ).encode("utf-8"),
            file_name=f"scheda-{slug(nomi[scelto])}.html",
            mime="text/html",
            on_click="ignore",
            key="scheda",
            help=_(
                "Una pagina A4 da aprire nel browser e stampare: stato, punti, orari dello sportello e contesto cittadino."
            ),
        )


def incorpora(snap: Snapshot, filtro: Filtro) -> None:
    """«Incorpora la mappa e scarica i dati aperti»: the iframe snippet and the open-data links."""
    with st.expander(
        _("Incorpora la mappa e scarica i dati aperti"),
        expanded=pannello_aperto("incorpora", filtro),
        icon=":material/share:",
        key="apri_incorpora",
        on_change="rerun",
    ) as riquadro:
        if not riquadro.open:
            return
        st.markdown(
            _(
                "La mappa di questa vista, da inserire nel sito del Comune o di un'associazione "
                "([apri la mappa]({url})):"
            ).format(url=url_mappa(filtro, snap.quartieri))
        )
        st.code(snippet_iframe(filtro, snap.quartieri), language="html", wrap_lines=True)
        st.markdown(
            _(
                "Dati aperti, sempre aggiornati: [punti.csv](/dati/punti.csv) · [punti.geojson](/dati/punti.geojson) "
                "· [quartieri.geojson](/dati/quartieri.geojson) · [sportelli.csv](/dati/sportelli.csv) · "
                "[calendario degli sportelli]({ics}) · [catalogo DCAT-AP_IT](/dati/catalogo.jsonld)."
            ).format(ics="/dati/orari.ics" + (f"?quartiere={filtro.quartiere}" if filtro.quartiere else ""))
        )
