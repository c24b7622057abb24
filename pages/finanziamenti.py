"""Finanziamenti: how much Brescia's welfare costs and who pays, each figure with its source."""

import pandas as pd
import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.loaders import finanziamenti as fin
from cittadelnoi.metrics import finanziamenti as m_fin
from cittadelnoi.views import charts_finanziamenti as ch

PLOTLY_CONFIG = {"displaylogo": False}

snap = ui.dati()
df = snap.finanziamenti
filtro = ui.filtro()


def testo(id_: str) -> str:
    return m_fin.testo_valore(fin.cifra(df, id_))


def riga():
    # A wrapping row, not st.columns: on a 1024-pixel projector four columns cut "non stimato" short.
    return st.container(horizontal=True, gap="medium")


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
k = riga()
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
k.metric(
    _("Valore del volontariato"),
    testo(fin.VOLONTARIATO),
    help=_("La fonte dice che il valore economico del volontariato non è ancora stato stimato: non è zero."),
)
ui.grafico(
    ch.treemap_welfare(df),
    config=PLOTLY_CONFIG,
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
ui.fonte(m_fin.fonti(df, [fin.TOTALE, fin.FAMIGLIE, fin.ALTRE_FONTI, fin.VOLONTARIATO]))
if ui.in_presentazione():
    st.stop()  # one screen on the projector: the other sections are for reading

st.subheader(_("La spesa del Comune"))
grafico, cifre = st.columns([3, 2])
with grafico:
    ui.grafico(
        ch.barre_spesa_comunale(df),
        config=PLOTLY_CONFIG,
        alt=_(
            "Barre: spesa effettiva del Comune per il welfare, {prima} nel 2013 e {dopo} nel 2016 "
            "({crescita}, calcolato)."
        ).format(prima=testo(fin.COMUNE_2013), dopo=testo(fin.COMUNE_2016), crescita=crescita),
    )
with cifre:
    st.metric(
        _("Spesa comunale effettiva 2016"),
        testo(fin.COMUNE_2016),
        _("{crescita} dal 2013 (calcolato)").format(crescita=crescita),
        delta_color="off",
    )
    st.metric(_("Spesa comunale effettiva 2013"), testo(fin.COMUNE_2013))
    st.caption(
        _(
            "La crescita è calcolata dalle due cifre: ({dopo} − {prima}) / {prima} = {crescita}. "
            "Gli articoli scrivevano «+10%», che queste cifre non danno."
        ).format(dopo=testo(fin.COMUNE_2016), prima=testo(fin.COMUNE_2013), crescita=crescita)
    )
ui.fonte(m_fin.fonti(df, [fin.COMUNE_2013, fin.COMUNE_2016]))

st.subheader(_("Chi eroga i servizi (2016)"))
s = riga()
s.metric(
    _("Erogatori oltre al Comune"),
    testo(fin.EROGATORI),
    help=_("Associazioni, cooperative, enti ecclesiastici, fondazioni."),
)
s.metric(_("Servizi di welfare censiti"), testo(fin.SERVIZI))
s.metric(_("Servizi a gestione comunale"), testo(fin.QUOTA_COMUNALE), help=_("Il resto è gestito dal terzo settore."))
ids_servizi = [fin.EROGATORI, fin.SERVIZI, fin.QUOTA_COMUNALE]
if fin.CITTADINI_SEGUITI in df.index:
    s.metric(_("Cittadini seguiti dai servizi comunali"), testo(fin.CITTADINI_SEGUITI))
    ids_servizi.append(fin.CITTADINI_SEGUITI)
ui.fonte(m_fin.fonti(df, ids_servizi))

st.subheader(_("Il progetto Brescia Città del Noi"))
grafico, cifre = st.columns([3, 2])
with grafico:
    ui.grafico(
        ch.barre_progetto(df),
        config=PLOTLY_CONFIG,
        alt=_("Barre: budget del progetto {budget}, contributo di Fondazione Cariplo {cariplo} in tre anni.").format(
            budget=testo(fin.BUDGET), cariplo=testo(fin.CARIPLO)
        ),
    )
with cifre:
    st.metric(
        _("Budget del progetto"), testo(fin.BUDGET), help=_("La fonte scrive «oltre 3 milioni»: è un valore minimo.")
    )
    st.metric(_("Contributo di Fondazione Cariplo"), testo(fin.CARIPLO), help=_("Welfare in azione, in tre anni."))
ui.fonte(m_fin.fonti(df, [fin.BUDGET, fin.CARIPLO]))

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
ui.fonte(m_fin.fonti(df, [fin.POPOLAZIONE, fin.TOTALE, fin.COMUNE_2016]))

with st.expander(_("Tutte le cifre e le fonti")):
    # st.table, not st.dataframe: it wraps long sources instead of cutting them off.
    tabella_cifre = m_fin.tabella(df)
    ui.tabella(tabella_cifre)
    ui.scarica_tabella(tabella_cifre, _("finanziamenti"), "finanziamenti")
    st.markdown("**{}**".format(_("Valori calcolati da noi")))
    ui.tabella(
        pd.DataFrame(
            [[c.nome, c.testo, c.formula] for c in m_fin.calcoli(df)],
            columns=[_("Valore calcolato"), _("Risultato"), _("Calcolo")],
        )
    )
