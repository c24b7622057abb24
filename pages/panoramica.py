"""Panoramica: where the community points are, and which quartieri still have none."""

import streamlit as st
from streamlit_folium import st_folium

from cittadelnoi import fmt, ui
from cittadelnoi.mapview import Selezione, costruisci_mappa
from cittadelnoi.panoramica import orari_testo, tabella_quartieri
from cittadelnoi.stato import kpi

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
k = kpi(snap.stati, snap.punti, codici)

st.title("Punti di comunità nei quartieri")
ambito = "in tutta la città" if not filtro.attivo else (
    f"nel quartiere {snap.quartieri.set_index('codice_istat').at[filtro.quartiere, 'nome']}"
    if filtro.quartiere else f"nella zona {filtro.zona}")
st.caption(f"Obiettivo del progetto: un punto di comunità in ognuno dei {len(snap.quartieri)} quartieri. Vista {ambito}.")

c1, c2, c3, c4 = st.columns(4)
c1.metric("Punti attivi", fmt.numero(k.punti_attivi))
c2.metric("Punti in apertura", fmt.numero(k.punti_in_apertura))
c3.metric("Quartieri senza punto", fmt.numero(k.quartieri_mancanti))
c4.metric("Copertura", f"{k.quartieri_coperti}/{k.quartieri_totali} · {fmt.percentuale(k.copertura)}",
          help="Quartieri con almeno un punto attivo, sul totale dei quartieri nella vista.")
if k.punti_dimostrativi:
    st.badge(f"{k.punti_dimostrativi} punti dimostrativi: vedi la nota sotto la mappa", icon=":material/science:", color="orange")


def _al_click() -> None:
    clicked = (st.session_state.get("mappa_panoramica") or {}).get("last_active_drawing")
    props = (clicked or {}).get("properties") or {}
    code = props.get("codice_istat")
    if code in set(snap.quartieri["codice_istat"]):
        zona = snap.quartieri.set_index("codice_istat").at[code, "zona"]
        ui.seleziona_quartiere(code, zona)


mappa = costruisci_mappa(
    ui.layer_mappa(snap),
    snap.punti,
    orari_testo(snap.sportelli),
    Selezione(frozenset(codici), filtro.quartiere),
)
st_folium(
    mappa,
    key="mappa_panoramica",
    height=560,
    use_container_width=True,
    # Only a click on a quartiere reruns the script: panning and zooming stay in the browser.
    returned_objects=["last_active_drawing"],
    on_change=_al_click,
)
if k.punti_dimostrativi:
    ui.avviso_dimostrativo(
        f"{k.punti_dimostrativi} dei punti mostrati sono segnaposto: le fonti pubbliche documentano il numero di punti "
        "attivi (20 a dicembre 2025) ma il luogo di soli 4 (Don Bosco, Mompiano, Primo Maggio, Lamarmora). "
        "Sulla mappa hanno il bordo tratteggiato."
    )

st.caption("Clic su un quartiere per selezionarlo. La posizione dei punti è indicativa (centro del quartiere): "
           "gli indirizzi non sono ancora geocodificati.")
ui.fonte("Comune di Brescia, confini dei quartieri (2022); registro dei punti in data/punti.csv, con la fonte di ogni riga.")

with st.expander("Tabella dei quartieri", expanded=filtro.quartiere is not None):
    st.dataframe(tabella_quartieri(snap.stati, codici), hide_index=True, width="stretch")
