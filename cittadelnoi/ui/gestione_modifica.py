"""The Gestione page's first tab: edit one point (status, details, desk schedule) or add one.

Every save goes through DbStore.salva_punto: checked by the same loaders as data/, all or
nothing, refused with a comparison when someone else saved the same point in the meantime.
"""

from __future__ import annotations

import streamlit as st

from cittadelnoi.core.errors import DatiNonValidi
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.loaders import modulo
from cittadelnoi.loaders.modulo import NUOVO, POSIZIONI, STATI
from cittadelnoi.loaders.storico import Record
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.scrittura import Conflitto
from cittadelnoi.ui.gestione_registro import campi_registro
from cittadelnoi.ui.piede import ferma_pagina
from cittadelnoi.ui.testo import md

K_BASI = "gestione_basi"  # point id -> (record, schedule, version) the official started editing from
K_ESITO = "gestione_esito"  # the message of the last save or import, shown after the rerun
_K_RICARICHE = "gestione_ricariche"
_K_PROSSIMO = "gestione_punto_prossimo"


md_registro = md  # text from the register shown in a message: never markdown, links, images or HTML


def _posizione(opzioni: list[str], valore: str | None, altrimenti: int | None) -> int | None:
    """Index of the record's value among a select box's options (`altrimenti` when absent)."""
    return opzioni.index(valore) if valore is not None and valore in opzioni else altrimenti


def _scegli(nomi: dict[str, str]) -> str:
    if (prossimo := st.session_state.pop(_K_PROSSIMO, None)) in nomi:
        st.session_state["gestione_punto"] = prossimo  # a point just created: show it
    return st.selectbox(
        "Punto da modificare",
        [*nomi, NUOVO],
        key="gestione_punto",
        format_func=lambda i: "➕ Nuovo punto" if i == NUOVO else f"{nomi.get(i, i)} ({i})",
    )


def _modulo(
    prefisso: str, scelta: str, rec: Record, orario: list[Record], quartieri: dict[str, str]
) -> tuple[Record, list[Record], bool]:
    """The form: (the point's record, its slots, whether «Salva» was pressed)."""
    with st.form(f"modulo_{prefisso}"):
        c1, c2 = st.columns(2)
        v: dict[str, object] = {}
        v["id"] = (
            c1.text_input("Identificativo (minuscole, cifre e trattini)", key=f"{prefisso}_id")
            if scelta == NUOVO
            else scelta
        )
        v["nome"] = c1.text_input("Nome", rec.get("nome") or "", key=f"{prefisso}_nome")
        v["stato"] = c2.selectbox(
            "Stato",
            list(STATI),
            index=_posizione(list(STATI), rec.get("stato"), 0),
            format_func=lambda s: STATI[s],
            key=f"{prefisso}_stato",
        )
        codici = sorted(quartieri, key=lambda c: quartieri[c])
        v["codice_istat"] = c2.selectbox(
            "Quartiere",
            codici,
            index=_posizione(codici, rec.get("codice_istat"), None),
            format_func=lambda c: f"{quartieri[c]} ({c})",
            key=f"{prefisso}_quartiere",
            placeholder="Scegli un quartiere",
        )
        v["indirizzo"] = c1.text_input("Indirizzo", rec.get("indirizzo") or "", key=f"{prefisso}_indirizzo")
        c3, c4, c5 = st.columns(3)
        v["lat"] = c3.text_input("Latitudine", rec.get("lat") or "", key=f"{prefisso}_lat")
        v["lon"] = c4.text_input("Longitudine", rec.get("lon") or "", key=f"{prefisso}_lon")
        v["posizione"] = c5.selectbox(
            "Posizione sulla mappa",
            list(POSIZIONI),
            format_func=lambda p: POSIZIONI[p],
            key=f"{prefisso}_posizione",
            index=_posizione(list(POSIZIONI), rec.get("posizione"), 0),
        )
        c6, c7, c8 = st.columns(3)
        v["ente_gestore"] = c6.text_input("Ente gestore", rec.get("ente_gestore") or "", key=f"{prefisso}_ente")
        v["partner"] = c7.text_input("Partner (separati da ;)", rec.get("partner") or "", key=f"{prefisso}_partner")
        v["apertura"] = c8.text_input(
            "Data di apertura (AAAA-MM-GG o AAAA-MM)", rec.get("apertura") or "", key=f"{prefisso}_apertura"
        )
        # Last confirmation, desk hours in words, note, "quartiere da verificare": every column of
        # the register is in the form, so saving a point never erases one (gestione_registro).
        v.update(campi_registro(rec, prefisso))
        v["fonte"] = st.text_area("Fonte (obbligatoria)", rec.get("fonte") or "", key=f"{prefisso}_fonte", height=68)
        dimostrativo = st.checkbox(
            "Dato dimostrativo (segnaposto, non un punto reale)",
            rec.get("dimostrativo") == "sì",
            key=f"{prefisso}_dimostrativo",
        )
        st.markdown("**Orario dello sportello** — una riga per fascia; giorno lun…dom, orari HH:MM, fine fino a 24:00.")
        modificato = st.data_editor(
            modulo.tabella_orario(orario),
            num_rows="dynamic",
            key=f"{prefisso}_orario",
            width="stretch",
            hide_index=True,
            column_config={
                "giorno": st.column_config.TextColumn("Giorno", help="lun, mar, mer, gio, ven, sab o dom"),
                "inizio": st.column_config.TextColumn("Inizio", help="HH:MM"),
                "fine": st.column_config.TextColumn("Fine", help="HH:MM (fino a 24:00)"),
                "volontari": st.column_config.TextColumn("Volontari", help="numero intero, facoltativo"),
                "fonte": st.column_config.TextColumn("Fonte", width="large"),
                "dimostrativo": st.column_config.CheckboxColumn("Dimostrativo"),
            },
        )
        salva = st.form_submit_button("Salva le modifiche", type="primary", icon=":material/save:")
    return modulo.record_dal_modulo(v, dimostrativo), modulo.orario_dal_modulo(modificato.to_dict("records")), salva


def scheda_modifica(
    store: DbStore, nomi: dict[str, str], info: dict[str, dict], quartieri: dict[str, str], autore: Autore
):
    """The edit tab: choose a point (or a new one), edit it, save it."""
    scelta = _scegli(nomi)
    basi: dict = st.session_state.setdefault(K_BASI, {})
    if scelta == NUOVO:
        rec, orario, versione = modulo.record_vuoto(), [], None
    else:
        if scelta not in basi:
            trovato = store.punto(scelta)
            if trovato is None:
                st.error("Il punto non è più nel registro.")
                ferma_pagina()
            basi[scelta] = trovato
        rec, orario, versione = basi[scelta]
        if info.get(scelta, {}).get("versione") not in (None, versione):
            st.warning(
                "Questo punto è stato modificato da un'altra persona dopo che hai iniziato: salvando riceverai un "
                "avviso di conflitto. Usa «Ricarica il punto» per partire dai dati attuali.",
                icon=":material/sync_problem:",
            )
    prefisso = f"g_{scelta}_{versione}_{st.session_state.get(_K_RICARICHE, 0)}"
    nuovo_rec, nuovo_orario, salva = _modulo(prefisso, scelta, rec, orario, quartieri)

    if scelta != NUOVO and st.button(
        "Ricarica il punto con i dati attuali", icon=":material/refresh:", key="gestione_ricarica"
    ):
        basi.pop(scelta, None)
        st.session_state[_K_RICARICHE] = st.session_state.get(_K_RICARICHE, 0) + 1
        st.rerun()
    if salva:
        _salva(store, scelta, rec, versione, nuovo_rec, nuovo_orario, autore, basi)


def _salva(
    store: DbStore,
    scelta: str,
    rec: Record,
    versione: int | None,
    nuovo_rec: Record,
    nuovo_orario: list[Record],
    autore: Autore,
    basi: dict,
) -> None:
    try:
        esito = store.salva_punto(None if scelta == NUOVO else scelta, nuovo_rec, nuovo_orario, versione, autore)
    except DatiNonValidi as exc:
        st.error(f"Non salvato: {len(exc.problemi)} problemi. Correggere e salvare di nuovo.", icon=":material/error:")
        st.dataframe(modulo.tabella_problemi(exc.problemi), hide_index=True, width="stretch")
    except Conflitto as exc:
        st.error(md_registro(exc.messaggio), icon=":material/sync_problem:")
        if exc.attuale is not None:
            st.markdown("Confronto: quando hai iniziato, ora nel registro, la tua versione (non salvata).")
            tuo = {**nuovo_rec, "id": scelta}
            st.dataframe(modulo.confronto(rec, exc.attuale, tuo), hide_index=True, width="stretch")
    else:
        id_salvato = nuovo_rec["id"] if scelta == NUOVO else scelta
        basi.pop(id_salvato, None)
        if esito.revisione is None:
            st.session_state[K_ESITO] = "Nessuna modifica da salvare."
        else:
            st.session_state[K_ESITO] = "Salvato. " + md_registro(" · ".join(esito.modifiche))
            if scelta == NUOVO:
                st.session_state[_K_PROSSIMO] = id_salvato
        st.rerun()


def esito_precedente() -> None:
    """The message of the save or import of the previous run."""
    if (esito := st.session_state.pop(K_ESITO, None)) is not None:
        st.success(esito, icon=":material/check_circle:")
