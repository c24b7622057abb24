"""Dove aprire il prossimo punto: quartieri without a point, ranked by what the data supports."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt
from cittadelnoi.core.i18n import _
from cittadelnoi.metrics.priorita import classifica, uso_residenti
from cittadelnoi.metrics.registro import frase_conteggio
from cittadelnoi.ui.segnala import tabella_con_segnala
from cittadelnoi.ui.testo import md
from cittadelnoi.views.esporta import tabella_dove_aprire
from cittadelnoi.views.mapview import Classifica, Selezione, costruisci_mappa

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
completezza = snap.completezza

tutti = classifica(snap.stati, snap.punti)
righe = tutti[tutti["codice_istat"].isin(codici)]
uso = uso_residenti(tutti)  # the ranks are city-wide: residents are used only if every ranked quartiere has one
presenta = ui.in_presentazione()


def testata() -> None:
    st.title(_("Dove aprire il prossimo punto"))
    st.caption(_("Quartieri senza alcun punto di comunità, dal più lontano da un punto attivo al più vicino."))
    if not completezza.completo:
        # Some quartieri in the list may already have one of the points the register does not locate.
        st.warning(
            md(
                _(
                    "Il registro non contiene ancora tutti i punti attivi: {conteggio} Alcuni quartieri di questo "
                    "elenco potrebbero avere già uno dei {k} punti non ancora nel registro."
                ).format(conteggio=frase_conteggio(completezza), k=fmt.numero(completezza.non_nel_registro))
            ),
            icon=":material/help:",
        )


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
    # Unknown values in words, never NaN or None (no active point: no distance, no nearest point).
    classifica_vista = tabella_dove_aprire(righe)
    with colonna_tabella:
        if righe["distanza_km"].isna().all():
            st.info(_("Nessun punto attivo nel registro: le distanze non si possono misurare."), icon=":material/info:")
        tabella_con_segnala(classifica_vista, "quartiere", righe["codice_istat"], hide_index=True, width="stretch")
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
    if uso.usati:
        st.caption(
            _("Ordine per residenti lontani da un punto: residenti {anno} × distanza (residenti-km).").format(
                anno=uso.anno
            )
        )
    else:
        motivi = []
        if uso.senza_cifra:
            motivi.append(_("mancano le cifre dei residenti di {nomi}").format(nomi=", ".join(uso.senza_cifra)))
        if len(uso.anni) > 1:
            motivi.append(
                _("le cifre sono di anni diversi ({anni}) e non si confrontano").format(
                    anni=", ".join(str(a) for a in uso.anni)
                )
            )
        st.info(
            md(
                _("Residenti non usati nella classifica: {motivi}. Resta l'ordine per distanza.").format(
                    motivi="; ".join(motivi)
                )
            ),
            icon=":material/groups:",
        )

st.subheader(_("Come è fatta la classifica"))
st.markdown(
    _(
        "- **Chi entra:** i quartieri senza punti di comunità nel registro (né attivi né in apertura).\n"
        "- **Ordine:** prima i quartieri il cui centro è più lontano dal punto attivo più vicino, perché lì chi abita "
        "ha meno vicino uno sportello. A parità di distanza, prima il quartiere più grande.\n"
        "- **Residenti:** quando ogni quartiere dell'elenco ha la cifra dei residenti dello stesso anno, l'ordine è "
        "per residenti × distanza (senza punti attivi: per residenti). Anni diversi non si mescolano mai; se manca "
        "una cifra resta l'ordine per distanza e la pagina dice quale manca.\n"
        "- **Come si misura:** la distanza in linea d'aria, in metri (proiezione UTM 32N), tra un punto interno al "
        "quartiere e la posizione registrata di ogni punto attivo. I punti senza un luogo documentato stanno al "
        "centro del loro quartiere, quindi le distanze da quei punti sono indicative."
    )
)
ui.fonte(
    _(
        "Comune di Brescia, confini dei quartieri (2022); registro dei punti; residenti per quartiere con la fonte "
        "di ogni cifra (colonna «Fonte dei residenti»)."
    )
)
