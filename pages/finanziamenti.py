"""Finanziamenti: how much Brescia's welfare costs and who pays, each figure with its source."""

import streamlit as st

from cittadelnoi import charts_finanziamenti as ch
from cittadelnoi import finanziamenti as fin
from cittadelnoi import fmt, ui

snap = ui.dati()
df = snap.finanziamenti
filtro = ui.filtro()


def testo(id_: str) -> str:
    return fin.testo_valore(fin.cifra(df, id_))


PLOTLY_CONFIG = {"displaylogo": False}

st.title("Finanziamenti del welfare cittadino")
st.caption("Chi paga il welfare a Brescia e quanto vale il progetto. Ogni cifra ha la sua fonte; "
           "quelle calcolate da noi sono indicate come «derivato» o «calcolato».")
if filtro.attivo:
    st.info("Dati cittadini: il filtro per quartiere non si applica a questa pagina.", icon=":material/info:")

st.subheader("Il welfare cittadino nel 2016")
k1, k2, k3, k4 = st.columns(4)
k1.metric("Risorse totali per il welfare", testo(fin.TOTALE), help="Anno 2016, Bilancio Sociale Partecipato.")
k2.metric("A carico delle famiglie", testo(fin.FAMIGLIE), fmt.percentuale(fin.quota_famiglie(df)),
          delta_color="off", delta_arrow="off", delta_description="del totale")
k3.metric("Altre fonti (derivato)", testo(fin.ALTRE_FONTI), fmt.percentuale(fin.quota_resto(df)),
          delta_color="off", delta_arrow="off", delta_description="del totale",
          help="Calcolato da noi: totale meno la quota delle famiglie. Le fonti non dicono come si ripartisce.")
k4.metric("Valore del volontariato", testo(fin.VOLONTARIATO),
          help="La fonte dice che il valore economico del volontariato non è ancora stato stimato: non è zero.")
st.plotly_chart(ch.treemap_welfare(df), config=PLOTLY_CONFIG,
                alt="Riquadri proporzionali: 173 mln € di risorse per il welfare nel 2016, di cui 71 mln € a carico "
                    "delle famiglie (41%) e 102 mln € da altre fonti (valore derivato).")
ui.fonte(fin.fonti(df, [fin.TOTALE, fin.FAMIGLIE, fin.ALTRE_FONTI, fin.VOLONTARIATO]))

st.subheader("La spesa del Comune")
grafico, cifre = st.columns([3, 2])
with grafico:
    st.plotly_chart(ch.barre_spesa_comunale(df), config=PLOTLY_CONFIG,
                    alt="Barre: spesa effettiva del Comune per il welfare, 29 mln € nel 2013 e 33 mln € nel 2016 (+13,8%).")
with cifre:
    crescita = fin.testo_crescita(fin.crescita_spesa_comunale(df))
    st.metric("Spesa comunale effettiva 2016", testo(fin.COMUNE_2016), f"{crescita} dal 2013 (calcolato)", delta_color="off")
    st.metric("Spesa comunale effettiva 2013", testo(fin.COMUNE_2013))
    st.caption(f"La crescita è calcolata dalle due cifre: ({testo(fin.COMUNE_2016)} − {testo(fin.COMUNE_2013)}) / "
               f"{testo(fin.COMUNE_2013)} = {crescita}. Gli articoli scrivevano «+10%», che queste cifre non danno.")
ui.fonte(fin.fonti(df, [fin.COMUNE_2013, fin.COMUNE_2016]))

st.subheader("Chi eroga i servizi (2016)")
s1, s2, s3, s4 = st.columns(4)
s1.metric("Erogatori oltre al Comune", testo(fin.EROGATORI), help="Associazioni, cooperative, enti ecclesiastici, fondazioni.")
s2.metric("Servizi di welfare censiti", testo(fin.SERVIZI))
s3.metric("Servizi a gestione comunale", testo(fin.QUOTA_COMUNALE), help="Il resto è gestito dal terzo settore.")
ids_servizi = [fin.EROGATORI, fin.SERVIZI, fin.QUOTA_COMUNALE]
if fin.CITTADINI_SEGUITI in df.index:
    s4.metric("Cittadini seguiti dai servizi comunali", testo(fin.CITTADINI_SEGUITI))
    ids_servizi.append(fin.CITTADINI_SEGUITI)
ui.fonte(fin.fonti(df, ids_servizi))

st.subheader("Il progetto Brescia Città del Noi")
grafico, cifre = st.columns([3, 2])
with grafico:
    st.plotly_chart(ch.barre_progetto(df), config=PLOTLY_CONFIG,
                    alt="Barre: budget del progetto oltre 3 mln € (2016-2019), contributo di Fondazione Cariplo 1,4 mln € in tre anni.")
with cifre:
    st.metric("Budget del progetto", testo(fin.BUDGET), help="La fonte scrive «oltre 3 milioni»: è un valore minimo.")
    st.metric("Contributo di Fondazione Cariplo", testo(fin.CARIPLO), help="Welfare in azione, in tre anni.")
ui.fonte(fin.fonti(df, [fin.BUDGET, fin.CARIPLO]))

st.subheader("Per residente (derivato)")
pop = fmt.numero(fin.valore(df, fin.POPOLAZIONE))
st.caption(f"Calcolato sui {pop} residenti al 1° gennaio 2024: le nostre fonti non hanno la popolazione del 2016, "
           "quindi è un ordine di grandezza, non il dato per abitante del 2016.")
r1, r2, r3 = st.columns(3)
r1.metric("Welfare totale 2016 per residente", fin.testo_per_residente(fin.per_residente(fin.valore(df, fin.TOTALE), df)))
r2.metric("Quota delle famiglie per residente", fin.testo_per_residente(fin.per_residente(fin.valore(df, fin.FAMIGLIE), df)))
r3.metric("Spesa comunale 2016 per residente", fin.testo_per_residente(fin.per_residente(fin.valore(df, fin.COMUNE_2016), df)))
ui.fonte(fin.fonti(df, [fin.POPOLAZIONE, fin.TOTALE, fin.COMUNE_2016]))

with st.expander("Tutte le cifre e le fonti"):
    st.dataframe(fin.tabella(df), hide_index=True, width="stretch")
    st.markdown("**Valori calcolati da noi**")
    st.dataframe(
        [{"Valore calcolato": c.nome, "Risultato": c.testo, "Calcolo": c.formula} for c in fin.calcoli(df)],
        hide_index=True, width="stretch",
    )
