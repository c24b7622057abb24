"""The Gestione page's reports tab: the queue of citizens' reports sent from /segnala.

An official reads each new report and closes it as «accolta» (the register was corrected, or
will be) or «respinta»; the queue shows who closed it and when. Closing deletes the citizen's
e-mail (stores.segnalazioni). Only logged-in officials reach this tab: the public never sees a
report's text.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from cittadelnoi.core.ruoli import Autore, NonAutorizzato
from cittadelnoi.core.segnalazioni import ACCOLTA, MOTIVI, NUOVA, RESPINTA
from cittadelnoi.stores.errori_db import errore_lettura, errore_scrittura
from cittadelnoi.stores.segnalazioni import RegistroSegnalazioni
from cittadelnoi.ui.gestione_modifica import K_ESITO
from cittadelnoi.ui.gestione_storico import ora
from cittadelnoi.ui.testo import md

VISTE = {NUOVA: "Da gestire", ACCOLTA: "Accolte", RESPINTA: "Respinte", "": "Tutte"}
STATI = {NUOVA: "nuova", ACCOLTA: "accolta", RESPINTA: "respinta"}


def etichetta_scheda(registro: RegistroSegnalazioni | None) -> str:
    """The tab's title, with the number of reports waiting."""
    if registro is None:
        return "Segnalazioni"
    try:
        nuove = registro.conta_nuove()
    except (SQLAlchemyError, OSError):  # the tab itself says what is wrong
        return "Segnalazioni"
    return f"Segnalazioni ({nuove} da gestire)" if nuove else "Segnalazioni"


def _oggetto(tipo: str, id_oggetto: str, nome: str) -> str:
    return f"{nome} ({'punto' if tipo == 'punto' else 'codice ISTAT'} {id_oggetto})"


def tabella_coda(coda: pd.DataFrame) -> pd.DataFrame:
    """The queue as the officials read it: one row per report, unknown values as «—»."""
    return pd.DataFrame(
        {
            "N.": coda["id"],
            "Ricevuta": [ora(q) for q in coda["ricevuta_il"]],
            "Su": [_oggetto(t, i, n) for t, i, n in zip(coda["tipo"], coda["id_oggetto"], coda["nome"], strict=True)],
            "Che cosa": [MOTIVI.get(m, m) for m in coda["motivo"]],
            "Testo": [t or "—" for t in coda["testo"]],
            "E-mail": [e if isinstance(e, str) and e else "—" for e in coda["email"]],
            "Stato": [STATI.get(s, s) for s in coda["stato"]],
            "Gestita da": [g if isinstance(g, str) and g else "—" for g in coda["gestita_da"]],
            "Gestita il": [ora(q) if pd.notna(q) else "—" for q in coda["gestita_il"]],
        }
    )


def scheda_segnalazioni(registro: RegistroSegnalazioni | None, autore: Autore) -> None:
    """The tab: the queue (filtered by state) and the form that closes one new report."""
    if registro is None:
        st.error("Le segnalazioni non sono disponibili: l'archivio non risponde.", icon=":material/error:")
        return
    st.caption(
        "Segnalazioni inviate dai cittadini dal modulo /segnala (link «Segnala un errore» della mappa e delle "
        "tabelle). Non sono mai pubblicate. Chiudendo una segnalazione (accolta o respinta) l'e-mail del "
        "cittadino viene cancellata: scrivergli prima, se serve."
    )
    vista = st.radio("Mostra", list(VISTE), format_func=VISTE.get, horizontal=True, key="gestione_segnalazioni_vista")
    try:
        coda = registro.coda(vista or None)
        aperte = coda if vista == NUOVA else registro.coda(NUOVA)
    except (SQLAlchemyError, OSError) as exc:
        st.error(md(errore_lettura(exc).messaggio), icon=":material/error:")
        return
    if coda.empty:
        st.info("Nessuna segnalazione da mostrare.", icon=":material/inbox:")
    else:
        st.dataframe(tabella_coda(coda), hide_index=True, width="stretch")
    if aperte.empty:
        return
    st.markdown("**Chiudi una segnalazione**")
    per_id = aperte.set_index("id")
    scelta = st.selectbox(
        "Segnalazione da chiudere",
        list(per_id.index),
        format_func=lambda i: f"N. {i} — {per_id.at[i, 'nome']} — {MOTIVI.get(per_id.at[i, 'motivo'], '')}",
        key="gestione_segnalazione_scelta",
    )
    riga = per_id.loc[scelta]
    st.markdown(
        f"**{md(_oggetto(riga['tipo'], riga['id_oggetto'], riga['nome']))}** — {md(MOTIVI.get(riga['motivo'], ''))}, "
        f"ricevuta il {ora(riga['ricevuta_il'])}"
    )
    st.markdown(md(riga["testo"]) if riga["testo"] else "_Nessun testo._")
    if isinstance(riga["email"], str) and riga["email"]:
        st.caption(f"E-mail per la risposta: {md(riga['email'])} (cancellata alla chiusura)")
    accolta, respinta = st.columns(2)
    if accolta.button("Accolta", icon=":material/check:", key="gestione_segnalazione_accolta", width="stretch"):
        _chiudi(registro, int(scelta), ACCOLTA, autore)
    if respinta.button("Respinta", icon=":material/close:", key="gestione_segnalazione_respinta", width="stretch"):
        _chiudi(registro, int(scelta), RESPINTA, autore)


def _chiudi(registro: RegistroSegnalazioni, id_: int, esito: str, autore: Autore) -> None:
    try:
        fatto = registro.chiudi(id_, esito, autore, dt.datetime.now(dt.UTC))
    except NonAutorizzato as exc:
        st.error(md(exc.messaggio), icon=":material/block:")
        return
    except (SQLAlchemyError, OSError) as exc:  # a message; the queue stays as it was
        st.error("Segnalazione non chiusa. " + md(errore_scrittura(exc).messaggio), icon=":material/error:")
        return
    if not fatto:
        st.warning("La segnalazione era già stata chiusa da un altro account.", icon=":material/sync_problem:")
        return
    st.session_state[K_ESITO] = f"Segnalazione N. {id_} {STATI[esito]}: l'eventuale e-mail è stata cancellata."
    st.rerun()
