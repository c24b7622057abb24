"""Dove aprire il prossimo punto: quartieri without a point, ranked by what the data supports."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.metrics.priorita import classifica
from cittadelnoi.views.mapview import Classifica, Selezione, costruisci_mappa

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)

tutti = classifica(snap.stati, snap.punti)
righe = tutti[tutti["codice_istat"].isin(codici)]
presenta = ui.in_presentazione()


def testata() -> None:
    st.title(_("Dove aprire il prossimo punto"))
    st.caption(_("Quartieri senza alcun punto di comunità, dal più lontano da un punto attivo al più vicino."))


# On the projector the title sits above the table, beside the map at the screen's height.
accanto = presenta and not righe.empty
if not accanto:
    testata()
# The ranking's map beside its table: rank numbers on the quartieri, darker = sooner. Ranks are
# the city-wide ones, as in the table, also when the filter shows part of the city.
if not righe.empty:
    colonna_tabella, colonna_mappa = st.columns([2, 3] if presenta else [1, 1], gap="medium")
    if accanto:
        with colonna_tabella:
            testata()
    with colonna_mappa:
        ui.mappa(
            costruisci_mappa(
                ui.layer_mappa(snap),
                snap.punti.iloc[0:0],
                {},
                Selezione(frozenset(codici), filtro.quartiere),
                classifica=Classifica(
                    dict(zip(righe["codice_istat"], righe["posizione"].astype(int), strict=False)),
                    _("Priorità (1 = prima)"),
                    len(tutti),
                ),
            ),
            key="mappa_dove_aprire",
            altezza=520,
            returned_objects=[],
        )
else:
    colonna_tabella = st.container()
if righe.empty:
    st.success(
        _("Nella vista scelta ogni quartiere ha già un punto attivo o in apertura."), icon=":material/check_circle:"
    )
else:
    tabella = righe.assign(
        distanza=righe["distanza_km"].map(lambda d: fmt.numero(d, 2) + " km"),
        area=righe["area_km2"].map(lambda a: fmt.numero(a, 2) + " km²"),
        # Demo points already say "(dimostrativo)" in their name.
        vicino=righe["punto_piu_vicino"],
    )
    classifica_vista = tabella[["posizione", "nome", "zona", "distanza", "area", "vicino"]].rename(
        columns={
            "posizione": _("Priorità"),
            "nome": _("Quartiere"),
            "zona": _("Zona"),
            "distanza": _("Distanza dal punto attivo più vicino"),
            "vicino": _("Punto attivo più vicino"),
            "area": _("Area"),
        }
    )
    with colonna_tabella:
        st.dataframe(classifica_vista, hide_index=True, width="stretch")
        if presenta:
            st.stop()  # one screen on the projector: the method is for reading
        ui.scarica_tabella(classifica_vista, _("dove-aprire"), "dove_aprire")
    if righe["vicino_dimostrativo"].any():
        ui.avviso_dimostrativo(
            _(
                "Per alcuni quartieri il punto più vicino è un punto dimostrativo, la cui posizione non è reale: "
                "le distanze cambieranno quando il registro conterrà i punti veri."
            )
        )

st.subheader(_("Come è fatta la classifica"))
st.markdown(
    _(
        "- **Chi entra:** i quartieri senza punti di comunità (né attivi né in apertura).\n"
        "- **Ordine:** prima i quartieri il cui centro è più lontano dal punto attivo più vicino, perché lì chi abita "
        "ha meno vicino uno sportello. A parità di distanza, prima il quartiere più grande.\n"
        "- **Come si misura:** la distanza in linea d'aria, in metri (proiezione UTM 32N), tra un punto interno al "
        "quartiere e la posizione registrata di ogni punto attivo. Oggi le posizioni sono indicative (centro del "
        "quartiere), quindi anche le distanze lo sono.\n"
        "- **Cosa manca:** la popolazione per quartiere non ha ancora una fonte, quindi non è usata. "
        "Con quel dato la classifica dovrebbe pesare i residenti lontani da un punto."
    )
)
ui.fonte(_("Comune di Brescia, confini dei quartieri (2022); registro dei punti in data/punti.csv."))
