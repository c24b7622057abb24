"""The volunteer-hours page's first part: what the points reported month by month (rendiconti).

Figures from `metrics.rendiconti`, charts from `views.charts_rendiconti`; this module only lays
them out. A point or month without a sent report reads «non rendicontato», never 0.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cittadelnoi.core import fmt, paths, tempo
from cittadelnoi.core.i18n import _, ngettext
from cittadelnoi.metrics import rendiconti as m_rend
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.ui.presentazione import in_presentazione
from cittadelnoi.ui.widgets import fonte, grafico, scarica_tabella
from cittadelnoi.views.charts_rendiconti import (
    etichetta_mese,
    grafico_mesi,
    grafico_punti_mesi,
    grafico_volontariato,
)
from cittadelnoi.views.charts_sportelli import nome_breve


def fonte_rendiconti(rendiconti: pd.DataFrame) -> str:
    """The sources the reports cite, as written, and the file or database they come from."""
    fonti = sorted({f for f in rendiconti["fonte"] if isinstance(f, str)})
    dove = _("rendiconti mensili dei punti ({file})").format(file=paths.file_dati("rendiconti.csv"))
    return dove + (": " + "; ".join(fonti[:5]) if fonti else "")


def _metriche(per_mese: pd.DataFrame, mesi: list[str]) -> None:
    periodo = _("da {primo} a {ultimo}").format(primo=etichetta_mese(mesi[0]), ultimo=etichetta_mese(mesi[-1]))
    rendicontati, attesi = int(per_mese["rendicontati"].sum()), int(per_mese["attesi"].sum())

    def somma(colonna: str) -> str:
        valori = per_mese[colonna]
        return fmt.ore(float(valori.sum())) if valori.notna().any() else _("non rendicontate")

    with st.container(key="kpi_rendiconti"):
        c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        _("Ore di sportello effettuate"),
        somma("ore_sportello"),
        help=_("Somma delle ore di apertura rendicontate, {periodo}.").format(periodo=periodo),
    )
    c2.metric(
        _("Ore di volontariato"),
        somma("ore_volontariato"),
        help=_("Ore-persona: la somma delle ore date da tutti i volontari, {periodo}.").format(periodo=periodo),
    )
    accessi = per_mese["accessi"]
    c3.metric(
        _("Accessi allo sportello"),
        fmt.numero(int(accessi.sum())) if accessi.notna().any() else _("non rendicontati"),
        help=_("Persone venute allo sportello, {periodo}.").format(periodo=periodo),
    )
    c4.metric(
        _("Mesi rendicontati"),
        _("{n} su {totale}").format(n=fmt.numero(rendicontati), totale=fmt.numero(attesi)),
        help=_("Rendiconti inviati sul totale atteso (punti attivi × mesi), {periodo}.").format(periodo=periodo),
    )


def _totali_anno(rendiconti: pd.DataFrame, anno: int) -> None:
    tot = m_rend.totali_anno(rendiconti, anno)
    if not tot["rendiconti"]:
        st.caption(_("Nessun rendiconto inviato per il {anno}.").format(anno=anno))
        return
    parti = [
        ngettext("{n} rendiconto", "{n} rendiconti", int(tot["rendiconti"] or 0)).format(
            n=fmt.numero(tot["rendiconti"] or 0)
        )
        + " "
        + ngettext("di {punti} punto", "di {punti} punti", int(tot["punti"] or 0)).format(
            punti=fmt.numero(tot["punti"] or 0)
        )
    ]
    for chiave, etichetta in (
        ("ore_sportello", _("ore di sportello")),
        ("ore_volontariato", _("ore di volontariato")),
    ):
        v = tot[chiave]
        parti.append(f"{fmt.ore(float(v))} {etichetta}" if v is not None else f"{etichetta}: {_('non rendicontate')}")
    acc = tot["accessi"]
    parti.append(
        ngettext("{n} accesso", "{n} accessi", int(acc)).format(n=fmt.numero(int(acc)))
        if acc is not None
        else _("accessi non rendicontati")
    )
    st.markdown("**" + _("Totali del {anno}").format(anno=anno) + "**: " + "; ".join(parti) + ".")


def sezione(snap: Snapshot, codici: set[str], ore_minime: float, fonte_minimo: str) -> bool:
    """The reported hours of the points in the quartieri `codici`: figures for the last 12 months,
    charts per month and per point, tables per month and per point or zona with downloads.
    Returns True when some report was shown (in presentation mode, the slide is then complete)."""
    presenta = in_presentazione()
    mesi = m_rend.ultimi_mesi(tempo.oggi())
    punti = snap.punti[snap.punti["codice_istat"].isin(codici)]
    rendiconti = snap.rendiconti[snap.rendiconti["id_punto"].isin(set(punti["id"]))]
    tabella = m_rend.tabella_mesi(rendiconti, punti, mesi, ore_minime)
    # One screen on the projector: the reports' figures and the chart per month, or nothing.
    if presenta and not tabella["rendicontato"].any():
        return False
    if not presenta:
        st.subheader(_("Ore effettuate: i rendiconti mensili"))
        st.caption(
            _(
                "Quanto hanno fatto i punti, mese per mese, secondo i rendiconti dei referenti. Minimo mensile: {ore} "
                "ore a settimana × le settimane del mese (giorni / 7), per esempio {esempio} ore in un mese di 31 "
                "giorni. Contano i rendiconti inviati: un punto o un mese senza rendiconto è «non rendicontato», mai 0."
            ).format(ore=fmt.ore(ore_minime), esempio=fmt.ore(m_rend.ore_minime_mese("2025-01", ore_minime)))
        )
    if tabella.empty:
        st.info(_("Nessun punto attivo nella selezione: nessun rendiconto atteso."), icon=":material/info:")
        return False
    per_mese = m_rend.per_mese(tabella)
    _metriche(per_mese, mesi)
    if not tabella["rendicontato"].any():
        st.info(
            _(
                "Nessun rendiconto inviato negli ultimi 12 mesi per i {n} punti della selezione: le ore effettuate "
                "non sono note (non rendicontate, non zero). I referenti li inseriscono dalla pagina «Il mio punto»."
            ).format(n=fmt.numero(tabella["id"].nunique())),
            icon=":material/help:",
        )
        return False
    fonti = f"{fonte_rendiconti(rendiconti)}; {fonte_minimo}"
    figura = grafico_mesi(per_mese)
    if presenta:
        figura.update_layout(height=300)  # the slide's figures, chart and source on a 1280x720 screen
    grafico(
        figura,
        theme=None,
        key="rendiconti_mesi",
        alt=_("Barre delle ore di sportello effettuate per mese, con il minimo dei punti che hanno rendicontato."),
    )
    fonte(fonti + ".")
    if presenta:
        return True
    grafico(
        grafico_volontariato(per_mese),
        theme=None,
        key="rendiconti_volontariato",
        alt=_("Barre delle ore di volontariato per mese e linea degli accessi allo sportello."),
    )
    fonte(fonte_rendiconti(rendiconti) + ".")
    grafico(
        grafico_punti_mesi(tabella),
        theme=None,
        key="rendiconti_punti",
        alt=_("Griglia punto per mese: ore di sportello effettuate rispetto al minimo, o «non rendicontato»."),
    )
    fonte(fonti + ".")
    _totali_anno(snap.rendiconti[snap.rendiconti["id_punto"].isin(set(punti["id"]))], int(mesi[-1][:4]))

    per_mese_t = m_rend.tabella_riassunto(per_mese, _("Mese"), [etichetta_mese(m) for m in per_mese.index])
    st.markdown("**" + _("Per mese") + "**")
    st.dataframe(per_mese_t, hide_index=True, key="tabella_rendiconti_mesi")
    scarica_tabella(per_mese_t, _("rendiconti-per-mese"), "rendiconti_mesi")

    vista = st.radio(_("Ultimi 12 mesi"), [_("per punto"), _("per zona")], horizontal=True, key="rendiconti_vista")
    if vista == _("per zona"):
        agg = m_rend.per_zona(tabella, snap.quartieri)
        t = m_rend.tabella_riassunto(agg, _("Zona"), list(agg.index))
    else:
        agg = m_rend.per_punto(tabella)
        t = m_rend.tabella_riassunto(agg, _("Punto"), [nome_breve(n) for n in agg["nome"]])
    st.dataframe(t, hide_index=True, key="tabella_rendiconti_punti")
    scarica_tabella(t, _("rendiconti-12-mesi"), "rendiconti_punti")
    fonte(fonti + ".")
    return True
