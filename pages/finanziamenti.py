"""Finanziamenti: how much Brescia's welfare costs and who pays, each figure with its source."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.metrics import finanziamenti as m_fin
from cittadelnoi.ui import pagina_finanziamenti as pf
from cittadelnoi.views import charts_finanziamenti as ch

snap = ui.dati()
df = snap.finanziamenti
filtro = ui.filtro()


def testo(id_: str) -> str:
    return pf.testo(df, id_)


quota_famiglie = fmt.percentuale(m_fin.quota_famiglie(df))
quota_resto = fmt.percentuale(m_fin.quota_resto(df))
crescita = m_fin.testo_crescita(m_fin.crescita_spesa_comunale(df))
del_totale = _("del totale")

st.title(_("Finanziamenti del welfare cittadino"))
st.caption(
    _(
        "Chi paga il welfare a Brescia e quanto vale il progetto. Ogni cifra ha la sua fonte; "
        "quelle calcolate da noi sono indicate come «derivato» o «calcolato»."
    )
)
if filtro.attivo:
    st.info(_("Dati cittadini: il filtro per quartiere non si applica a questa pagina."), icon=":material/info:")

st.subheader(_("Il welfare cittadino nel 2016"))
k = pf.riga()
k.metric(_("Risorse totali per il welfare"), testo(fin.TOTALE), help=_("Anno 2016, Bilancio Sociale Partecipato."))
k.metric(
    _("A carico delle famiglie"),
    testo(fin.FAMIGLIE),
    quota_famiglie,
    delta_color="off",
    delta_arrow="off",
    delta_description=del_totale,
)
k.metric(
    _("Altre fonti (derivato)"),
    testo(fin.ALTRE_FONTI),
    quota_resto,
    delta_color="off",
    delta_arrow="off",
    delta_description=del_totale,
    help=_("Calcolato da noi: totale meno la quota delle famiglie. Le fonti non dicono come si ripartisce."),
)
fonte_stima = pf.valore_volontariato(k, snap)
ui.grafico(
    ch.treemap_welfare(df),
    config=pf.PLOTLY_CONFIG,
    alt=_(
        "Riquadri proporzionali: {totale} di risorse per il welfare nel 2016, di cui {famiglie} a carico delle "
        "famiglie ({quota_famiglie}) e {altre} da altre fonti ({quota_altre}, valore derivato)."
    ).format(
        totale=testo(fin.TOTALE),
        famiglie=testo(fin.FAMIGLIE),
        quota_famiglie=quota_famiglie,
        altre=testo(fin.ALTRE_FONTI),
        quota_altre=quota_resto,
    ),
)
ui.fonte(
    m_fin.fonti(df, [fin.TOTALE, fin.FAMIGLIE, fin.ALTRE_FONTI, fin.VOLONTARIATO])
    + (f"; {fonte_stima}" if fonte_stima else "")
)
if ui.in_presentazione():
    st.stop()  # one screen on the projector: the other sections are for reading
pf.sezioni(df, crescita)
