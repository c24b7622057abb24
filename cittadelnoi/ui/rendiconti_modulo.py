"""The monthly report form («rendiconto») of «Il mio punto» and Gestione, the import of a file of
reports with its template, and the hourly value of volunteering (Gestione). Italian only, like
both pages. The store checks every write (loaders.rendiconti) and the author's role (core.ruoli):
a referente only the reports of its own points; import and hourly value: amministratore only.
Counts only: the form never asks for a name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cittadelnoi.core import fmt, tempo
from cittadelnoi.core.errors import DatiNonValidi, ErroreArchivio
from cittadelnoi.core.i18n import ngettext
from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.loaders import rendiconti as mod
from cittadelnoi.loaders.csvio import MAX_MB
from cittadelnoi.metrics.rendiconti import ultimi_mesi
from cittadelnoi.stores.db import DbStore
from cittadelnoi.ui.testo import md

_K_ESITO = "rendiconto_esito"
STATI = {"bozza": "bozza (non ancora pubblica)", "inviato": "inviato"}


def _nome_mese(mese: str) -> str:
    anno, m = (int(x) for x in mese.split("-"))
    return fmt.data(dt.date(anno, m, 1), formato="MMMM y", locale="it_IT")


def _problemi(exc: DatiNonValidi) -> None:
    n = len(exc.problemi)
    st.error(
        ngettext("Non salvato: {n} problema da correggere.", "Non salvato: {n} problemi da correggere.", n).format(n=n),
        icon=":material/error:",
    )
    for p in exc.problemi[:10]:
        st.markdown(f"- {md(p.messaggio)}" + (f" (campo «{md(p.colonna)}»)" if p.colonna else ""))


def _valore(rec: pd.Series | None, colonna: str):
    if rec is None or pd.isna(rec[colonna]):
        return None
    return float(rec[colonna]) if colonna.startswith("ore") else int(rec[colonna])


def modulo_rendiconto(store: DbStore, id_punto: str, autore: Autore, chiave: str) -> None:
    """One screen per month: the month (the previous one pre-selected), the four counts, a note,
    «Salva bozza» or «Invia». An empty figure is unknown, never 0."""
    if (esito := st.session_state.pop(_K_ESITO, None)) is not None:
        st.success(esito, icon=":material/check_circle:")
    mesi = [*ultimi_mesi(tempo.oggi())[::-1]]
    mese = st.selectbox(
        "Mese", mesi, index=0, format_func=_nome_mese, key=f"{chiave}_mese", placeholder="Scegli il mese"
    )
    try:
        esistenti = store.rendiconti_di(id_punto)
    except ErroreArchivio as exc:
        st.error(md(exc.messaggio), icon=":material/block:")
        return
    trovato = esistenti[esistenti["mese"] == mese]
    rec = trovato.iloc[0] if not trovato.empty else None
    st.caption(
        "Nessun rendiconto per questo mese."
        if rec is None
        else f"Rendiconto del mese già presente: {STATI.get(rec['stato'], rec['stato'])}. Le modifiche lo sostituiscono."
    )
    versione = "nuovo" if rec is None else f"{rec['stato']}-{rec['riga']}-{len(esistenti)}"
    with st.form(f"{chiave}_{id_punto}_{mese}_{versione}"):
        c1, c2 = st.columns(2)
        ore = c1.number_input(
            "Ore di sportello effettuate", min_value=0.0, step=0.5, value=_valore(rec, "ore_sportello")
        )
        accessi = c2.number_input(
            "Accessi allo sportello (persone)", min_value=0, step=1, value=_valore(rec, "accessi")
        )
        c3, c4 = st.columns(2)
        volontari = c3.number_input("Volontari attivi", min_value=0, step=1, value=_valore(rec, "volontari"))
        ore_vol = c4.number_input(
            "Ore di volontariato (di tutti i volontari)",
            min_value=0.0,
            step=0.5,
            value=_valore(rec, "ore_volontariato"),
        )
        st.caption("Solo numeri: nessun nome di volontari o di persone accolte. Un dato non noto si lascia vuoto.")
        note = st.text_area(
            "Nota (facoltativa, senza nomi)",
            "" if rec is None else rec["note"] or "",
            height=68,
            max_chars=mod.MAX_NOTA,
        )
        b1, b2 = st.columns(2)
        bozza = b1.form_submit_button("Salva bozza", icon=":material/draft:", width="stretch")
        invia = b2.form_submit_button("Invia", type="primary", icon=":material/send:", width="stretch")
    if not (bozza or invia):
        return
    dove = "Il mio punto" if not autore.amministratore else "pagina Gestione"
    rendiconto = {
        "id_punto": id_punto,
        "mese": mese,
        "ore_sportello": ore,
        "volontari": volontari,
        "ore_volontariato": ore_vol,
        "accessi": accessi,
        "note": note.strip() or None,
        # Public: the role and the page, never the person's name.
        "fonte": f"{'referente del punto' if not autore.amministratore else 'ufficio comunale'}, {dove}, "
        f"{tempo.oggi():%d/%m/%Y}",
        "stato": "inviato" if invia else "bozza",
    }
    try:
        rev = store.salva_rendiconto(rendiconto, autore)
    except DatiNonValidi as exc:
        _problemi(exc)
    except (NonAutorizzato, ErroreArchivio) as exc:
        st.error(md(exc.messaggio), icon=":material/block:")
    else:
        st.session_state[_K_ESITO] = (
            "Nessuna modifica da salvare."
            if rev is None
            else f"Rendiconto di {_nome_mese(mese)} {'inviato' if invia else 'salvato come bozza'}."
        )
        st.rerun()


def importa(store: DbStore, ids: list[str], autore: Autore) -> None:
    """The template (Excel, one row per point for the previous month) and the import of a CSV or
    Excel file of reports: checked first, written all or nothing."""
    mese = ultimi_mesi(tempo.oggi())[-1]
    st.download_button(
        "Scarica il modello (Excel, una riga per punto e mese)",
        lambda: mod.modello_xlsx(ids, mese),
        "rendiconti-modello.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key="rendiconti_modello",
        on_click="ignore",
    )
    file = st.file_uploader(
        f"Rendiconti: CSV come data/rendiconti.csv, oppure Excel (foglio «rendiconti»; al massimo {MAX_MB} MB)",
        type=["csv", "xlsx"],
        max_upload_size=MAX_MB,
        key="rendiconti_file",
    )
    if file is None:
        return
    try:
        frame, _ = store.importa_rendiconti(file.name, file.getvalue(), autore, scrivi=False)
    except DatiNonValidi as exc:
        n = len(exc.problemi)
        st.error(
            ngettext(
                "File non importato: {n} problema. Nulla è stato scritto.",
                "File non importato: {n} problemi. Nulla è stato scritto.",
                n,
            ).format(n=n),
            icon=":material/error:",
        )
        st.markdown("\n".join(f"- {md(str(p))}" for p in exc.problemi[:30]))
        return
    except (NonAutorizzato, ErroreArchivio) as exc:
        st.error(md(exc.messaggio), icon=":material/block:")
        return
    st.info(
        ngettext("File valido: {n} rendiconto", "File valido: {n} rendiconti", len(frame)).format(n=len(frame))
        + " "
        + ngettext("di {punti} punto.", "di {punti} punti.", frame["id_punto"].nunique()).format(
            punti=frame["id_punto"].nunique()
        )
        + " Ognuno sostituisce quello già salvato per lo stesso punto e mese.",
        icon=":material/fact_check:",
    )
    if st.button("Importa i rendiconti", type="primary", key="rendiconti_importa"):
        try:
            _, rev = store.importa_rendiconti(file.name, file.getvalue(), autore)
        except DatiNonValidi as exc:
            _problemi(exc)
        except (NonAutorizzato, ErroreArchivio) as exc:
            st.error(md(exc.messaggio), icon=":material/block:")
        else:
            st.success(f"Importati {len(frame)} rendiconti (revisione {rev}).", icon=":material/check_circle:")


def valore_orario(store: DbStore, attuale: tuple[float, str] | None, autore: Autore) -> None:
    """The euro value of one volunteer hour and its source, for the funding page's estimate."""
    st.markdown(
        "**Valore orario del volontariato** — usato dalla pagina Finanziamenti per stimare il valore delle ore "
        "rendicontate. Finché non è impostato, il valore resta «non stimato»."
    )
    if attuale is not None:
        st.caption(md(f"Attuale: {fmt.euro(attuale[0], decimali=2, locale='it_IT')} l'ora — fonte: {attuale[1]}"))
    with st.form("valore_orario"):
        valore = st.number_input("Euro per ora di volontariato", min_value=0.0, step=0.5, value=None)
        fonte = st.text_input("Fonte del valore (obbligatoria)", max_chars=mod.MAX_NOTA)
        salva = st.form_submit_button("Salva il valore orario", icon=":material/save:")
    if not salva:
        return
    if valore is None:
        st.error("Scrivere il valore in euro.", icon=":material/error:")
        return
    try:
        store.imposta_valore_orario(float(valore), fonte, autore)
    except DatiNonValidi as exc:
        _problemi(exc)
    except (NonAutorizzato, ErroreArchivio) as exc:
        st.error(md(exc.messaggio), icon=":material/block:")
    else:
        st.success("Valore orario salvato.", icon=":material/check_circle:")


def scheda_rendiconti(store: DbStore, nomi: dict[str, str], attuale: tuple[float, str] | None, autore: Autore) -> None:
    """The Gestione tab: one point's report, the import, the hourly value."""
    if nomi:
        id_punto = st.selectbox("Punto", list(nomi), format_func=lambda i: nomi[i], key="rendiconti_punto")
        modulo_rendiconto(store, id_punto, autore, "gestione_rendiconto")
    st.divider()
    importa(store, list(nomi), autore)
    st.divider()
    valore_orario(store, attuale, autore)
