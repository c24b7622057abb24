"""«Il mio punto»: the page of a point's referente, made for a phone (390 px wide).

One tap confirms that the point is active and its data are right (`conferma` = today, the account
as the source of the change); a short form changes status, address, position (coordinates; empty
for the indicative position), desk slots with their volunteers, and the note. Every save goes
through the store, which refuses a point that is not the account's own (core.ruoli).
"""

from __future__ import annotations

import contextvars

import pandas as pd
import streamlit as st

from cittadelnoi.core import i18n, tempo
from cittadelnoi.core.errors import DatiNonValidi, ErroreArchivio
from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.loaders import modulo
from cittadelnoi.loaders.storico import Record
from cittadelnoi.metrics.registro import frase_conferma
from cittadelnoi.stores.db import DbStore
from cittadelnoi.stores.scrittura import Conflitto
from cittadelnoi.ui.testo import md

_K_ESITO = "mio_punto_esito"
STATI = {"attivo": "Attivo", "in_apertura": "In apertura"}
GIORNI = ["lun", "mar", "mer", "gio", "ven", "sab", "dom"]


def scegli_punto(store: DbStore, autore: Autore) -> str | None:
    """The point to work on: the referente's own (a choice when it has more than one; every point
    for an amministratore). None when the account has no point in the register."""
    punti_rec, _, _ = store.registro_attuale()
    nomi = {r["id"]: r["nome"] or r["id"] for r in punti_rec if autore.puo_modificare(r["id"])}
    if not nomi:
        st.warning("Nessun punto del registro è assegnato a questo account: chiedere a un amministratore.")
        return None
    if len(nomi) == 1:
        return next(iter(nomi))
    return st.selectbox(
        "Punto", list(nomi), format_func=lambda i: nomi[i], key="mio_punto_scelta", placeholder="Scegli il punto"
    )


def _ultima_conferma(rec: Record) -> str:
    """'Ultima conferma: ottobre 2019 — da riconfermare.': the public wording and rule
    (metrics.registro.frase_conferma), in Italian like the rest of this page."""

    def in_italiano() -> str:
        i18n.imposta(i18n.PREDEFINITA)
        frase = frase_conferma(rec.get("conferma"), tempo.oggi())
        return frase[:1].upper() + frase[1:] + "."

    return contextvars.copy_context().run(in_italiano)


def _salva(store: DbStore, id_punto: str, rec: Record, orario: list[Record], versione: int, autore: Autore) -> None:
    try:
        esito = store.salva_punto(id_punto, rec, orario, versione, autore)
    except DatiNonValidi as exc:
        st.error(f"Non salvato: {len(exc.problemi)} problemi da correggere.", icon=":material/error:")
        for p in exc.problemi[:10]:
            st.markdown(f"- {md(p.messaggio)}" + (f" (campo «{md(p.colonna)}»)" if p.colonna else ""))
    except (Conflitto, NonAutorizzato, ErroreArchivio) as exc:
        st.error(md(exc.messaggio), icon=":material/block:")
    else:
        st.session_state[_K_ESITO] = (
            "Nessuna modifica da salvare." if esito.revisione is None else "Salvato: " + md(" · ".join(esito.modifiche))
        )
        st.rerun()


def conferma(store: DbStore, id_punto: str, autore: Autore) -> None:
    """The point's status, its last confirmation and the one-tap confirmation."""
    if (esito := st.session_state.pop(_K_ESITO, None)) is not None:
        st.success(esito, icon=":material/check_circle:")
    trovato = store.punto(id_punto)
    if trovato is None:
        st.error("Il punto non è più nel registro.")
        return
    rec, orario, versione = trovato
    st.subheader(md(rec.get("nome") or id_punto))
    st.caption(md(f"{STATI.get(rec.get('stato') or '', rec.get('stato'))} · {_ultima_conferma(rec)}"))
    if st.button(
        "Confermo: il punto è attivo e questi dati sono giusti",
        type="primary",
        icon=":material/verified:",
        width="stretch",
        key="mio_punto_conferma",
    ):
        _salva(
            store, id_punto, {**rec, "stato": "attivo", "conferma": tempo.oggi().isoformat()}, orario, versione, autore
        )


def modulo_punto(store: DbStore, id_punto: str, autore: Autore) -> None:
    """The short form: status, address, position, desk slots and volunteers, note."""
    trovato = store.punto(id_punto)
    if trovato is None:
        return
    rec, orario, versione = trovato
    with st.form(f"mio_punto_{id_punto}_{versione}"):
        stato = st.radio(
            "Stato", list(STATI), format_func=STATI.__getitem__, index=list(STATI).index(rec.get("stato") or "attivo")
        )
        indirizzo = st.text_input("Indirizzo", rec.get("indirizzo") or "")
        c1, c2 = st.columns(2)
        lat = c1.text_input("Latitudine", rec.get("lat") or "" if rec.get("posizione") == "indirizzo" else "")
        lon = c2.text_input("Longitudine", rec.get("lon") or "" if rec.get("posizione") == "indirizzo" else "")
        st.caption(
            "Coordinate del luogo (es. 45.53921, 10.21874); vuote: posizione indicativa al centro del quartiere."
        )
        st.markdown("**Orario dello sportello**")
        fasce = st.data_editor(
            pd.DataFrame(
                [{c: f.get(c) for c in ("giorno", "inizio", "fine", "volontari")} for f in orario],
                columns=["giorno", "inizio", "fine", "volontari"],
            ).astype("string"),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "giorno": st.column_config.SelectboxColumn("Giorno", options=GIORNI),
                "inizio": st.column_config.TextColumn("Dalle", help="HH:MM"),
                "fine": st.column_config.TextColumn("Alle", help="HH:MM"),
                "volontari": st.column_config.TextColumn("Volontari", help="quanti volontari (un numero)"),
            },
            key=f"mio_punto_fasce_{id_punto}_{versione}",
        )
        nota = st.text_area("Nota", rec.get("nota") or "", height=80)
        salva = st.form_submit_button("Salva", type="primary", icon=":material/save:", width="stretch")
    if not salva:
        return
    coordinate = {"lat": lat.strip() or None, "lon": lon.strip() or None}
    posizione = "indirizzo" if coordinate["lat"] or coordinate["lon"] else "centro_quartiere"
    nuovo = {**rec, "stato": stato, "indirizzo": indirizzo.strip() or None, "nota": nota.strip() or None}
    nuovo |= coordinate | {"posizione": posizione}
    fonti = {(f.get("giorno"), f.get("inizio"), f.get("fine")): f.get("fonte") for f in orario}
    fonte_nuova = f"referente del punto, {tempo.oggi():%d/%m/%Y}"  # public: never the person's name
    righe = [
        {
            **r,
            "fonte": fonti.get((r.get("giorno"), r.get("inizio"), r.get("fine"))) or fonte_nuova,
            "dimostrativo": False,
        }
        for r in fasce.to_dict("records")
    ]
    _salva(store, id_punto, nuovo, modulo.orario_dal_modulo(righe), versione, autore)
