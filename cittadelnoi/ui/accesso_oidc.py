"""Login through the Comune's identity provider (OpenID Connect, `st.login`) for Gestione and
«Il mio punto», when the secrets have an `[auth]` section (README, «Login with the Comune's
identity provider»). Without it the local accounts' form of ui.gestione_accesso is used.

- The provider says who the person is; the app decides what they may do: the **verified**
  e-mail claim (`email`, with `email_verified` true) must be the e-mail of exactly one active
  account of the database (stores.account.per_email), whose role and points apply. Otherwise the
  page says «Accesso non autorizzato» and shows nothing else.
- st.login's cookie lasts 30 days and cannot be shortened: every run compares the identity
  token's `iat` with the setting `oidc_ore_sessione` and calls `st.logout()` past it, as
  Streamlit's documentation suggests.
- A login opens a row of `sessioni` like a local one (so «Esci» revokes it for every replica,
  and a disabled account ends at its next run) and is recorded in `accessi` with its day;
  «Esci» also ends the provider's cookie with `st.logout()`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import streamlit as st

from cittadelnoi.auth import sessioni
from cittadelnoi.auth.accesso import Esito
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.stores.accessi import RegistroAccessi, Sessione
from cittadelnoi.stores.db import DbStore
from cittadelnoi.ui.archivio import archivio
from cittadelnoi.ui.piede import ferma_pagina
from cittadelnoi.ui.testo import md

#: Under every login gate (Gestione and «Il mio punto»): who the page is for, and what stays public.
RISERVATA = (
    "La pagina è riservata ai funzionari del Comune e ai referenti dei punti: consultazione e mappa restano pubbliche."
)

LOG = logging.getLogger("cittadelnoi.gestione")
_K_SESSIONE = "oidc_sessione"  # the live Sessione opened for this login
_K_FINITA = "oidc_sessione_finita"


def configurato() -> bool:
    """The secrets have an `[auth]` section: officials log in through the identity provider."""
    return "auth" in impostazioni().sezioni_secrets


def _adesso() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def scaduto(emesso: object, adesso: dt.datetime, ore: int) -> bool:
    """The identity token issued at `emesso` (its `iat`, seconds since the epoch) is older than
    `ore` hours at `adesso`; a token without a readable `iat` counts as expired."""
    try:
        quando = dt.datetime.fromtimestamp(float(str(emesso)), dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return True
    return adesso - quando > dt.timedelta(hours=ore)


def _utente() -> dict[str, Any]:
    return {k: st.user.get(k) for k in ("email", "email_verified", "iat", "name")}


def _non_autorizzato(email: str) -> None:
    st.title("Accesso non autorizzato")
    st.error(
        f"L'identità «{md(email) or 'senza e-mail verificata'}» non corrisponde a nessun account attivo della gestione "
        "del registro: nessun dato riservato è mostrato.",
        icon=":material/block:",
    )
    st.markdown(
        "Se dovresti avere accesso, chiedi a un amministratore di registrare questo indirizzo e-mail nel tuo "
        "account (Gestione, scheda «Account»)."
    )
    if st.button("Esci", icon=":material/logout:", key="esci_non_autorizzato"):
        st.logout()
    ferma_pagina()


def _modulo_accesso() -> None:
    if st.session_state.pop(_K_FINITA, None):
        st.info("La sessione è terminata (uscita o scaduta): accedere di nuovo.", icon=":material/logout:")
    st.markdown("**Accesso riservato**")
    if st.button("Accedi con l'identità digitale del Comune", type="primary", icon=":material/login:"):
        st.login()
    st.caption(RISERVATA)
    ferma_pagina()


def accesso(registro: RegistroAccessi) -> Sessione:
    """The live session of a person logged in through the provider and matched to an account,
    or the login button / the refusal / the expiry, then st.stop()."""
    adesso = _adesso()
    salvata: Sessione | None = st.session_state.get(_K_SESSIONE)
    if not st.user.is_logged_in:
        if salvata is not None:  # logged out in another way (the cookie gone): the row ends too
            registro.revoca(salvata.id, adesso)
            st.session_state.pop(_K_SESSIONE, None)
        _modulo_accesso()
    utente = _utente()
    email = str(utente["email"] or "").strip().lower()
    if scaduto(utente["iat"], adesso, impostazioni().oidc_ore_sessione):
        if salvata is not None:
            registro.revoca(salvata.id, adesso)
        registro.registra(email[:100] or "(oidc)", Esito.USCITO, adesso)
        st.session_state.pop(_K_SESSIONE, None)
        st.session_state[_K_FINITA] = True
        st.logout()
        ferma_pagina()
    if salvata is not None and (viva := registro.viva(salvata.id, adesso)) is not None:
        return viva
    store = archivio()
    account = (
        store.registro_account().per_email(email)
        if isinstance(store, DbStore) and utente["email_verified"] is True
        else None
    )
    if account is None:
        registro.registra(email[:100] or "(oidc)", Esito.RIFIUTATO, adesso)
        LOG.warning("accesso OIDC non autorizzato: %s", email or "(nessuna e-mail verificata)")
        _non_autorizzato(email)
        raise AssertionError("st.stop() returned")  # for the type checker
    durata = dt.timedelta(hours=impostazioni().oidc_ore_sessione)
    sessione = registro.apri(
        sessioni.nuovo_id(),
        account.utente,
        account.nome,
        sessioni.impronta(sessioni.nuovo_segreto()),  # no cookie to exchange: the provider's cookie holds the login
        adesso,
        durata,
        dt.timedelta(0),
    )
    registro.registra(account.utente, Esito.ENTRATO, adesso)
    st.session_state[_K_SESSIONE] = sessione
    return sessione


def esci(registro: RegistroAccessi, sessione: Sessione) -> None:
    """«Esci»: the session row is revoked everywhere, then the provider's login cookie goes."""
    registro.revoca(sessione.id, _adesso())
    registro.registra(sessione.utente, Esito.USCITO, _adesso())
    st.session_state.pop(_K_SESSIONE, None)
    st.session_state[_K_FINITA] = True
    st.logout()
