"""Accounts of the admin page ("Gestione"): who may log in, and when the demo account exists.

Accounts live in `.streamlit/secrets.toml` (git-ignored):

    [gestione.credentials.usernames.mrossi]
    name = "Mario Rossi"
    email = "m.rossi@comune.brescia.it"          # optional
    password = "$2b$12$..."                      # bcrypt hash: scripts/nuovo_utente.py

User names are normalised once, here, where the accounts are read (`normalizza_utente`): every
spelling of a name typed in the login form («MRossi», «mrossi », «ＭＲｏｓｓｉ») is the same account,
with the same failed-login count. An account with a problem (a password written in clear, two
names that normalise to the same one, an empty name) is ignored and the problem is reported.

The published demo account (`demo` / `cittadelnoi-demo`, in the README) exists only when all three
hold: the embedded SQLite database, a server listening on loopback only, and no `[gestione]`
section at all in the secrets. A server reachable from the network, or a `[gestione]` section with
any problem, never enables it (`configurazione`).

Pure logic: no Streamlit, no database (the failed logins come from stores.accessi).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import ipaddress
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bcrypt

from cittadelnoi.core.ruoli import Autore, Ruolo

UTENTE_DEMO = "demo"
PASSWORD_DEMO = "cittadelnoi-demo"
NOME_DEMO = "Account dimostrativo"
MAX_TENTATIVI = 5  # failed logins per account ...
FINESTRA = dt.timedelta(minutes=15)  # ... within this window lock the account for what is left of it
LUNGHEZZA_MAX_UTENTE = 100  # longer names typed in the form are cut (they are recorded in the log)
COSTO_BCRYPT = 12
_BCRYPT = re.compile(r"^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$")

COME_CREARE_ACCOUNT = (
    'Per creare il primo account: `.venv/bin/python scripts/nuovo_utente.py mrossi "Mario Rossi"` '
    "chiede la password due volte e stampa le righe da copiare in `.streamlit/secrets.toml`, "
    "sezione `[gestione]` (vedi il README, sezione «Security»). Poi riavviare il server."
)


class Esito(enum.StrEnum):
    """What happened to one login attempt (also the `esito` column of the access log)."""

    ENTRATO = "entrato"  # right name and password: a session is opened
    RIFIUTATO = "rifiutato"  # wrong name or password (the two are never told apart)
    SOSPESO = "sospeso"  # too many failures for this name: refused without checking the password
    USCITO = "uscito"  # «Esci»: the session is revoked


@dataclass(frozen=True)
class Account:
    """One account that may log in: its normalised name, display name, bcrypt hash, role and, for
    a referente, its points. Accounts of the secrets are amministratori; the database's have the
    role an amministratore gave them (stores.account)."""

    utente: str
    nome: str
    hash_password: str
    ruolo: Ruolo = Ruolo.AMMINISTRATORE
    punti: frozenset[str] = frozenset()

    def autore(self) -> Autore:
        """The author of the changes made in this account's session (checked by the store)."""
        return Autore(self.utente, self.nome, self.ruolo, self.punti if self.ruolo == Ruolo.REFERENTE else frozenset())


@dataclass(frozen=True)
class Configurazione:
    """The accounts read from the secrets, whether the demo account is on, and what is wrong."""

    account: Mapping[str, Account]
    demo: bool  # the demo account is the only one
    sezione_presente: bool  # a [gestione] section exists in the secrets (valid or not)
    problemi: tuple[str, ...] = ()  # configuration problems, in Italian, for the log and the page

    @property
    def utenti(self) -> list[str]:
        return sorted(self.account)


def normalizza_utente(utente: object) -> str:
    """The one spelling of a user name: Unicode NFKC, no surrounding spaces, case-folded, at most
    LUNGHEZZA_MAX_UTENTE characters. Used for accounts, locks, sessions and the log."""
    testo = unicodedata.normalize("NFKC", str(utente or "")).strip().casefold()
    return testo[:LUNGHEZZA_MAX_UTENTE]


def solo_loopback(indirizzo: object) -> bool:
    """True when `server.address` makes the server listen on this machine only. An empty address
    (Streamlit then listens on every interface), 0.0.0.0, :: or a LAN address are not."""
    testo = str(indirizzo or "").strip().strip("[]").lower()
    if testo == "localhost":
        return True
    try:
        return ipaddress.ip_address(testo).is_loopback
    except ValueError:
        return False


def hash_password(password: str, costo: int = COSTO_BCRYPT) -> str:
    """A bcrypt hash of `password` (what goes in the secrets)."""
    if not password:
        raise ValueError("password vuota")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(costo)).decode("ascii")


def e_hash_bcrypt(valore: object) -> bool:
    return isinstance(valore, str) and bool(_BCRYPT.match(valore))


def verifica(password: str, hash_: str) -> bool:
    """True when `password` matches the bcrypt hash `hash_` (False for a malformed hash)."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hash_.encode("ascii"))
    except ValueError:
        return False


@functools.lru_cache(maxsize=1)
def hash_demo() -> str:
    """The demo account's hash, made once per process and never stored."""
    return hash_password(PASSWORD_DEMO)


@functools.lru_cache(maxsize=4)
def _hash_fittizio(costo: int) -> str:
    # Checked against the password of an unknown name, so that it costs as much as a known one.
    return hash_password("nessun account ha questa password", costo)


def _costo(hash_: str) -> int:
    """The bcrypt cost written in a hash ("$2b$12$…" → 12)."""
    return int(hash_[4:6])


# Headers a reverse proxy adds: a request that carries any of them came from the network, even
# though the server itself listens on loopback behind the proxy.
INTESTAZIONI_PROXY = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip")


def richiesta_locale(ip_remoto: str | None, intestazioni: Mapping[str, object]) -> bool:
    """True when this browser session reached the server from this very machine, directly: the
    peer address is loopback (Streamlit reports it as None) and no proxy header is present. A
    session through nginx (deploy/) is never local, whatever address the replica listens on."""
    if ip_remoto is not None and not solo_loopback(ip_remoto):
        return False
    valori = {str(k).lower(): str(v) for k, v in intestazioni.items()}
    if any(h in valori for h in INTESTAZIONI_PROXY):
        return False
    # A forwarder that adds no header (a bare proxy_pass, socat, an SSH tunnel) still passes on the
    # name the browser asked for: it must be this machine too.
    return all(solo_loopback(_nome_host(valori[nome])) for nome in ("host", "origin") if nome in valori)


def _nome_host(valore: str) -> str:
    """The host of a Host or Origin header value: "127.0.0.1:8501" → "127.0.0.1", "[::1]:8501" → "::1"."""
    testo = valore.strip().lower()
    if "://" in testo:
        testo = testo.split("://", 1)[1]
    testo = testo.split("/", 1)[0]
    if testo.startswith("["):
        return testo[1 : testo.find("]")] if "]" in testo else testo
    return testo.rsplit(":", 1)[0] if testo.count(":") == 1 else testo


def configurazione(
    sezione: object,
    *,
    incorporato: bool,
    indirizzo: object,
    locale: bool = True,
    hash_demo_: str | None = None,
    account_db: Sequence[Account] = (),
    ci_sono_account_db: bool = False,
) -> Configurazione:
    """The accounts of the `[gestione]` section of the secrets (a plain mapping, or None when the
    section does not exist at all; anything else, e.g. an unreadable file, is reported).

    `incorporato`: the app runs on its embedded SQLite database; `indirizzo`: Streamlit's
    `server.address`; `locale`: the current request came from this machine without a proxy
    (`richiesta_locale`). `account_db`: the active accounts stored in the database (a name also
    in the secrets is reported and neither account may log in); `ci_sono_account_db`: the database
    holds accounts, active or not. The demo account is on only with no section, no account in the
    database, embedded, a server on loopback only and a local request."""
    problemi: list[str] = []
    account: dict[str, Account] = {}
    presente = sezione is not None
    if isinstance(sezione, str):  # what the caller found instead of a readable [gestione] table
        problemi.append(f"secrets: {sezione}: nessun account caricato")
    elif presente and not isinstance(sezione, Mapping):
        problemi.append("la sezione [gestione] dei secrets non è una tabella: nessun account caricato")
    tabella: Mapping = sezione if isinstance(sezione, Mapping) else {}
    credenziali = tabella.get("credentials") or {}
    grezzi = credenziali.get("usernames") if isinstance(credenziali, Mapping) else None
    if isinstance(sezione, Mapping) and not grezzi:
        problemi.append("la sezione [gestione] dei secrets non contiene account ([gestione.credentials.usernames.…])")
    for scritto, dati in (grezzi or {}).items() if isinstance(grezzi, Mapping) else ():
        utente = normalizza_utente(scritto)
        dati = dict(dati) if isinstance(dati, Mapping) else {}
        if not utente:
            problemi.append("un account senza nome utente è stato ignorato")
        elif not e_hash_bcrypt(dati.get("password")):
            problemi.append(
                f"account «{scritto}» ignorato: la password nei secrets deve essere un hash bcrypt "
                "(generarlo con `scripts/nuovo_utente.py`), mai la password in chiaro"
            )
        elif utente in account:
            problemi.append(
                f"account «{scritto}» ignorato: è lo stesso nome utente di «{account[utente].utente}» "
                "(maiuscole e minuscole non contano)"
            )
            del account[utente]
        else:
            account[utente] = Account(utente, str(dati.get("name") or scritto), str(dati["password"]))
    for a in account_db:
        if a.utente in account:
            # Which role would be meant is unknown: neither account logs in (no role by a name clash).
            problemi.append(f"account «{a.utente}» sia nei secrets sia nel database: nessuno dei due può accedere")
            del account[a.utente]
        else:
            account[a.utente] = a
    ci_sono_account_db = ci_sono_account_db or bool(account_db)
    demo = not presente and not ci_sono_account_db and incorporato and solo_loopback(indirizzo) and locale
    if demo:
        account[UTENTE_DEMO] = Account(UTENTE_DEMO, NOME_DEMO, hash_demo_ or hash_demo())
    return Configurazione(account, demo, presente, tuple(problemi))


def avvisi_di_avvio(cfg: Configurazione, *, incorporato: bool, indirizzo: object) -> list[str]:
    """What start-up logs as warnings: configuration problems, no account, the demo account."""
    avvisi = [f"Gestione: {p}" for p in cfg.problemi]
    if cfg.demo:
        avvisi.append(
            f"Gestione: account dimostrativo «{UTENTE_DEMO}» attivo (nessuna sezione [gestione] nei secrets, "
            "server solo su questo computer): configurare gli account prima di usare dati reali"
        )
    elif not cfg.account:
        motivo = (
            "la sezione [gestione] dei secrets non ha account validi"
            if cfg.sezione_presente
            else "nessuna sezione [gestione] nei secrets"
        )
        if not cfg.sezione_presente and incorporato and not solo_loopback(indirizzo):
            motivo += f" e il server ascolta su «{indirizzo or 'tutte le interfacce'}», non solo su questo computer"
        avvisi.append(
            f"Gestione: nessun account può accedere ({motivo}). Creare un account con scripts/nuovo_utente.py"
        )
    return avvisi


def attesa(falliti: Sequence[dt.datetime], adesso: dt.datetime) -> dt.timedelta:
    """How long a name stays locked, given its failed logins since its last successful login.

    MAX_TENTATIVI failures within FINESTRA lock it until the oldest of the last MAX_TENTATIVI is
    FINESTRA old: guessing a password costs hours, while someone who mistypes, or who makes the
    owner wait on purpose, blocks it for at most 15 minutes. Zero when not locked."""
    recenti = sorted(q for q in falliti if q > adesso - FINESTRA)
    if len(recenti) < MAX_TENTATIVI:
        return dt.timedelta(0)
    return max(dt.timedelta(0), recenti[-MAX_TENTATIVI] + FINESTRA - adesso)


def decidi(
    cfg: Configurazione, utente: str, password: str, falliti: Sequence[dt.datetime], adesso: dt.datetime
) -> tuple[Esito, Account | None]:
    """The outcome of one login attempt for the normalised name `utente`.

    A locked name is refused before its password is checked, known or not; an unknown name costs
    one bcrypt check like a known one and gets the same answer as a wrong password."""
    if attesa(falliti, adesso) > dt.timedelta(0):
        return Esito.SOSPESO, None
    account = cfg.account.get(utente)
    if account is None:  # the same work as for the costliest account: time does not tell
        costo = max((_costo(a.hash_password) for a in cfg.account.values()), default=COSTO_BCRYPT)
        verifica(password, _hash_fittizio(costo))
        return Esito.RIFIUTATO, None
    giusta = verifica(password, account.hash_password)
    if giusta:
        return Esito.ENTRATO, account
    return Esito.RIFIUTATO, None
