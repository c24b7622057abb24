"""Finanziamenti: how much Brescia's welfare costs and who pays, each figure with its source."""

import pandas as pd
import streamlit as st

from cittadelnoi import charts_finanziamenti as ch
from cittadelnoi import finanziamenti as fin
from cittadelnoi import fmt, ui

PLOTLY_CONFIG = {"displaylogo": False}

snap = ui.dati()
df = snap.finanziamenti
filtro = ui.filtro()


def testo(id_: str) -> str:
    return fin.testo_valore(fin.cifra(df, id_))


def riga():
    # A wrapping row, not st.columns: on a 1024-pixel projector four columns cut "non stimato" short.
    return st.container(horizontal=True, gap="medium")


quota_famiglie = fmt.percentuale(fin.quota_famiglie(df))
quota_resto = fmt.percentuale(fin.quota_resto(df))
crescita = fin.testo_crescita(fin.crescita_spesa_comunale(df))

st.title("Finanziamenti del welfare cittadino")
st.caption("Chi paga il welfare a Brescia e quanto vale il progetto. Ogni cifra ha la sua fonte; "
           "quelle calcolate da noi sono indicate come «derivato» o «calcolato».")
if filtro.attivo:
    st.info("Dati cittadini: il filtro per quartiere non si applica a questa pagina.", icon=":material/info:")

st.subheader("Il welfare cittadino nel 2016")
k = riga()
k.metric("Risorse totali per il welfare", testo(fin.TOTALE), help="Anno 2016, Bilancio Sociale Partecipato.")
k.metric("A carico delle famiglie", testo(fin.FAMIGLIE), quota_famiglie,
         delta_color="off", delta_arrow="off", delta_description="del totale")
k.metric("Altre fonti (derivato)", testo(fin.ALTRE_FONTI), quota_resto,
         delta_color="off", delta_arrow="off", delta_description="del totale",
         help="Calcolato da noi: totale meno la quota delle famiglie. Le fonti non dicono come si ripartisce.")
k.metric("Valore del volontariato", testo(fin.VOLONTARIATO),
         help="La fonte dice che il valore economico del volontariato non è ancora stato stimato: non è zero.")
st.plotly_chart(ch.treemap_welfare(df), config=PLOTLY_CONFIG,
                alt=f"Riquadri proporzionali: {testo(fin.TOTALE)} di risorse per il welfare nel 2016, di cui "
                    f"{testo(fin.FAMIGLIE)} a carico delle famiglie ({quota_famiglie}) e {testo(fin.ALTRE_FONTI)} "
                    f"da altre fonti ({quota_resto}, valore derivato).")
ui.fonte(fin.fonti(df, [fin.TOTALE, fin.FAMIGLIE, fin.ALTRE_FONTI, fin.VOLONTARIATO]))

st.subheader("La spesa del Comune")
grafico, cifre = st.columns([3, 2])
with grafico:
    st.plotly_chart(ch.barre_spesa_comunale(df), config=PLOTLY_CONFIG,
                    alt=f"Barre: spesa effettiva del Comune per il welfare, {testo(fin.COMUNE_2013)} nel 2013 e "
                        f"{testo(fin.COMUNE_2016)} nel 2016 ({crescita}, calcolato).")
with cifre:
    st.metric("Spesa comunale effettiva 2016", testo(fin.COMUNE_2016), f"{crescita} dal 2013 (calcolato)", delta_color="off")
    st.metric("Spesa comunale effettiva 2013", testo(fin.COMUNE_2013))
    st.caption(f"La crescita è calcolata dalle due cifre: ({testo(fin.COMUNE_2016)} − {testo(fin.COMUNE_2013)}) / "
               f"{testo(fin.COMUNE_2013)} = {crescita}. Gli articoli scrivevano «+10%», che queste cifre non danno.")
ui.fonte(fin.fonti(df, [fin.COMUNE_2013, fin.COMUNE_2016]))

st.subheader("Chi eroga i servizi (2016)")
s = riga()
s.metric("Erogatori oltre al Comune", testo(fin.EROGATORI), help="Associazioni, cooperative, enti ecclesiastici, fondazioni.")
s.metric("Servizi di welfare censiti", testo(fin.SERVIZI))
s.metric("Servizi a gestione comunale", testo(fin.QUOTA_COMUNALE), help="Il resto è gestito dal terzo settore.")
ids_servizi = [fin.EROGATORI, fin.SERVIZI, fin.QUOTA_COMUNALE]
if fin.CITTADINI_SEGUITI in df.index:
    s.metric("Cittadini seguiti dai servizi comunali", testo(fin.CITTADINI_SEGUITI))
    ids_servizi.append(fin.CITTADINI_SEGUITI)
ui.fonte(fin.fonti(df, ids_servizi))

st.subheader("Il progetto Brescia Città del Noi")
grafico, cifre = st.columns([3, 2])
with grafico:
    st.plotly_chart(ch.barre_progetto(df), config=PLOTLY_CONFIG,
                    alt=f"Barre: budget del progetto {testo(fin.BUDGET)}, contributo di Fondazione Cariplo "
                        f"{testo(fin.CARIPLO)} in tre anni.")
with cifre:
    st.metric("Budget del progetto", testo(fin.BUDGET), help="La fonte scrive «oltre 3 milioni»: è un valore minimo.")
    st.metric("Contributo di Fondazione Cariplo", testo(fin.CARIPLO), help="Welfare in azione, in tre anni.")
ui.fonte(fin.fonti(df, [fin.BUDGET, fin.CARIPLO]))

st.subheader("Per residente (derivato)")
st.caption(f"Calcolato sui {fmt.numero(fin.valore(df, fin.POPOLAZIONE))} residenti al 1° gennaio 2024: le nostre fonti "
           "non hanno la popolazione del 2016, quindi è un ordine di grandezza, non il dato per abitante del 2016.")
r = riga()
for etichetta, id_ in [("Welfare totale 2016 per residente", fin.TOTALE),
                       ("Quota delle famiglie per residente", fin.FAMIGLIE),
                       ("Spesa comunale 2016 per residente", fin.COMUNE_2016)]:
    r.metric(etichetta, fin.testo_per_residente(fin.per_residente(fin.valore(df, id_), df)))
ui.fonte(fin.fonti(df, [fin.POPOLAZIONE, fin.TOTALE, fin.COMUNE_2016]))

with st.expander("Tutte le cifre e le fonti"):
    # st.table, not st.dataframe: it wraps long sources instead of cutting them off.
    st.table(fin.tabella(df), hide_index=True)
    st.markdown("**Valori calcolati da noi**")
    st.table(
        pd.DataFrame([{"Valore calcolato": c.nome, "Risultato": c.testo, "Calcolo": c.formula} for c in fin.calcoli(df)]),
        hide_index=True,
    )
