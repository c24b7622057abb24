"""The Gestione page's accounts tab (amministratori): the accounts stored in the database, a new
account with a one-time password shown once, an account disabled or enabled again. Every write
is checked by the store (stores.account) against the author's role."""

from __future__ import annotations

import secrets

import pandas as pd
import streamlit as st

from cittadelnoi.auth.accesso import hash_password, normalizza_utente
from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.core.ruoli import Autore, NonAutorizzato, Ruolo
from cittadelnoi.stores.db import DbStore
from cittadelnoi.ui.testo import md

_K_PASSWORD = "gestione_account_password"


def scheda_account(store: DbStore, nomi: dict[str, str], autore: Autore) -> None:
    """The accounts tab."""
    registro = store.registro_account()
    if (mostrata := st.session_state.pop(_K_PASSWORD, None)) is not None:
        utente, password = mostrata
        st.success(
            md(f"Account «{utente}» pronto. Password da consegnare (non verrà mostrata di nuovo):"),
            icon=":material/key:",
        )
        st.code(password, language=None)
    elenco = registro.elenco()
    st.dataframe(
        pd.DataFrame(
            {
                "Utente": [a.utente for a in elenco],
                "Nome": [a.nome for a in elenco],
                "Ruolo": [str(a.ruolo) for a in elenco],
                "Punti": [", ".join(nomi.get(p, p) for p in sorted(a.punti)) for a in elenco],
                "Attivo": ["sì" if a.attivo else "no" for a in elenco],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Gli account dei secrets (`.streamlit/secrets.toml`) sono amministratori e non compaiono qui. "
        "Un referente modifica solo i punti assegnati, dalla pagina «Il mio punto»."
    )
    with st.form("gestione_nuovo_account", clear_on_submit=True):
        st.markdown("**Nuovo account**")
        c1, c2 = st.columns(2)
        utente = c1.text_input("Nome utente (minuscole, cifre, . _ -)")
        nome = c2.text_input("Nome e cognome")
        email = c1.text_input("E-mail (facoltativa)")
        ruolo = c2.selectbox("Ruolo", [str(r) for r in Ruolo], index=1)
        punti = st.multiselect(
            "Punti del referente", list(nomi), format_func=lambda i: f"{nomi[i]} ({i})", placeholder="Scegli i punti"
        )
        crea = st.form_submit_button("Crea l'account", type="primary")
    if crea:
        password = secrets.token_urlsafe(12)
        try:
            registro.crea(
                normalizza_utente(utente),
                nome.strip() or normalizza_utente(utente),
                Ruolo(ruolo),
                hash_password(password),
                autore,
                punti=punti if ruolo == Ruolo.REFERENTE else (),
                email=email.strip() or None,
            )
        except (ValueError, NonAutorizzato, ErroreArchivio) as exc:
            st.error(md(getattr(exc, "messaggio", str(exc))), icon=":material/block:")
        else:
            st.session_state[_K_PASSWORD] = (normalizza_utente(utente), password)
            st.rerun()
    attivi = {a.utente: a.attivo for a in elenco}
    if attivi:
        with st.form("gestione_stato_account"):
            scelto = st.selectbox(
                "Disattiva o riattiva un account",
                list(attivi),
                format_func=lambda u: f"{u} ({'attivo' if attivi[u] else 'disattivato'})",
            )
            cambia = st.form_submit_button("Disattiva / riattiva")
        if cambia and scelto is not None:
            try:
                registro.imposta_attivo(scelto, not attivi[scelto], autore)
            except (NonAutorizzato, ErroreArchivio) as exc:
                st.error(md(exc.messaggio), icon=":material/block:")
            else:
                st.rerun()

    if elenco:
        _password_e_punti(registro, elenco, nomi, autore)


def _password_e_punti(registro, elenco: list, nomi: dict[str, str], autore: Autore) -> None:
    """A new one-time password for an account, the points of a referente, or its e-mail (OIDC)."""
    per_utente = {a.utente: a for a in elenco}
    with st.form("gestione_password_punti"):
        scelto = st.selectbox("Account", list(per_utente), key="gestione_account_scelto")
        nuova = st.checkbox("Nuova password da usare una volta (la vecchia non vale più)")
        punti = st.multiselect(
            "Punti (solo per un referente; vuoto: lasciare com'è)",
            list(nomi),
            format_func=lambda i: f"{nomi[i]} ({i})",
            placeholder="Scegli i punti",
        )
        email = st.text_input(
            "E-mail per l'accesso con l'identità digitale del Comune (vuoto: lasciare com'è)",
            help="Con l'accesso OpenID Connect, l'e-mail verificata dal fornitore di identità deve essere questa.",
        )
        applica = st.form_submit_button("Applica")
    if not applica or scelto is None:
        return
    try:
        if email.strip():
            registro.imposta_email(scelto, email, autore)
        if punti and per_utente[scelto].ruolo == Ruolo.REFERENTE:
            registro.assegna_punti(scelto, punti, autore)
        if nuova:
            password = secrets.token_urlsafe(12)
            registro.imposta_password(scelto, hash_password(password), autore)
            st.session_state[_K_PASSWORD] = (scelto, password)
    except (ValueError, NonAutorizzato, ErroreArchivio) as exc:
        st.error(md(getattr(exc, "messaggio", str(exc))), icon=":material/block:")
    else:
        st.rerun()
