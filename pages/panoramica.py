"""Panoramica: where the community points are, and which quartieri still have none."""

import streamlit as st

from cittadelnoi import ui
from cittadelnoi.core import fmt, i18n, paths, tempo
from cittadelnoi.core.i18n import _
from cittadelnoi.metrics.filtri import slug
from cittadelnoi.metrics.panoramica import contesto_cittadino, tabella_quartieri
from cittadelnoi.metrics.registro import (
    conta_da_riconfermare,
    frase_conteggio,
    frase_da_riconfermare,
    frase_incompleto,
    regola_riconferma,
)
from cittadelnoi.metrics.stato import kpi
from cittadelnoi.ui.segnala import tabella_con_segnala
from cittadelnoi.ui.testo import md
from cittadelnoi.views import esporta, kit_riunione
from cittadelnoi.views.charts_storico import fonti_documentate, grafico_punti_nel_tempo
from cittadelnoi.views.mapview import Selezione, mappa_da_base, strato_selezione

snap = ui.dati()
filtro = ui.filtro()
codici = filtro.codici(snap.quartieri)
nomi = snap.quartieri.set_index("codice_istat")["nome"]
oggi = tempo.oggi()
presenta = ui.in_presentazione()

# In presentation mode the page is one screen: title, figures, "Stato al" and the QR code on the
# left, the map at the screen's full height on the right. Elsewhere they stack, map below. The
# map is sent before the figures are computed (it is drawn below them all the same), so after a
# pick its update leaves the server first (issue 14, point 4; bench/scelta.py found no gain
# beyond the noise on its own: the browser's share is larger).
if presenta:
    sinistra, destra = st.columns([1, 2], gap="medium")
else:
    sinistra, destra = st.container(), st.container()

with sinistra:
    st.title(_("Punti di comunità nei quartieri"))
    if filtro.quartiere:
        ambito = _("Vista del quartiere {nome}.").format(nome=ui.md(nomi[filtro.quartiere]))
    elif filtro.zona:
        ambito = _("Vista della zona {zona}.").format(zona=ui.md(filtro.zona))
    else:
        ambito = _("Vista di tutta la città.")
    st.caption(
        _("Obiettivo del progetto: un punto di comunità in ognuno dei {n} quartieri.").format(n=len(snap.quartieri))
        + " "
        + ambito
    )

    # "Stato al": the same page as it was on a past day, from the register's history.
    al = oggi
    primo = ui.primo_giorno_storico() if ui.storico_disponibile() else None
    if primo is not None and primo < oggi:
        al = st.slider(
            _("Stato al"),
            min_value=primo,
            max_value=oggi,
            value=oggi,
            format="DD/MM/YYYY",
            key="stato_al",
            help=_(
                "Sposta il cursore per vedere mappa e cifre come erano in quel giorno, secondo lo storico del registro."
            ),
        )
    vista = snap if al >= oggi else (ui.snapshot_al(al) or snap)
    if vista is not snap:
        st.info(
            _("Stato al {data}: mappa e cifre come risultavano dal registro in quel giorno.").format(data=fmt.data(al))
            + ui.nota_senza_data(snap),
            icon=":material/history:",
        )

punti_visibili = vista.punti[vista.punti["codice_istat"].isin(codici)]


def _al_click() -> None:
    valore = st.session_state.get("mappa_panoramica") or {}
    # The map reports the point whose popup is open (its id, or null once closed: static/mappa.js),
    # opened by a click or by Enter on the marker; an id not shown in this view is no point.
    if "punto" in valore:
        punto = valore["punto"]
        ui.scegli_punto(punto if isinstance(punto, str) and punto in set(punti_visibili["id"]) else None)
        return
    # Else a click on a quartiere: after every selection the map forgets the last one it sent
    # (static/mappa.js, cdnSeleziona), so each value here is a new click, also on the same quartiere.
    clicked = valore.get("last_active_drawing")
    proprieta = clicked.get("properties") if isinstance(clicked, dict) else None
    code = proprieta.get("codice_istat") if isinstance(proprieta, dict) else None
    if isinstance(code, str) and code in set(snap.quartieri["codice_istat"]):
        zona = snap.quartieri.set_index("codice_istat").at[code, "zona"]
        ui.seleziona_quartiere(code, zona)


orari = ui.orari_sportelli(vista)
# The same map script for every pick (data, language): the selection and the open point travel
# apart, as st_folium's feature group, and the live map applies them without being drawn again
# (issue 14, point 4).
with destra:
    ui.mappa(
        mappa_da_base(ui.base_mappa(vista)),
        key="mappa_panoramica",
        altezza=560,
        feature_group_to_add=strato_selezione(
            ui.layer_mappa(vista), Selezione(frozenset(codici), filtro.quartiere), ui.punto_scelto()
        ),
        # Only a click on a quartiere (and the map's report of an open point) reruns the script:
        # panning and zooming stay in the browser.
        returned_objects=["last_active_drawing"],
        on_change=_al_click,
    )

with sinistra:
    k = kpi(vista.stati, vista.punti, codici)
    completezza = vista.completezza
    # Change since the sidebar's reference date, when the history reaches it.
    # Change since the sidebar's reference date, when the history reaches it, compared on the
    # register where a point with no documented opening date is never new (both sides).
    dal = ui.data_confronto()
    rif = ui.snapshot_confronto(dal) if dal is not None and dal < al else None
    k0 = kpi(rif.stati, rif.punti, codici) if rif is not None else None
    ora_c = (snap if al >= oggi else ui.snapshot_confronto(al)) if k0 is not None else None
    kc = kpi(ora_c.stati, ora_c.punti, codici) if ora_c is not None else k

    with st.container(key="kpi"):
        if presenta:
            riga1, riga2 = st.columns(2), st.columns(2)
            c1, c2, c3, c4 = *riga1, *riga2
        else:
            c1, c2, c3, c4 = st.columns(4)
        c1.metric(
            _("Punti attivi nel registro") if not completezza.completo else _("Punti attivi"),
            fmt.numero(k.punti_attivi),
            help=frase_conteggio(completezza),
            **ui.variazione(kc.punti_attivi, k0 and k0.punti_attivi, dal),
        )
        c2.metric(
            _("Punti in apertura"),
            fmt.numero(k.punti_in_apertura),
            **ui.variazione(kc.punti_in_apertura, k0 and k0.punti_in_apertura, dal),
        )
        c3.metric(
            _("Quartieri senza punto") if completezza.completo else _("Quartieri senza punto documentato"),
            fmt.numero(k.quartieri_mancanti),
            **ui.variazione(kc.quartieri_mancanti, k0 and k0.quartieri_mancanti, dal, meglio_se_scende=True),
        )
        c4.metric(
            _("Copertura"),
            f"{k.quartieri_coperti}/{k.quartieri_totali} · {fmt.percentuale(k.copertura)}",
            help=_("Quartieri con almeno un punto attivo, sul totale dei quartieri nella vista."),
            **ui.variazione(kc.quartieri_coperti, k0 and k0.quartieri_coperti, dal),
        )
    # Points whose last confirmation is old (or missing), in the view, on the view's day.
    if not punti_visibili.empty:
        st.caption(
            frase_da_riconfermare(
                conta_da_riconfermare(punti_visibili, ui.giorno_della_vista(vista)), len(punti_visibili)
            ),
            help=regola_riconferma(),
        )
    # The published count stays visible and apart from the register: it is a figure with its source.
    if (conteggio := frase_conteggio(completezza)) is not None:
        if not completezza.completo:
            conteggio += " " + _("Punti non ancora nel registro: {k}.").format(
                k=fmt.numero(completezza.non_nel_registro)
            )
        st.markdown(md(conteggio))
    if not presenta and (perche := frase_incompleto(completezza)) is not None:
        st.caption(perche)
    if k.punti_dimostrativi:
        st.badge(
            _("{n} punti dimostrativi: vedi la nota sotto la mappa").format(n=k.punti_dimostrativi)
            if not presenta
            else _("{n} punti dimostrativi (bordo tratteggiato)").format(n=k.punti_dimostrativi),
            icon=":material/science:",
            color="orange",
        )
    if presenta:
        ui.qr_vista()
    else:
        ui.link_cittadino()
if presenta:
    st.stop()  # one screen: the rest of the page is for reading, not for the projector

if k.punti_dimostrativi:
    ui.avviso_dimostrativo(
        _(
            "{n} dei punti mostrati sono segnaposto: le fonti pubbliche documentano il numero di punti attivi "
            "(20 a dicembre 2025) ma il luogo di soli 4 (Don Bosco, Mompiano, Primo Maggio, Lamarmora). "
            "Sulla mappa hanno il bordo tratteggiato."
        ).format(n=k.punti_dimostrativi)
    )

indicative = int(vista.punti["posizione"].eq("centro_quartiere").sum())
st.caption(
    _(
        "Clic su un quartiere per selezionarlo, su un punto per i suoi orari. I numeri sulla mappa sono quelli "
        "dei quartieri (elenco a sinistra della mappa); avvicinando la mappa compaiono i nomi."
    )
    + " "
    + (
        _(
            "{n} punti senza un luogo documentato sono disegnati al centro del loro quartiere con un quadrato a "
            "puntini: «posizione indicativa»."
        ).format(n=fmt.numero(indicative))
        if indicative
        else _("Ogni punto è nel luogo registrato.")
    )
)
ui.fonte(
    _(
        "Comune di Brescia, confini dei quartieri (2022); registro dei punti in {file}, con la fonte di ogni riga."
    ).format(file=paths.file_dati("punti.csv"))
)

# The expanders below run their content only when open (on_change="rerun"): closed, a chart or a
# table would still make every visitor's browser load and start plotly.js or the data grid while
# the map is being drawn, and the server build exports nobody asked for (bench/RESULTS.md, (a)).
# Their state is part of the view's link (?apri=storico,tabella).
if ui.storico_disponibile():
    with st.expander(
        _("Punti di comunità nel tempo"),
        expanded=ui.pannello_aperto("storico", filtro),
        icon=":material/timeline:",
        key="apri_storico",
        on_change="rerun",
    ) as riquadro:
        if riquadro.open and (serie := ui.punti_nel_tempo()) is not None:
            ui.grafico(grafico_punti_nel_tempo(serie, al=al if al < oggi else None), width="stretch")
            st.caption(
                _("Linee: il registro, cambiamento per cambiamento. Simboli: i conteggi pubblicati, con la loro fonte.")
                + ui.nota_senza_data(snap)
            )
            for riga in fonti_documentate(serie):
                st.caption(ui.md(riga))

# Closed unless asked, also after a pick: opened by itself it made the first pick of every session
# load the data grid's code (1.7 MB) and wait for it before the map was redrawn.
with st.expander(
    _("Tabella dei quartieri"), expanded=ui.pannello_aperto("tabella", filtro), key="apri_tabella", on_change="rerun"
) as riquadro:
    if riquadro.open:
        tabella = tabella_quartieri(vista.stati, codici)
        # Shown as 2,63 in Italian (the grid would write 2.63), still sorted and exported as numbers.
        # Each row links to the report form for its quartiere (ui.segnala; not in the download).
        tabella_con_segnala(
            tabella,
            "quartiere",
            tabella[_("Codice ISTAT")],
            formati={_("Area (km²)"): lambda a: fmt.numero(a, 2)},
            hide_index=True,
            width="stretch",
        )
        ui.scarica_tabella(tabella, _("quartieri"), "quartieri")


with st.expander(
    _("Scarica i dati della vista"),
    expanded=ui.pannello_aperto("scarica", filtro),
    icon=":material/download:",
    key="apri_scarica",
    on_change="rerun",
) as riquadro:
    if riquadro.open:
        st.download_button(
            _("Kit per la riunione: questa vista in un file HTML"),
            i18n.nella_lingua_corrente(lambda: ui.kit_riunione(vista, filtro, al if al < oggi else None, orari)),
            file_name=kit_riunione.nome_file(
                tempo.adesso(), [filtro.zona, filtro.quartiere and nomi[filtro.quartiere]]
            ),
            mime="text/html",
            on_click="ignore",
            key="kit_riunione",
            icon=":material/co_present:",
            help=_(
                "Un solo file con filtri, data, cifre, mappa, grafico, tabelle, fonti e licenza: si apre da una "
                "chiavetta senza server né rete e si stampa su A4."
            ),
        )
        st.download_button(
            _("Mappa in GeoJSON (quartieri e punti)"),
            esporta.geojson_bytes(vista.stati, vista.punti, codici, ui.giorno_della_vista(vista)),
            file_name="punti-di-comunita.geojson",
            mime="application/geo+json",
            on_click="ignore",
            key="geojson",
        )
        scelto = filtro.quartiere or st.selectbox(
            _("Scheda stampabile del quartiere"),
            sorted(codici, key=nomi.get),
            format_func=nomi.get,
            key="scheda_quartiere",
        )
        st.download_button(
            _("Scheda stampabile: {nome}").format(nome=ui.md(nomi[scelto])),
            esporta.scheda_quartiere(
                vista.stati,
                vista.punti,
                orari,
                contesto_cittadino(snap.finanziamenti),
                scelto,
                snap.caricato_il,
                ui.giorno_della_vista(vista),
            ).encode("utf-8"),
            file_name=f"scheda-{slug(nomi[scelto])}.html",
            mime="text/html",
            on_click="ignore",
            key="scheda",
            help=_(
                "Una pagina A4 da aprire nel browser e stampare: stato, punti, orari dello sportello e contesto cittadino."
            ),
        )


with st.expander(
    _("Incorpora la mappa e scarica i dati aperti"),
    expanded=ui.pannello_aperto("incorpora", filtro),
    icon=":material/share:",
    key="apri_incorpora",
    on_change="rerun",
) as riquadro:
    if riquadro.open:
        st.markdown(
            _(
                "La mappa di questa vista, da inserire nel sito del Comune o di un'associazione "
                "([apri la mappa]({url})):"
            ).format(url=ui.url_mappa(filtro, snap.quartieri))
        )
        st.code(ui.snippet_iframe(filtro, snap.quartieri), language="html", wrap_lines=True)
        st.markdown(
            _(
                "Dati aperti, sempre aggiornati: [punti.csv](/dati/punti.csv) · [punti.geojson](/dati/punti.geojson) "
                "· [quartieri.geojson](/dati/quartieri.geojson) · [sportelli.csv](/dati/sportelli.csv) · "
                "[calendario degli sportelli]({ics}) · [catalogo DCAT-AP_IT](/dati/catalogo.jsonld)."
            ).format(ics="/dati/orari.ics" + (f"?quartiere={filtro.quartiere}" if filtro.quartiere else ""))
        )
