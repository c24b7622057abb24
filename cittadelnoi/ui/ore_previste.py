"""The volunteer-hours page's second part: the planned weekly desk slots («orario previsto»).

The weekly hours of the points' documented slots against the minimum that finanziamenti.csv
states (row ore_minime_sportello), when the desks are open now, the week's calendar, the zone
totals and the table of the points. Figures from `metrics.ore` and `metrics.aperture`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st

from cittadelnoi.core import fmt, paths, tempo
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.metrics.aperture import aperto_ora, prossime_aperture_testo
from cittadelnoi.metrics.ore import (
    ORARIO_DIMOSTRATIVO,
    ORARIO_NON_DOCUMENTATO,
    filtra,
    fonti_documentate,
    matrice_oraria,
    ore_settimanali,
    tabella_punti,
    totali_per_zona,
)
from cittadelnoi.metrics.panoramica import documentato_per_punto
from cittadelnoi.metrics.registro import testi_aggiornato_referente
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui.archivio import conferme, orari_sportelli, snapshot_confronto, sportelli_per_punto
from cittadelnoi.ui.archivio import ore_settimanali as ore_settimanali_in_cache
from cittadelnoi.ui.filtri import data_confronto
from cittadelnoi.ui.piede import ferma_pagina
from cittadelnoi.ui.presentazione import in_presentazione
from cittadelnoi.ui.segnala import tabella_con_segnala
from cittadelnoi.ui.testo import md
from cittadelnoi.ui.widgets import avviso_dimostrativo, fonte, grafico, scarica_tabella, variazione
from cittadelnoi.views.charts_sportelli import grafico_matrice, grafico_ore_punti, grafico_zone, nome_breve


@dataclass
class Vista:
    """What every part of the section reads: the snapshot and the points, slots, hours in view."""

    snap: Snapshot
    codici: set[str]
    punti: pd.DataFrame
    sportelli: pd.DataFrame
    quartieri: gpd.GeoDataFrame
    adesso: dt.datetime
    ore_minime: float
    ore: pd.DataFrame
    aperti: list[str]
    con_orario: pd.DataFrame
    senza_orario: pd.DataFrame
    sotto: pd.DataFrame
    minimo: str
    file_orari: str


def vista(snap: Snapshot, codici: set[str]) -> Vista:
    punti, sportelli = filtra(snap.punti, snap.sportelli, codici)
    ore_minime = fin.ore_minime(snap.finanziamenti)
    ore = ore_settimanali_in_cache(snap, ore_minime, codici)
    adesso = tempo.adesso()
    con_orario = ore[ore["orario"] != ORARIO_NON_DOCUMENTATO]
    return Vista(
        snap=snap,
        codici=codici,
        punti=punti,
        sportelli=sportelli,
        quartieri=snap.quartieri[snap.quartieri["codice_istat"].isin(codici)],
        adesso=adesso,
        ore_minime=ore_minime,
        ore=ore,
        aperti=aperto_ora(sportelli, adesso),
        con_orario=con_orario,
        senza_orario=ore[ore["orario"] == ORARIO_NON_DOCUMENTATO],
        sotto=con_orario[con_orario["sotto_minimo"].fillna(False).astype(bool)],
        minimo=fmt.ore(ore_minime),
        # The file the slots were read from, as cited under every figure (esempio/ in the sample mode).
        file_orari=paths.file_dati("sportelli.csv"),
    )


def fonte_minimo(v: Vista) -> str:
    return _("minimo di {ore} ore/settimana: {fonte}").format(
        ore=v.minimo, fonte=fin.fonte(v.snap.finanziamenti, fin.ORE_MINIME)
    )


def _fonte_orari(v: Vista) -> str:
    """Sources are cited as written; only our own words around them are translated."""
    fonti_reali = "; ".join(fonti_documentate(v.sportelli))
    demo = v.con_orario[v.con_orario["orario"] == ORARIO_DIMOSTRATIVO]
    return (_("orari documentati: {fonti}").format(fonti=fonti_reali) + "; " if fonti_reali else "") + (
        _("altri orari dimostrativi ({file})").format(file=v.file_orari) if not demo.empty else v.file_orari
    )


def _documentato(v: Vista) -> None:
    """What is documented comes first: the schedules with their sources, and the desk hours a source
    describes only in words."""
    snap = v.snap
    punti = v.punti
    sportelli = v.sportelli
    ore = v.ore
    orari = orari_sportelli(snap)
    documentati = documentato_per_punto(punti, sportelli, orari)
    presenta = in_presentazione()
    if presenta:
        # One screen on the projector: one line instead of the list (the list is on the page outside the slide).
        st.caption(
            _("Orario o giorni di sportello documentati per {n} dei {totale} punti della vista.").format(
                n=fmt.numero(len(documentati)), totale=fmt.numero(len(punti))
            )
        )
    else:
        st.subheader(_("Cosa è documentato"))
        if documentati:
            st.markdown(
                "\n".join(
                    f"- **{md(nome)}**: {md(testo)} — {md(_('fonte: {fonte}').format(fonte=fonte))}"
                    for nome, testo, fonte in documentati
                )
            )
        else:
            st.caption(_("Nessun orario di sportello documentato nella selezione."))
        vol = ore[ore["ore_volontario"].notna()] if "ore_volontario" in ore else ore.iloc[0:0]
        if not vol.empty:
            st.markdown(
                _("**Ore-volontario** (volontari × ore, dove il numero di volontari è noto): {testo}.").format(
                    testo=fmt.elenco(
                        list(zip(vol["nome"].tolist(), vol["ore_volontario"].tolist(), strict=True)),
                        separatore="; ",
                        come=lambda nv: f"{md(nome_breve(nv[0]))} {fmt.ore(float(nv[1]))} h",
                    )
                )
            )
        elif not ore.empty:
            st.caption(
                _("Il numero di volontari non è documentato per nessuno sportello: le ore-volontario non sono note.")
            )


def _metriche(v: Vista) -> None:
    codici = v.codici
    adesso = v.adesso
    ore_minime = v.ore_minime
    ore = v.ore
    aperti = v.aperti
    minimo = v.minimo
    con_orario = v.con_orario
    sotto = v.sotto
    # With no known schedule in the selection the figures are unknown, not zero.
    ignoto = _("nessun punto") if ore.empty else _("non documentate")
    ora = f"{adesso:%H:%M}"
    # Change since the sidebar's reference date, when the history reaches it.
    dal = data_confronto()
    rif = snapshot_confronto(dal) if dal is not None else None
    ore_prima = sotto_prima = None
    # Desk hours entered the history later than the statuses: with no slot at all on that day the
    # history does not reach it for hours, and no change is shown (not "+116").
    if rif is not None and not rif.sportelli.empty:
        punti_prima, sportelli_prima = filtra(rif.punti, rif.sportelli, codici)
        ore_p = ore_settimanali(sportelli_prima, punti_prima, ore_minime)
        noti_p = ore_p[ore_p["orario"] != ORARIO_NON_DOCUMENTATO]
        ore_prima = float(noti_p["ore"].sum())
        sotto_prima = int(noti_p["sotto_minimo"].fillna(False).astype(bool).sum())
    with st.container(key="kpi"):
        c1, c2, c3 = st.columns(3)
    c1.metric(
        _("Ore a settimana"),
        fmt.ore(con_orario["ore"].sum()) if not con_orario.empty else ignoto,
        **(variazione(float(con_orario["ore"].sum()), ore_prima, dal) if not con_orario.empty else {}),
        help=_(
            "Ore di apertura degli sportelli: somma delle fasce orarie dei punti con orario noto (documentato o "
            "dimostrativo). I punti con orari non documentati non sono contati."
        ),
    )
    c2.metric(
        _("Punti sotto il minimo"),
        _("{n} su {totale}").format(n=fmt.numero(len(sotto)), totale=fmt.numero(len(con_orario)))
        if not con_orario.empty
        else "—",
        help=_("Punti con orario noto aperti meno di {ore} ore a settimana.").format(ore=minimo),
        **(variazione(len(sotto), sotto_prima, dal, meglio_se_scende=True) if not con_orario.empty else {}),
    )
    c3.metric(
        _("Punti aperti adesso"),
        fmt.numero(len(aperti)) if not con_orario.empty else "—",
        help=_("Alle {ora} di {giorno} (ora di Roma).").format(
            ora=ora, giorno=fmt.data(adesso.date(), formato="EEEE d MMMM")
        ),
    )


def _avvisi(v: Vista) -> None:
    punti = v.punti
    sportelli = v.sportelli
    quartieri = v.quartieri
    ore_minime = v.ore_minime
    ore = v.ore
    con_orario = v.con_orario
    senza_orario = v.senza_orario
    file_orari = v.file_orari
    demo = con_orario[con_orario["orario"] == ORARIO_DIMOSTRATIVO]
    if in_presentazione():
        # One screen on the projector: the figures, one line on demo data, the hours per zona.
        if not demo.empty:
            st.caption(
                "⚠ "
                + _("Dati dimostrativi")
                + ": "
                + _("gli orari di {n} dei {totale} punti con orario sono inventati a scopo dimostrativo.").format(
                    n=fmt.numero(len(demo)), totale=fmt.numero(len(con_orario))
                )
            )
        if not con_orario.empty:
            grafico(
                grafico_zone(totali_per_zona(sportelli, punti, quartieri, ore_minime, ore=ore)),
                theme=None,
                key="ore_zone",
                alt=_("Barre delle ore settimanali per zona, divise tra orari documentati e dimostrativi."),
            )
            fonte(_("{file}; zone: Comune di Brescia, confini dei quartieri (2022).").format(file=file_orari))
        ferma_pagina()
    if not demo.empty:
        documentati = con_orario.loc[con_orario["orario"] != ORARIO_DIMOSTRATIVO, "nome"].tolist()
        avviso_dimostrativo(
            _(
                "gli orari di {n} dei {totale} punti con orario sono inventati a scopo dimostrativo (fonte «dimostrativo: "
                "orario non noto»; colonna «Dati» della tabella)."
            ).format(n=fmt.numero(len(demo)), totale=fmt.numero(len(con_orario)))
            + " "
            + (
                _("Orari documentati: {nomi}.").format(nomi=fmt.elenco(documentati, come=nome_breve))
                if documentati
                else _("Nessun orario documentato nella selezione.")
            )
            + " "
            + _("Vanno sostituiti con gli orari reali in {file}.").format(file=file_orari)
        )
    if not senza_orario.empty:
        nomi = md(fmt.elenco(senza_orario["nome"].tolist(), come=nome_breve))
        st.info(
            _(
                "**Orari non documentati:** {nomi}. Questi punti sono attivi ma le fonti pubbliche non riportano l'orario "
                "dello sportello: non sono contati né come 0 ore né come sotto il minimo."
            ).format(nomi=nomi),
            icon=":material/help:",
        )
    if ore.empty:
        st.info(_("Nessun punto di comunità attivo nella selezione."), icon=":material/info:")
        ferma_pagina()


def _grafici(v: Vista) -> None:
    punti = v.punti
    sportelli = v.sportelli
    quartieri = v.quartieri
    adesso = v.adesso
    ore_minime = v.ore_minime
    ore = v.ore
    aperti = v.aperti
    minimo = v.minimo
    con_orario = v.con_orario
    sotto = v.sotto
    ora = f"{adesso:%H:%M}"
    if aperti:
        nomi_aperti = md(fmt.elenco(punti.set_index("id").loc[aperti, "nome"].tolist(), come=nome_breve))
        st.success(
            _("**Aperti adesso** ({ora}): {nomi}").format(ora=ora, nomi=nomi_aperti), icon=":material/door_open:"
        )
    elif not con_orario.empty:
        st.caption(_("Nessuno sportello aperto adesso ({ora}, ora di Roma).").format(ora=ora))

    fonte_orari, fonte_min = _fonte_orari(v), fonte_minimo(v)

    grafico(
        grafico_ore_punti(ore, ore_minime),
        theme=None,
        key="ore_punti",
        alt=ngettext(
            "Barre delle ore settimanali per punto; {n} punto sotto il minimo di {ore} ore.",
            "Barre delle ore settimanali per punto; {n} punti sotto il minimo di {ore} ore.",
            len(sotto),
        ).format(n=fmt.numero(len(sotto)), ore=minimo),
    )
    fonte(f"{fonte_orari}; {fonte_min}.")

    if con_orario.empty:
        st.caption(
            _("Nessun orario noto nella selezione: il calendario settimanale e i totali per zona non sono disponibili.")
        )
    elif len(con_orario) == 1:
        # One schedule: a weekly calendar and zone totals would only repeat it.
        st.caption(
            _(
                "Un solo orario noto nella selezione ({nome}): il calendario settimanale e i totali per zona si mostrano "
                "quando gli orari noti sono almeno due."
            ).format(nome=md(nome_breve(con_orario["nome"].iloc[0])))
        )
    else:
        grafico(
            grafico_matrice(matrice_oraria(sportelli)),
            theme=None,
            key="matrice_oraria",
            alt=_("Mappa di calore giorno per ora: quanti sportelli sono aperti in ogni ora della settimana."),
        )
        st.caption(
            _(
                "Ogni casella somma, sui punti, la parte dell'ora in cui lo sportello è aperto: {mezza} = un punto "
                "aperto per mezz'ora."
            ).format(mezza=fmt.numero(0.5, 1))
        )
        fonte(f"{fonte_orari}.")

        grafico(
            grafico_zone(totali_per_zona(sportelli, punti, quartieri, ore_minime, ore=ore)),
            theme=None,
            key="ore_zone",
            alt=_("Barre delle ore settimanali per zona, divise tra orari documentati e dimostrativi."),
        )
        fonte("{}; {}.".format(fonte_orari, _("zone: Comune di Brescia, confini dei quartieri (2022)")))


def _tabella(v: Vista) -> None:
    snap = v.snap
    punti = v.punti
    sportelli = v.sportelli
    adesso = v.adesso
    ore_minime = v.ore_minime
    ore = v.ore
    aperti = v.aperti
    fonte_orari, fonte_min = _fonte_orari(v), fonte_minimo(v)
    st.subheader(_("Tabella dei punti"))
    per_punto = sportelli_per_punto(snap)
    prossime = prossime_aperture_testo(sportelli, adesso, per_punto.minuti)
    tabella_ore = tabella_punti(
        ore,
        sportelli,
        snap.quartieri,
        aperti,
        ore_minime,
        prossime=prossime,
        gia_pronti=per_punto,
        conferme=conferme(snap),
        aggiornati=testi_aggiornato_referente(punti),
    )
    # The rows are `ore` in tabella_punti's order (most hours first, then by name): each links to the report form.
    ordine = ore.sort_values(["ore", "nome"], ascending=[False, True], na_position="last")["id"]
    tabella_con_segnala(tabella_ore, "punto", ordine, hide_index=True, key="tabella_ore")
    scarica_tabella(tabella_ore, _("ore-di-sportello"), "ore")
    fonte(f"{fonte_orari}; {fonte_min}.")


def sezione(snap: Snapshot, codici: set[str]) -> None:
    """The planned weekly desk hours of the points in the quartieri `codici`."""
    v = vista(snap, codici)
    if not in_presentazione():  # the slide keeps its one screen
        st.subheader(_("Orario previsto: le fasce settimanali"))
    _documentato(v)
    _metriche(v)
    _avvisi(v)
    _grafici(v)
    _tabella(v)
