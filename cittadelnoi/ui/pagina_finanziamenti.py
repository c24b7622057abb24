"""The funding page's parts (pages/finanziamenti.py): the value of volunteering estimated from the
points' reports, and the sections under the first screen. Figures from `metrics.finanziamenti`
and `metrics.rendiconti`, charts from `views.charts_finanziamenti`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cittadelnoi.core import fmt, paths
from cittadelnoi.core.i18n import _
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.metrics import finanziamenti as m_fin
from cittadelnoi.metrics import rendiconti as m_rend
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui.widgets import fonte, scarica_tabella, tabella
from cittadelnoi.ui.widgets import grafico as mostra_grafico
from cittadelnoi.views import charts_finanziamenti as ch

PLOTLY_CONFIG = {"displaylogo": False}


def testo(df: pd.DataFrame, id_: str) -> str:
    return m_fin.testo_valore(fin.cifra(df, id_))


def riga():
    # A wrapping row, not st.columns: on a 1024-pixel projector four columns cut "non stimato" short.
    return st.container(horizontal=True, gap="medium")


def valore_volontariato(contenitore, snap: Snapshot) -> str | None:
    """The metric «Valore del volontariato» in `contenitore`: the person-hours reported in the
    chosen year × the hourly value an amministratore set (with its source) on the Gestione page, as
    an estimate; «non stimato» (the funding file's figure) until both exist. Returns the sources
    line of the estimate, or None when it is not estimated."""
    anni = m_rend.anni(snap.rendiconti)
    valore = snap.valore_orario
    if not anni or valore is None:
        perche = (
            _("Il valore orario del volontariato non è ancora stato impostato sulla pagina Gestione.")
            if valore is None
            else _("Nessun rendiconto mensile inviato dai punti: le ore di volontariato non sono note.")
        )
        contenitore.metric(
            _("Valore del volontariato"),
            testo(snap.finanziamenti, fin.VOLONTARIATO),
            help=_("La fonte dice che il valore economico del volontariato non è ancora stato stimato: non è zero.")
            + " "
            + perche,
        )
        return None
    anno = (
        anni[0] if len(anni) == 1 else st.selectbox(_("Anno delle ore di volontariato"), anni, key="anno_volontariato")
    )
    ore = m_rend.totali_anno(snap.rendiconti, anno)["ore_volontariato"]
    stima = m_rend.valore_volontariato(ore, valore[0])
    if stima is None or ore is None:
        contenitore.metric(_("Valore del volontariato"), testo(snap.finanziamenti, fin.VOLONTARIATO))
        return None
    contenitore.metric(
        _("Valore del volontariato"),
        _("{valore} (stima)").format(valore=fmt.euro_compatto(stima) if stima >= 1e6 else fmt.euro(stima)),
        help=_(
            "Stima calcolata da noi: {ore} ore di volontariato rendicontate dai punti nel {anno} × {euro} l'ora."
        ).format(ore=fmt.ore(ore), anno=anno, euro=fmt.euro(valore[0], decimali=2)),
    )
    return _(
        "valore del volontariato (stima {anno}): ore dai rendiconti mensili dei punti ({file}); valore orario: {fonte}"
    ).format(anno=anno, file=paths.file_dati("rendiconti.csv"), fonte=valore[1])


def sezioni(df: pd.DataFrame, crescita: str) -> None:
    """Everything under the first screen: the Comune's spending, who provides the services, the
    project, the figures per resident, every figure with its source."""
    st.subheader(_("La spesa del Comune"))
    grafico, cifre = st.columns([3, 2])
    with grafico:
        mostra_grafico(
            ch.barre_spesa_comunale(df),
            config=PLOTLY_CONFIG,
            alt=_(
                "Barre: spesa effettiva del Comune per il welfare, {prima} nel 2013 e {dopo} nel 2016 "
                "({crescita}, calcolato)."
            ).format(prima=testo(df, fin.COMUNE_2013), dopo=testo(df, fin.COMUNE_2016), crescita=crescita),
        )
    with cifre:
        st.metric(
            _("Spesa comunale effettiva 2016"),
            testo(df, fin.COMUNE_2016),
            _("{crescita} dal 2013 (calcolato)").format(crescita=crescita),
            delta_color="off",
        )
        st.metric(_("Spesa comunale effettiva 2013"), testo(df, fin.COMUNE_2013))
        st.caption(
            _(
                "La crescita è calcolata dalle due cifre: ({dopo} − {prima}) / {prima} = {crescita}. "
                "Gli articoli scrivevano «+10%», che queste cifre non danno."
            ).format(dopo=testo(df, fin.COMUNE_2016), prima=testo(df, fin.COMUNE_2013), crescita=crescita)
        )
    fonte(m_fin.fonti(df, [fin.COMUNE_2013, fin.COMUNE_2016]))

    st.subheader(_("Chi eroga i servizi (2016)"))
    s = riga()
    s.metric(
        _("Erogatori oltre al Comune"),
        testo(df, fin.EROGATORI),
        help=_("Associazioni, cooperative, enti ecclesiastici, fondazioni."),
    )
    s.metric(_("Servizi di welfare censiti"), testo(df, fin.SERVIZI))
    s.metric(
        _("Servizi a gestione comunale"), testo(df, fin.QUOTA_COMUNALE), help=_("Il resto è gestito dal terzo settore.")
    )
    ids_servizi = [fin.EROGATORI, fin.SERVIZI, fin.QUOTA_COMUNALE]
    if fin.CITTADINI_SEGUITI in df.index:
        s.metric(_("Cittadini seguiti dai servizi comunali"), testo(df, fin.CITTADINI_SEGUITI))
        ids_servizi.append(fin.CITTADINI_SEGUITI)
    fonte(m_fin.fonti(df, ids_servizi))

    st.subheader(_("Il progetto Brescia Città del Noi"))
    grafico, cifre = st.columns([3, 2])
    with grafico:
        mostra_grafico(
            ch.barre_progetto(df),
            config=PLOTLY_CONFIG,
            alt=_(
                "Barre: budget del progetto {budget}, contributo di Fondazione Cariplo {cariplo} in tre anni."
            ).format(budget=testo(df, fin.BUDGET), cariplo=testo(df, fin.CARIPLO)),
        )
    with cifre:
        st.metric(
            _("Budget del progetto"),
            testo(df, fin.BUDGET),
            help=_("La fonte scrive «oltre 3 milioni»: è un valore minimo."),
        )
        st.metric(
            _("Contributo di Fondazione Cariplo"), testo(df, fin.CARIPLO), help=_("Welfare in azione, in tre anni.")
        )
    fonte(m_fin.fonti(df, [fin.BUDGET, fin.CARIPLO]))

    st.subheader(_("Per residente (derivato)"))
    st.caption(
        _(
            "Calcolato sui {residenti} residenti al 1° gennaio 2024: le nostre fonti non hanno la popolazione del 2016, "
            "quindi è un ordine di grandezza, non il dato per abitante del 2016."
        ).format(residenti=fmt.numero(fin.valore(df, fin.POPOLAZIONE)))
    )
    r = riga()
    for etichetta, id_ in [
        (_("Welfare totale 2016 per residente"), fin.TOTALE),
        (_("Quota delle famiglie per residente"), fin.FAMIGLIE),
        (_("Spesa comunale 2016 per residente"), fin.COMUNE_2016),
    ]:
        r.metric(etichetta, m_fin.testo_per_residente(m_fin.per_residente(fin.valore(df, id_), df)))
    fonte(m_fin.fonti(df, [fin.POPOLAZIONE, fin.TOTALE, fin.COMUNE_2016]))

    with st.expander(_("Tutte le cifre e le fonti")):
        # st.table, not st.dataframe: it wraps long sources instead of cutting them off.
        tabella_cifre = m_fin.tabella(df)
        tabella(tabella_cifre)
        scarica_tabella(tabella_cifre, _("finanziamenti"), "finanziamenti")
        st.markdown("**{}**".format(_("Valori calcolati da noi")))
        tabella(
            pd.DataFrame(
                [[c.nome, c.testo, c.formula] for c in m_fin.calcoli(df)],
                columns=[_("Valore calcolato"), _("Risultato"), _("Calcolo")],
            )
        )
