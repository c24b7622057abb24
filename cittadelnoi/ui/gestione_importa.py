"""The Gestione page's second tab: download the register, import a whole one with a preview.

Every problem of the file is listed by file, row and column before anything is written; a valid
file shows the list of its changes to confirm; the import is all or nothing and refused if the
register changed after its preview (DbStore.anteprima_import / applica_import).
"""

from __future__ import annotations

import streamlit as st

from cittadelnoi.core.ruoli import Autore
from cittadelnoi.loaders import modulo, registro, xlsx
from cittadelnoi.loaders.csvio import MAX_MB
from cittadelnoi.loaders.registro import COLONNE_PUNTI
from cittadelnoi.loaders.storico import Record
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.scrittura import Anteprima, Conflitto
from cittadelnoi.ui.gestione_modifica import K_BASI, K_ESITO, md_registro

_K_ANTEPRIMA = "gestione_anteprima"


def _scarica(punti_rec: list[Record], fasce_rec: list[Record]) -> None:
    d1, d2 = st.columns(2)
    d1.download_button(
        "Scarica il registro attuale (Excel)",
        lambda: xlsx.xlsx_registro(punti_rec, fasce_rec),
        "registro-punti.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="gestione_scarica_xlsx",
        on_click="ignore",
    )
    d2.download_button(
        "Scarica il registro attuale (CSV)",
        lambda: registro.csv_testo(punti_rec, COLONNE_PUNTI).encode("utf-8"),
        "punti.csv",
        mime="text/csv",
        icon=":material/download:",
        key="gestione_scarica_csv",
        on_click="ignore",
    )


def _anteprima(store: DbStore) -> Anteprima | None:
    """The preview of the uploaded files, computed once per pair of files."""
    file_p = st.file_uploader(
        "Registro dei punti: CSV come data/punti.csv, oppure Excel con i fogli «punti» e (facoltativo) «sportelli»"
        f" (al massimo {MAX_MB} MB)",
        type=["csv", "xlsx"],
        max_upload_size=MAX_MB,
        key="gestione_file",
    )
    file_s = st.file_uploader(
        f"Fasce orarie degli sportelli (CSV come data/sportelli.csv, facoltativo; al massimo {MAX_MB} MB)",
        type=["csv"],
        max_upload_size=MAX_MB,
        key="gestione_file_sportelli",
    )
    if file_p is None:
        st.session_state.pop(_K_ANTEPRIMA, None)
        return None
    chiave = (file_p.file_id, file_s.file_id if file_s else None)
    salvata = st.session_state.get(_K_ANTEPRIMA)
    if salvata is None or salvata[0] != chiave:
        anteprima = store.anteprima_import(
            file_p.name, file_p.getvalue(), file_s.name if file_s else None, file_s.getvalue() if file_s else None
        )
        st.session_state[_K_ANTEPRIMA] = (chiave, anteprima)
    return st.session_state[_K_ANTEPRIMA][1]


def _conferma(store: DbStore, anteprima: Anteprima, autore: Autore) -> None:
    st.markdown(
        f"**Anteprima:** {len(anteprima.nuovi)} nuovi, {len(anteprima.modificati)} modificati, "
        f"{len(anteprima.rimossi)} rimossi, {len(anteprima.orari)} orari cambiati"
        + ("" if anteprima.sportelli_nel_file else " (orari non nel file: restano quelli attuali)")
        + "."
    )
    st.dataframe(
        modulo.righe_anteprima(anteprima.nuovi, anteprima.modificati, anteprima.rimossi, anteprima.orari),
        hide_index=True,
        width="stretch",
    )
    if not st.button(
        f"Conferma l'importazione ({anteprima.n_modifiche} modifiche)",
        type="primary",
        icon=":material/upload:",
        key="gestione_conferma",
    ):
        return
    try:
        esito = store.applica_import(anteprima, autore)
    except Conflitto as exc:
        st.session_state.pop(_K_ANTEPRIMA, None)
        st.error(md_registro(exc.messaggio), icon=":material/sync_problem:")
    else:
        st.session_state.pop(_K_ANTEPRIMA, None)
        st.session_state[K_BASI] = {}
        st.session_state[K_ESITO] = (
            f"Registro importato da «{md_registro(anteprima.file)}»: {len(esito.modifiche)} modifiche registrate."
        )
        st.rerun()


def scheda_importa(store: DbStore, punti_rec: list[Record], fasce_rec: list[Record], autore: Autore) -> None:
    """The import tab."""
    st.markdown(
        "Importare un registro completo sostituisce il registro attuale: i punti che non sono nel file vengono "
        "rimossi. Prima di scrivere qualsiasi cosa l'app mostra tutti i problemi del file, oppure l'elenco delle "
        "modifiche da confermare. L'importazione è tutto-o-niente."
    )
    _scarica(punti_rec, fasce_rec)
    anteprima = _anteprima(store)
    if anteprima is None:
        return
    if not anteprima.valida:
        st.error(
            modulo.contiene_problemi(len(anteprima.problemi)) + ": nulla è stato importato. "
            "Correggere il file e caricarlo di nuovo.",
            icon=":material/error:",
        )
        st.dataframe(modulo.tabella_problemi(anteprima.problemi), hide_index=True, width="stretch")
        return
    if anteprima.avvisi:
        with st.expander(f"Avvisi sul file ({len(anteprima.avvisi)})"):
            st.markdown("\n".join(f"- {md_registro(str(p))}" for p in anteprima.avvisi))
    if not anteprima.n_modifiche:
        st.info("Il file è identico al registro attuale: niente da importare.")
    else:
        _conferma(store, anteprima, autore)
