"""The Gestione page's login, in the Streamlit layer.

Who may log in comes from auth.accesso (accounts in the secrets, the demo account only on
loopback with no `[gestione]` section); each attempt is decided there and recorded in the
database (stores.accessi), whose failed logins lock a name in every replica. A login opens a
server-side session (a row of `sessioni`): this page holds it in its session state, and, when the
app runs through `app.py` (st.App), the browser gets it as an HttpOnly cookie through the route of
web.sessione, so a reload keeps the login. Every run checks the session in the database: «Esci»,
in any window or replica, ends it everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import threading

import streamlit as st
from streamlit import config

from cittadelnoi.auth import accesso, sessioni
from cittadelnoi.auth.accesso import Configurazione, Esito
from cittadelnoi.core.errors import ErroreArchivio
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.core.ruoli import Autore
from cittadelnoi.stores.accessi import RegistroAccessi, Sessione
from cittadelnoi.stores.db import DbStore
from cittadelnoi.ui import accesso_oidc
from cittadelnoi.ui.archivio import DAI_SECRETS, archivio, url_database
from cittadelnoi.ui.piede import ferma_pagina
from cittadelnoi.ui.streamlit_interni import con_rotte_dell_app
from cittadelnoi.ui.testo import md

LOG = logging.getLogger("cittadelnoi.gestione")
_K_SESSIONE = "gestione_sessione"  # the live Sessione of this page
_K_BIGLIETTO = "gestione_biglietto"  # a one-time ticket to turn into the cookie at the next render
_K_INVII = "gestione_invii_biglietto"  # how many times the ticket's fetch was put in the page
_K_CANCELLA = "gestione_cancella_cookie"  # «Esci» was pressed: clear the cookie at the next render
_K_AVVISO = "gestione_avviso_sessione"
_ILLEGGIBILE = (
    "(secrets.toml non leggibile: controllare la sintassi TOML; riga e colonna dell'errore sono nel log del server)"
)
# The one message of a read-only database (a restored backup left read-only): the register is
# served on every page, the login (it writes a session) and the edits are not.
SOLA_LETTURA = (
    "Modifiche non disponibili: il database del registro è in sola lettura (per esempio una copia di "
    "sicurezza ripristinata in un file o una cartella senza permesso di scrittura). Il registro è mostrato "
    "così com'è in tutte le pagine; accesso e modifiche tornano quando chi gestisce il server rende il "
    "database scrivibile (README, «Copie di sicurezza, ripristino e aggiornamenti»)."
)
_avvisi_dati: set[str] = set()
_lock_avvisi = threading.Lock()


def _adesso() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sezione_secrets() -> object:
    """The `[gestione]` section of the secrets (core.impostazioni, read once per process) as plain
    dicts; None when it does not exist; a string when a secrets file exists but cannot be read (a
    problem, never "no section")."""
    imp = impostazioni()
    if imp.secrets_illeggibili is not None:
        return _ILLEGGIBILE
    if imp.gestione is not None:
        return imp.gestione
    # A section spelt otherwise ([Gestione], [ gestione ]) is a misconfigured accounts section,
    # never "no section": it must not switch the published demo account on.
    simili = [k for k in imp.sezioni_secrets if accesso.normalizza_utente(k) == "gestione"]
    return f"(sezione [{simili[0]}] invece di [gestione])" if simili else None


def incorporato() -> bool:
    """The app runs on its embedded SQLite database (not a shared server, not files)."""
    url = url_database()
    return url is not None and url != DAI_SECRETS and url.startswith("sqlite")


def account_db() -> tuple[list[accesso.Account], bool]:
    """(the active accounts stored in the database, whether it holds any account at all); none
    in file mode or when the database cannot be read (the secrets' accounts still work)."""
    from cittadelnoi.stores.db import DbStore
    from cittadelnoi.ui.archivio import archivio

    store = archivio()
    if not isinstance(store, DbStore):
        return [], False
    try:
        tutti = store.registro_account().elenco()
    except Exception:  # an unreadable database: logged, never a traceback on the login page
        LOG.warning("account del database non leggibili", exc_info=True)
        # Accounts may exist that could not be read: never a reason to switch the demo account on.
        return [], True
    attivi = [accesso.Account(a.utente, a.nome, a.hash_password, a.ruolo, a.punti) for a in tutti if a.attivo]
    return attivi, bool(tutti)


def configurazione() -> Configurazione:
    """The accounts as configured now (secrets, database, server address); start-up warnings
    are logged once per process (`controlla_configurazione`)."""
    attivi, ci_sono = account_db()
    cfg = accesso.configurazione(
        sezione_secrets(),
        incorporato=incorporato(),
        indirizzo=config.get_option("server.address"),
        locale=_richiesta_locale(),
        account_db=attivi,
        ci_sono_account_db=ci_sono,
    )
    _registra_avvisi(cfg)
    return cfg


def _richiesta_locale() -> bool:
    """This session's request came from this machine without a proxy (see accesso.richiesta_locale)."""
    ip = st.context.ip_address
    # A real server gives a str (None for a loopback peer); Streamlit's AppTest gives a mock object.
    return accesso.richiesta_locale(ip if isinstance(ip, str) else None, dict(st.context.headers))


def controlla_configurazione() -> list[str]:
    """Log the accounts' configuration problems as warnings (called at start-up by app.py and
    by dashboard.py); returns them."""
    attivi, ci_sono = account_db()
    return _registra_avvisi(
        accesso.configurazione(
            sezione_secrets(),
            incorporato=incorporato(),
            indirizzo=config.get_option("server.address"),
            hash_demo_="(non calcolato)",
            account_db=attivi,
            ci_sono_account_db=ci_sono,
        )
    )


def _registra_avvisi(cfg: Configurazione) -> list[str]:
    avvisi = accesso.avvisi_di_avvio(cfg, incorporato=incorporato(), indirizzo=config.get_option("server.address"))
    with _lock_avvisi:
        for avviso in avvisi:
            if avviso not in _avvisi_dati:
                _avvisi_dati.add(avviso)
                LOG.warning(avviso)
    return avvisi


def _con_cookie() -> bool:
    """The app's own routes (web.sessione) are mounted: started through app.py's st.App."""
    return con_rotte_dell_app()


def _script(codice: str, dove=st) -> None:
    """A script the browser runs once its element is in the page; `dove`: the page or a placeholder."""
    dove.html(f"<script>{codice}</script>", unsafe_allow_javascript=True)


def _sessione_corrente(registro: RegistroAccessi) -> Sessione | None:
    """This page's live session: from the session state, else from the browser's cookie;
    checked in the database on every run."""
    adesso = _adesso()
    salvata: Sessione | None = st.session_state.get(_K_SESSIONE)
    if salvata is not None:
        viva = registro.viva(salvata.id, adesso)
        if viva is None:
            st.session_state.pop(_K_SESSIONE, None)
            st.session_state[_K_AVVISO] = True
        return viva
    token = st.context.cookies.get(sessioni.COOKIE) if _con_cookie() else None
    if token:
        viva = registro.da_token(sessioni.impronta(token), adesso)
        if viva is not None:
            st.session_state[_K_SESSIONE] = viva
        return viva
    return None


def _esci(registro: RegistroAccessi, sessione: Sessione) -> None:
    registro.revoca(sessione.id, _adesso())
    registro.registra(sessione.utente, Esito.USCITO, _adesso())
    st.session_state.pop(_K_SESSIONE, None)
    st.session_state[_K_CANCELLA] = True


def _prova(registro: RegistroAccessi, cfg: Configurazione, scritto: str, password: str) -> None:
    """One attempt from the form: decided by auth.accesso, recorded, a session on success."""
    adesso = _adesso()
    utente = accesso.normalizza_utente(scritto)
    falliti = registro.falliti(utente, adesso - accesso.FINESTRA)
    esito, account = accesso.decidi(cfg, utente, password, falliti, adesso)
    registro.registra(utente or "(vuoto)", esito, adesso)
    if esito is Esito.ENTRATO and account is not None:
        biglietto = sessioni.nuovo_segreto()
        st.session_state[_K_SESSIONE] = registro.apri(
            sessioni.nuovo_id(),
            account.utente,
            account.nome,
            sessioni.impronta(biglietto),
            adesso,
            sessioni.DURATA,
            sessioni.BIGLIETTO,
        )
        if _con_cookie():
            st.session_state[_K_BIGLIETTO] = biglietto
        st.rerun()
    elif esito is Esito.SOSPESO:
        minuti = max(1, math.ceil(accesso.attesa(falliti, adesso).total_seconds() / 60))
        st.error(
            "Troppi tentativi di accesso non riusciti per questo utente: l'accesso è sospeso, riprovare tra "
            f"{minuti} minut{'o' if minuti == 1 else 'i'} al massimo.",
            icon=":material/lock_clock:",
        )
    else:
        st.error("Utente o password non corretti.", icon=":material/lock:")


def accesso_gestione(registro: RegistroAccessi) -> Sessione:
    """The logged-in session of this page, or the login form and st.stop(). With an `[auth]`
    section in the secrets, the Comune's identity provider (ui.accesso_oidc) instead of the form."""
    if accesso_oidc.configurato():
        dal_comune = accesso_oidc.accesso(registro)
        if st.sidebar.button("Esci", icon=":material/logout:", key="esci_gestione"):
            accesso_oidc.esci(registro, dal_comune)
            ferma_pagina()
        return dal_comune
    cfg = configurazione()
    if cfg.problemi:
        # The public page never names accounts: the details go to the server's log (and, after a
        # login, to the officials).
        st.warning(
            f"Configurazione degli account: {len(cfg.problemi)} "
            + ("problema" if len(cfg.problemi) == 1 else "problemi")
            + " (account ignorati o sezione non valida); i dettagli sono nel registro del server.",
            icon=":material/key:",
        )
    if not cfg.account:
        st.error(
            "Nessun account può accedere alla gestione. " + accesso.COME_CREARE_ACCOUNT,
            icon=":material/lock:",
        )
        ferma_pagina()

    sessione = _sessione_corrente(registro)
    if sessione is not None and sessione.utente in cfg.account:
        # Always one slot here, filled or not: the page's tabs below keep their place in the page
        # (and the tab the official is on) whether or not the fetch is sent in this run.
        posto = st.empty()
        if (biglietto := st.session_state.get(_K_BIGLIETTO)) is not None:
            # The ticket becomes the cookie through this page's fetch. A run that follows at once can
            # replace the element before the browser runs it: the fetch is sent again, in a new
            # element, on every run until the database says the ticket was exchanged (or expired).
            if registro.biglietto_in_attesa(sessione.id, _adesso()):
                invii = st.session_state[_K_INVII] = st.session_state.get(_K_INVII, 0) + 1
                _script(
                    f"/* {invii} */ fetch({json.dumps(sessioni.ROTTA_SESSIONE)}, {{method: 'POST', "
                    f"body: {json.dumps(biglietto)}, credentials: 'same-origin', cache: 'no-store'}});",
                    posto,
                )
            else:
                st.session_state.pop(_K_BIGLIETTO, None)
        if st.sidebar.button("Esci", icon=":material/logout:", key="esci_gestione"):
            _esci(registro, sessione)
            st.rerun()
        for problema in cfg.problemi:
            st.warning(f"Configurazione degli account: {md(problema)}", icon=":material/key:")
        return sessione
    if sessione is not None:  # its account was removed from the secrets since the login
        _esci(registro, sessione)

    if st.session_state.pop(_K_CANCELLA, None) and _con_cookie():
        _script(f"fetch({json.dumps(sessioni.ROTTA_ESCI)}, {{method: 'POST', credentials: 'same-origin'}});")
    if st.session_state.pop(_K_AVVISO, None):
        st.info("La sessione è terminata (uscita o scaduta): accedere di nuovo.", icon=":material/logout:")
    with st.form("accesso_gestione", clear_on_submit=True):
        st.markdown("**Accesso riservato**")
        scritto = st.text_input("Utente", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        entra = st.form_submit_button("Entra", type="primary")
    if entra:
        _prova(registro, cfg, scritto, password)
    if cfg.demo:
        st.info(
            f"Installazione dimostrativa (database SQLite incorporato, server solo su questo computer, nessun "
            f"account configurato): utente «{accesso.UTENTE_DEMO}», password «{accesso.PASSWORD_DEMO}». "
            "Prima di usare dati reali o di aprire il server alla rete, configurare gli account. "
            + accesso.COME_CREARE_ACCOUNT,
            icon=":material/science:",
        )
    st.caption(accesso_oidc.RISERVATA)
    ferma_pagina()


def autore(sessione: Sessione) -> Autore | None:
    """The author (role, points) behind a live session, as the accounts say now: a role changed or
    an account disabled takes effect at the next run. None when the account no longer exists."""
    account = configurazione().account.get(sessione.utente)
    return account.autore() if account is not None else None


def intestazione(sessione: Sessione, demo: bool) -> None:
    """Who is logged in, and the demo warning."""
    st.caption(f"Accesso come **{md(sessione.nome)}** ({md(sessione.utente)}).")
    if demo:
        st.warning(
            "Account dimostrativo attivo: configurare gli account in `.streamlit/secrets.toml` prima di usare "
            "dati reali.",
            icon=":material/science:",
        )


def entra() -> tuple[DbStore, RegistroAccessi, Sessione, Autore]:
    """The start of every page that changes the register (Gestione, «Il mio punto»): the database
    store, its access log, the logged-in session and its author (role, points). Shows why and
    calls st.stop() in file mode, when the database cannot be read, before a login, or when the
    session's account is gone."""
    store = archivio()
    if not isinstance(store, DbStore):
        st.info(
            "Questa installazione legge i dati dai file della cartella data/ (CITTADELNOI_ARCHIVIO=file): "
            "il registro si modifica in quei file, non da questa pagina.",
            icon=":material/info:",
        )
        ferma_pagina()
    if store.sola_lettura():
        st.warning(SOLA_LETTURA, icon=":material/lock:")
        ferma_pagina()
    try:
        registro = store.registro_accessi()
    except ErroreArchivio as exc:
        st.error(f"Accesso non disponibile. {md(exc.messaggio)}", icon=":material/error:")
        ferma_pagina()
    sessione = accesso_gestione(registro)
    chi = autore(sessione)
    if chi is None:
        ferma_pagina()
    return store, registro, sessione, chi
