"""Ore di volontariato: weekly desk hours of the community points against the 6-hour minimum."""

import datetime as dt

import streamlit as st

from cittadelnoi import fmt, ui
from cittadelnoi.charts_sportelli import grafico_matrice, grafico_ore_punti, grafico_zone, nome_breve
from cittadelnoi.sportelli import (
    FONTE_MINIMO,
    FUSO,
    ORARIO_DIMOSTRATIVO,
    ORARIO_NON_DOCUMENTATO,
    ORE_MINIME,
    aperto_ora,
    filtra,
    fonti_documentate,
    matrice_oraria,
    ore_settimanali,
    ore_testo,
    tabella_punti,
    totali_per_zona,
)

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
punti, sportelli = filtra(snap.punti, snap.sportelli, codici)
quartieri = snap.quartieri[snap.quartieri["codice_istat"].isin(codici)]
adesso = dt.datetime.now(FUSO)

ore = ore_settimanali(sportelli, punti)
aperti = aperto_ora(sportelli, adesso)
con_orario = ore[ore["orario"] != ORARIO_NON_DOCUMENTATO]
senza_orario = ore[ore["orario"] == ORARIO_NON_DOCUMENTATO]
sotto = con_orario[con_orario["sotto_minimo"].fillna(False).astype(bool)]
minimo = ore_testo(ORE_MINIME)

st.title("Ore di volontariato agli sportelli")
ambito = "in tutta la città" if not filtro.attivo else (
    f"nel quartiere {snap.quartieri.set_index('codice_istat').at[filtro.quartiere, 'nome']}"
    if filtro.quartiere else f"nella zona {filtro.zona}")
st.caption(f"Ogni punto di comunità dovrebbe tenere aperto lo sportello gestito da volontari almeno {minimo} ore a "
           f"settimana (Fondazione Cariplo). Vista {ambito}.")

# With no known schedule in the selection the figures are unknown, not zero.
ignoto = "nessun punto" if ore.empty else "non documentate"
c1, c2, c3 = st.columns(3)
c1.metric("Ore a settimana", ore_testo(con_orario["ore"].sum()) if not con_orario.empty else ignoto,
          help="Ore di apertura degli sportelli: somma delle fasce orarie dei punti con orario noto (documentato o dimostrativo). "
               "I punti con orari non documentati non sono contati.")
c2.metric("Punti sotto il minimo", f"{fmt.numero(len(sotto))} su {fmt.numero(len(con_orario))}" if not con_orario.empty else "—",
          help=f"Punti con orario noto aperti meno di {minimo} ore a settimana.")
c3.metric("Punti aperti adesso", fmt.numero(len(aperti)) if not con_orario.empty else "—",
          help=f"Alle {adesso:%H:%M} di {fmt.data(adesso.date(), formato='EEEE d MMMM')} (ora di Roma).")

demo = con_orario[con_orario["orario"] == ORARIO_DIMOSTRATIVO]
if not demo.empty:
    documentati = [nome_breve(n) for n in con_orario.loc[con_orario["orario"] != ORARIO_DIMOSTRATIVO, "nome"]]
    ui.avviso_dimostrativo(
        f"gli orari di {fmt.numero(len(demo))} dei {fmt.numero(len(con_orario))} punti con orario sono inventati a scopo "
        "dimostrativo (fonte «dimostrativo: orario non noto»; colonna «Dati» della tabella). "
        + (f"Orari documentati: {', '.join(documentati)}. " if documentati else "Nessun orario documentato nella selezione. ")
        + "Vanno sostituiti con gli orari reali in data/sportelli.csv."
    )
if not senza_orario.empty:
    nomi = ", ".join(nome_breve(n) for n in senza_orario["nome"])
    st.info(f"**Orari non documentati:** {nomi}. Questi punti sono attivi ma le fonti pubbliche non riportano l'orario "
            "dello sportello: non sono contati né come 0 ore né come sotto il minimo.", icon=":material/help:")
if ore.empty:
    st.info("Nessun punto di comunità attivo nella selezione.", icon=":material/info:")
    st.stop()

if aperti:
    nomi_aperti = ", ".join(nome_breve(n) for n in punti.set_index("id").loc[aperti, "nome"])
    st.success(f"**Aperti adesso** ({adesso:%H:%M}): {nomi_aperti}", icon=":material/door_open:")
elif not con_orario.empty:
    st.caption(f"Nessuno sportello aperto adesso ({adesso:%H:%M}, ora di Roma).")

fonti_reali = "; ".join(fonti_documentate(sportelli))
fonte_orari = (f"orari documentati: {fonti_reali}; " if fonti_reali else "") + (
    "altri orari dimostrativi (data/sportelli.csv)" if not demo.empty else "data/sportelli.csv")
fonte_minimo = f"minimo di {minimo} ore/settimana: {FONTE_MINIMO}"

st.plotly_chart(grafico_ore_punti(ore), theme=None, key="ore_punti",
                alt=f"Barre delle ore settimanali per punto; {len(sotto)} punti sotto il minimo di {minimo} ore.")
ui.fonte(f"{fonte_orari}; {fonte_minimo}.")

if con_orario.empty:
    st.caption("Nessun orario noto nella selezione: il calendario settimanale e i totali per zona non sono disponibili.")
else:
    st.plotly_chart(grafico_matrice(matrice_oraria(sportelli)), theme=None, key="matrice_oraria",
                    alt="Mappa di calore giorno per ora: quanti sportelli sono aperti in ogni ora della settimana.")
    st.caption("Ogni casella somma, sui punti, la parte dell'ora in cui lo sportello è aperto: 0,5 = un punto aperto per mezz'ora.")
    ui.fonte(f"{fonte_orari}.")

    st.plotly_chart(grafico_zone(totali_per_zona(sportelli, punti, quartieri)), theme=None, key="ore_zone",
                    alt="Barre delle ore settimanali per zona, divise tra orari documentati e dimostrativi.")
    ui.fonte(f"{fonte_orari}; zone: Comune di Brescia, confini dei quartieri (2022).")

st.subheader("Tabella dei punti")
st.dataframe(tabella_punti(ore, sportelli, snap.quartieri, aperti), hide_index=True, key="tabella_ore")
ui.fonte(f"{fonte_orari}; {fonte_minimo}.")
