"""Gestione page, the truthful-register parts (issue 11): the register's new fields in the edit
form, a point's position set by clicking the map or typing coordinates (refused outside the point's
own quartiere), the points to confirm again, the register marked complete, and the Comune's table
of residents imported. Italian only, like the rest of the admin page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cittadelnoi.core import fmt, tempo
from cittadelnoi.core.errors import DatiNonValidi, ErroreArchivio, Problema
from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.loaders import modulo
from cittadelnoi.loaders.punti import fuori_quartiere
from cittadelnoi.metrics.registro import MESI_RICONFERMA, da_riconfermare, frase_conteggio
from cittadelnoi.stores.base import Snapshot
from cittadelnoi.stores.scrittura import Conflitto
from cittadelnoi.ui.archivio import layer_mappa, orari_sportelli
from cittadelnoi.ui.testo import md
from cittadelnoi.views.mapview import Selezione, costruisci_mappa

_K_CLIC = "gestione_posizione_clic"


def campi_registro(rec: dict, prefisso: str) -> dict[str, str | None]:
    """The edit form's fields for the last confirmation, desk hours in words, note and the
    'quartiere da verificare' flag: every column of the register reaches the form, so saving
    a point never erases one."""
    c0, c1, c2 = st.columns(3)
    prima = c0.text_input(
        "Prima attestazione (AAAA-MM-GG o AAAA-MM)",
        rec.get("prima_attestazione") or "",
        key=f"{prefisso}_prima_attestazione",
        help="La prima data in cui una fonte mostra il punto attivo: lo storico parte da qui se manca la data di "
        "apertura. Senza nessuna delle due il punto non è mai contato come nuovo.",
    )
    conferma = c1.text_input(
        "Ultima conferma (AAAA-MM-GG o AAAA-MM)",
        rec.get("conferma") or "",
        key=f"{prefisso}_conferma",
        help="L'ultima data in cui una fonte mostra il punto attivo; solo il mese se la fonte non dà il giorno.",
    )
    sportello = c2.text_input(
        "Sportello, come lo descrive la fonte (se non ci sono fasce orarie)",
        rec.get("sportello") or "",
        key=f"{prefisso}_sportello",
    )
    nota = st.text_input("Nota (dubbi, contraddizioni tra fonti)", rec.get("nota") or "", key=f"{prefisso}_nota")
    da_verificare = st.checkbox(
        "Quartiere da verificare (la fonte non è certa del quartiere)",
        rec.get("quartiere_da_verificare") == "sì",
        key=f"{prefisso}_da_verificare",
    )
    return {
        "prima_attestazione": prima.strip() or None,
        "conferma": conferma.strip() or None,
        "sportello": sportello.strip() or None,
        "nota": nota.strip() or None,
        "quartiere_da_verificare": "sì" if da_verificare else "no",
    }


def _coordinate(testo: str) -> float | None:
    try:
        return float(testo.strip().replace(",", "."))
    except ValueError:
        return None


def sezione_posizione(store, snap: Snapshot, autore: Autore) -> None:
    """Set a point's position (map click or typed coordinates), then the points to confirm again."""
    st.markdown(
        "**Posizione di un punto.** Clic sulla mappa o latitudine e longitudine scritte a mano. Una posizione fuori "
        "dal quartiere del punto è rifiutata. Senza posizione il punto resta al centro del quartiere, con il "
        "simbolo «posizione indicativa»."
    )
    punti = snap.punti.set_index("id")
    nomi_q = snap.quartieri.set_index("codice_istat")["nome"]
    scelta = st.selectbox(
        "Punto da collocare",
        list(punti.index),
        format_func=lambda i: f"{punti.at[i, 'nome']} ({nomi_q[punti.at[i, 'codice_istat']]})",
        key="gestione_posizione_punto",
    )
    if scelta is None:
        return
    p = punti.loc[scelta]
    codice = str(p["codice_istat"])
    if p["posizione"] == "indirizzo":
        st.caption(f"Posizione documentata: {p['lat']:.5f}, {p['lon']:.5f}.")
    else:
        st.caption("Posizione indicativa: il punto è disegnato al centro del quartiere.")
    mappa = costruisci_mappa(
        layer_mappa(snap), snap.punti, orari_sportelli(snap), Selezione(frozenset({codice}), codice)
    )
    uscita = st_folium(
        mappa, key=f"gestione_mappa_{scelta}", height=420, use_container_width=True, returned_objects=["last_clicked"]
    )
    clic = (uscita or {}).get("last_clicked")
    if clic and clic != st.session_state.get(_K_CLIC, {}).get(scelta):
        st.session_state.setdefault(_K_CLIC, {})[scelta] = clic
        st.session_state[f"gestione_lat_{scelta}"] = f"{clic['lat']:.5f}"
        st.session_state[f"gestione_lon_{scelta}"] = f"{clic['lng']:.5f}"
    c1, c2 = st.columns(2)
    lat_t = c1.text_input(
        "Latitudine (gradi decimali)",
        f"{p['lat']:.5f}" if p["posizione"] == "indirizzo" else "",
        key=f"gestione_lat_{scelta}",
    )
    lon_t = c2.text_input(
        "Longitudine (gradi decimali)",
        f"{p['lon']:.5f}" if p["posizione"] == "indirizzo" else "",
        key=f"gestione_lon_{scelta}",
    )
    b1, b2 = st.columns(2)
    if b1.button("Salva la posizione", type="primary", icon=":material/pin_drop:", key="gestione_salva_posizione"):
        lat, lon = _coordinate(lat_t), _coordinate(lon_t)
        if lat is None or lon is None:
            st.error("Scrivere latitudine e longitudine come numeri, per esempio 45.53861 e 10.21972.")
        elif (problema := fuori_quartiere(lat, lon, codice, snap.quartieri)) is not None:
            st.error("Posizione rifiutata: " + md(problema) + ".", icon=":material/wrong_location:")
        else:
            _salva(store, scelta, {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "posizione": "indirizzo"}, autore)
    if p["posizione"] == "indirizzo" and b2.button(
        "Togli la posizione (torna indicativa)", icon=":material/location_off:", key="gestione_togli_posizione"
    ):
        _salva(store, scelta, {"lat": None, "lon": None, "posizione": "centro_quartiere"}, autore)

    st.divider()
    sezione_riconferma(snap, store.registro_account().referenti())


def _salva(store, id_punto: str, modifiche: dict, autore: Autore) -> None:
    trovato = store.punto(id_punto)
    if trovato is None:
        st.error("Il punto non è più nel registro.")
        return
    rec, orario, versione = trovato
    try:
        esito = store.salva_punto(id_punto, {**rec, **modifiche}, orario, versione, autore)
    except DatiNonValidi as exc:
        st.error("Non salvato: " + md("; ".join(p.messaggio for p in exc.problemi)), icon=":material/error:")
    except (Conflitto, NonAutorizzato, ErroreArchivio) as exc:
        st.error(md(exc.messaggio), icon=":material/sync_problem:")
    else:
        st.success("Posizione salvata." if esito.revisione else "Nessuna modifica da salvare.")
        st.rerun()


def sezione_riconferma(snap: Snapshot, referenti: dict[str, list[str]]) -> None:
    """Points whose last confirmation is older than 12 months (or unknown): to confirm again, each
    with its referenti (`referenti`: point id -> names, stores.account.RegistroAccount.referenti),
    who can confirm it with one tap from «Il mio punto»."""
    oggi = tempo.oggi()
    tabella = da_riconfermare(snap.punti, oggi)
    st.markdown(f"**Da riconfermare** — ultima conferma più vecchia di {MESI_RICONFERMA} mesi, o non documentata.")
    if tabella.empty:
        st.success(f"Ogni punto ha una conferma degli ultimi {MESI_RICONFERMA} mesi.", icon=":material/verified:")
        return
    nomi_q = snap.quartieri.set_index("codice_istat")["nome"]
    st.dataframe(
        pd.DataFrame(
            {
                "Punto": tabella["nome"],
                "Quartiere": tabella["codice_istat"].map(nomi_q),
                "Ultima conferma": [fmt.data_parziale(c) or "non documentata" for c in tabella["conferma"]],
                "Mesi fa": ["—" if pd.isna(m) else str(int(m)) for m in tabella["mesi"]],
                "Referenti": [", ".join(referenti.get(i) or ["nessun referente"]) for i in tabella["id"]],
            }
        ),
        hide_index=True,
        width="stretch",
        key="gestione_da_riconfermare",
    )
    st.caption(
        "Per riconfermare un punto: chiedere al suo referente di toccare «Confermo» nella pagina «Il mio punto», "
        "oppure trovare una fonte recente che lo mostri attivo e scrivere la data in «Ultima conferma» e la fonte "
        "nella scheda «Modifica un punto». Un punto senza referente si assegna a un account nella scheda «Account»."
    )


def sezione_completezza(store, snap: Snapshot, autore: Autore) -> None:
    """Mark the register complete, and import the Comune's table of residents per quartiere."""
    c = snap.completezza
    st.markdown("**Completezza del registro**")
    if (conteggio := frase_conteggio(c)) is not None:
        st.markdown(md(conteggio))
    st.caption(
        "Finché il registro ha meno punti attivi dell'ultimo conteggio pubblicato, i quartieri senza punti sono "
        "«nessun punto documentato», non «mancante». Quando il registro contiene tutti i punti attivi, segnarlo "
        "come completo: «mancante» torna sulla mappa e nelle cifre."
    )
    completo = st.toggle(
        "Il registro contiene tutti i punti attivi", value=snap.segnato_completo, key="gestione_completo"
    )
    if completo != snap.segnato_completo and store.segna_completo(completo, autore):
        st.rerun()

    st.divider()
    st.markdown("**Residenti per quartiere** (tabella del Comune, CSV o Excel)")
    st.caption(
        "Colonne: codice_istat (oppure quartiere, con il nome ufficiale), anno, residenti, fonte. La tabella "
        "importata sostituisce le cifre attuali; anni diversi non si mescolano mai nella classifica «Dove aprire»."
    )
    file = st.file_uploader("Tabella dei residenti", type=["csv", "xlsx"], key="gestione_popolazione")
    if file is None:
        return
    try:
        frame, _ = store.importa_popolazione(file.name, file.getvalue(), autore, scrivi=False)
    except DatiNonValidi as exc:
        st.error(modulo.contiene_problemi(len(exc.problemi)) + ": nulla è stato importato.", icon=":material/error:")
        st.dataframe(_problemi(exc.problemi), hide_index=True, width="stretch")
        return
    anni = sorted(set(frame["anno"]))
    mancanti = sorted(set(snap.quartieri["codice_istat"]) - set(frame["codice_istat"]))
    st.markdown(
        f"**Anteprima:** {len(frame)} righe, anni {', '.join(map(str, anni))}; "
        + (f"quartieri senza cifra: {len(mancanti)}." if mancanti else "tutti i 33 quartieri hanno una cifra.")
    )
    if st.button(
        f"Conferma l'importazione dei residenti ({len(frame)} righe)", type="primary", key="gestione_conferma_pop"
    ):
        store.importa_popolazione(file.name, file.getvalue(), autore)
        st.success("Residenti importati.")
        st.rerun()


def _problemi(problemi: list[Problema]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "File": p.file,
                "Riga": "" if p.riga is None else str(p.riga),
                "Colonna": p.colonna or "",
                "Problema": p.messaggio,
            }
            for p in problemi
        ],
        columns=["File", "Riga", "Colonna", "Problema"],
    )
