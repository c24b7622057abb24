"""The overview's parts above its panels: the view's heading with «Stato al», the map, the figures.

`pages/panoramica.py` lays them out (side by side in presentation mode); the panels below the map
are in `ui.panoramica_pannelli`.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from cittadelnoi.core import fmt, paths
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.metrics.filtri import Filtro
from cittadelnoi.metrics.registro import (
    conta_da_riconfermare,
    frase_conteggio,
    frase_da_riconfermare,
    frase_incompleto,
    regola_riconferma,
)
from cittadelnoi.metrics.stato import kpi
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui.archivio import (
    base_mappa,
    giorno_della_vista,
    layer_mappa,
    nota_senza_data,
    primo_giorno_storico,
    snapshot_al,
    snapshot_confronto,
    storico_disponibile,
)
from cittadelnoi.ui.condividi import link_cittadino, qr_vista
from cittadelnoi.ui.filtri import data_confronto, punto_scelto, scegli_punto, seleziona_quartiere
from cittadelnoi.ui.presentazione import in_presentazione
from cittadelnoi.ui.testo import md
from cittadelnoi.ui.widgets import avviso_dimostrativo, fonte, mappa, variazione
from cittadelnoi.views.mapview import Selezione, mappa_da_base, strato_selezione

#: The map's widget key: its value carries the clicked quartiere or the open point.
CHIAVE_MAPPA = "mappa_panoramica"


def intestazione(snap: Snapshot, filtro: Filtro, oggi: dt.date) -> tuple[dt.date, Snapshot]:
    """Title, the view's scope and the «Stato al» slider; returns (the chosen day, the register on that day).

    The day is `oggi` unless the slider goes back; the snapshot is `snap` itself for today.
    """
    nomi = snap.quartieri.set_index("codice_istat")["nome"]
    st.title(_("Punti di comunità nei quartieri"))
    if filtro.quartiere:
        ambito = _("Vista del quartiere {nome}.").format(nome=md(nomi[filtro.quartiere]))
    elif filtro.zona:
        ambito = _("Vista della zona {zona}.").format(zona=md(filtro.zona))
    else:
        ambito = _("Vista di tutta la città.")
    st.caption(
        _("Obiettivo del progetto: un punto di comunità in ognuno dei {n} quartieri.").format(n=len(snap.quartieri))
        + " "
        + ambito
    )
    # "Stato al": the same page as it was on a past day, from the register's history.
    al = oggi
    primo = primo_giorno_storico() if storico_disponibile() else None
    if primo is not None and primo < oggi:
        al = st.slider(
            _("Stato al"),
            min_value=primo,
            max_value=oggi,
            value=oggi,
            format="DD/MM/YYYY",
            key="stato_al",
            help=_(
                "Sposta il cursore per vedere mappa e cifre come erano in quel giorno, secondo lo storico del registro."
            ),
        )
    vista = snap if al >= oggi else (snapshot_al(al) or snap)
    if vista is not snap:
        st.info(
            _("Stato al {data}: mappa e cifre come risultavano dal registro in quel giorno.").format(data=fmt.data(al))
            + nota_senza_data(snap),
            icon=":material/history:",
        )
    return al, vista


def _al_click(snap: Snapshot, punti_visibili: pd.DataFrame) -> None:
    valore = st.session_state.get(CHIAVE_MAPPA) or {}
    # The map reports the point whose popup is open (its id, or null once closed: static/mappa.js),
    # opened by a click or by Enter on the marker; an id not shown in this view is no point.
    if "punto" in valore:
        punto = valore["punto"]
        scegli_punto(punto if isinstance(punto, str) and punto in set(punti_visibili["id"]) else None)
        return
    # Else a click on a quartiere: after every selection the map forgets the last one it sent
    # (static/mappa.js, cdnSeleziona), so each value here is a new click, also on the same quartiere.
    clicked = valore.get("last_active_drawing")
    proprieta = clicked.get("properties") if isinstance(clicked, dict) else None
    code = proprieta.get("codice_istat") if isinstance(proprieta, dict) else None
    if isinstance(code, str) and code in set(snap.quartieri["codice_istat"]):
        zona = snap.quartieri.set_index("codice_istat").at[code, "zona"]
        seleziona_quartiere(code, zona)


def mappa_della_vista(snap: Snapshot, vista: Snapshot, codici: set[str], filtro: Filtro) -> None:
    """The overview's map of `vista`: a click on a quartiere selects it, a point's popup sets `?punto=`.

    The same map script for every pick (data, language): the selection and the open point travel
    apart, as st_folium's feature group, and the live map applies them without being drawn again.
    """
    punti_visibili = vista.punti[vista.punti["codice_istat"].isin(codici)]
    mappa(
        mappa_da_base(base_mappa(vista)),
        key=CHIAVE_MAPPA,
        altezza=560,
        feature_group_to_add=strato_selezione(
            layer_mappa(vista), Selezione(frozenset(codici), filtro.quartiere), punto_scelto()
        ),
        # Only a click on a quartiere (and the map's report of an open point) reruns the script:
        # panning and zooming stay in the browser.
        returned_objects=["last_active_drawing"],
        on_change=partial(_al_click, snap, punti_visibili),
    )


def cifre(snap: Snapshot, vista: Snapshot, codici: set[str], al: dt.date, oggi: dt.date) -> int:
    """The four figures with their change since the sidebar's date, the counts and notes below them.

    Returns the number of sample ("dimostrativo") points in the view. The change compares two
    registers where a point with no documented opening date is never new (both sides).
    """
    presenta = in_presentazione()
    k = kpi(vista.stati, vista.punti, codici)
    completezza = vista.completezza
    dal = data_confronto()
    rif = snapshot_confronto(dal) if dal is not None and dal < al else None
    k0 = kpi(rif.stati, rif.punti, codici) if rif is not None else None
    ora_c = (snap if al >= oggi else snapshot_confronto(al)) if k0 is not None else None
    kc = kpi(ora_c.stati, ora_c.punti, codici) if ora_c is not None else k

    with st.container(key="kpi"):
        if presenta:
            c1, c2, c3, c4 = *st.columns(2), *st.columns(2)
        else:
            c1, c2, c3, c4 = st.columns(4)
        c1.metric(
            _("Punti attivi nel registro") if not completezza.completo else _("Punti attivi"),
            fmt.numero(k.punti_attivi),
            help=frase_conteggio(completezza),
            **variazione(kc.punti_attivi, k0.punti_attivi if k0 else None, dal),
        )
        c2.metric(
            _("Punti in apertura"),
            fmt.numero(k.punti_in_apertura),
            **variazione(kc.punti_in_apertura, k0.punti_in_apertura if k0 else None, dal),
        )
        c3.metric(
            _("Quartieri senza punto") if completezza.completo else _("Quartieri senza punto documentato"),
            fmt.numero(k.quartieri_mancanti),
            **variazione(kc.quartieri_mancanti, k0.quartieri_mancanti if k0 else None, dal, meglio_se_scende=True),
        )
        c4.metric(
            _("Copertura"),
            f"{k.quartieri_coperti}/{k.quartieri_totali} · {fmt.percentuale(k.copertura)}",
            help=_("Quartieri con almeno un punto attivo, sul totale dei quartieri nella vista."),
            **variazione(kc.quartieri_coperti, k0.quartieri_coperti if k0 else None, dal),
        )
    # Points whose last confirmation is old (or missing), in the view, on the view's day.
    punti_visibili = vista.punti[vista.punti["codice_istat"].isin(codici)]
    if not punti_visibili.empty:
        st.caption(
            frase_da_riconfermare(
                conta_da_riconfermare(punti_visibili, giorno_della_vista(vista)), len(punti_visibili)
            ),
            help=regola_riconferma(),
        )
    # The published count stays visible and apart from the register: it is a figure with its source.
    if (conteggio := frase_conteggio(completezza)) is not None:
        if not completezza.completo:
            conteggio += " " + _("Punti non ancora nel registro: {k}.").format(
                k=fmt.numero(completezza.non_nel_registro)
            )
        st.markdown(md(conteggio))
    if not presenta and (perche := frase_incompleto(completezza)) is not None:
        st.caption(perche)
    if k.punti_dimostrativi:
        st.badge(
            ngettext(
                "{n} punto dimostrativo: vedi la nota sotto la mappa",
                "{n} punti dimostrativi: vedi la nota sotto la mappa",
                k.punti_dimostrativi,
            ).format(n=k.punti_dimostrativi)
            if not presenta
            else ngettext(
                "{n} punto dimostrativo (bordo tratteggiato)",
                "{n} punti dimostrativi (bordo tratteggiato)",
                k.punti_dimostrativi,
            ).format(n=k.punti_dimostrativi),
            icon=":material/science:",
            color="orange",
        )
    if presenta:
        qr_vista()
    else:
        link_cittadino()
    return k.punti_dimostrativi


def note_mappa(vista: Snapshot, dimostrativi: int) -> None:
    """Below the map: the sample-points warning, how to read the map, its sources."""
    if dimostrativi:
        avviso_dimostrativo(
            _(
                "{n} dei punti mostrati sono segnaposto: le fonti pubbliche documentano il numero di punti attivi "
                "(20 a dicembre 2025) ma il luogo di soli 4 (Don Bosco, Mompiano, Primo Maggio, Lamarmora). "
                "Sulla mappa hanno il bordo tratteggiato."
            ).format(n=dimostrativi)
        )
    indicative = int(vista.punti["posizione"].eq("centro_quartiere").sum())
    st.caption(
        _(
            "Clic su un quartiere per selezionarlo, su un punto per i suoi orari. I numeri sulla mappa sono quelli "
            "dei quartieri (elenco a sinistra della mappa); avvicinando la mappa compaiono i nomi."
        )
        + " "
        + (
            ngettext(
                "{n} punto senza un luogo documentato è disegnato al centro del suo quartiere con un quadrato a "
                "puntini: «posizione indicativa».",
                "{n} punti senza un luogo documentato sono disegnati al centro del loro quartiere con un quadrato a "
                "puntini: «posizione indicativa».",
                indicative,
            ).format(n=fmt.numero(indicative))
            if indicative
            else _("Ogni punto è nel luogo registrato.")
        )
    )
    fonte(
        _(
            "Comune di Brescia, confini dei quartieri (2022); registro dei punti in {file}, con la fonte di ogni riga."
        ).format(file=paths.file_dati("punti.csv"))
    )
