"""Accounts of the admin page ("Gestione"): bcrypt password hashes from Streamlit secrets.

Accounts live in `.streamlit/secrets.toml` (git-ignored), in streamlit-authenticator's format:

    [gestione]
    cookie_key = "a long random string"          # signs the "stay logged in" cookie

    [gestione.credentials.usernames.mrossi]
    name = "Mario Rossi"
    email = "m.rossi@comune.brescia.it"          # optional
    password = "$2b$12$..."                      # bcrypt hash: scripts/nuovo_utente.py

A password written in clear is refused (the account is ignored and the page says why).

Embedded setup (SQLite, no accounts configured): a demo account, `demo` / `cittadelnoi-demo`,
documented in the README, so the admin page can be tried at once; its hash is computed at start,
never stored. It is never offered on a PostgreSQL (shared) database.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import bcrypt

UTENTE_DEMO = "demo"
PASSWORD_DEMO = "cittadelnoi-demo"
NOME_DEMO = "Account dimostrativo"
COOKIE = "cittadelnoi_gestione"
MAX_TENTATIVI = 5  # failed logins per account ...
FINESTRA_S = 15 * 60  # ... within this many seconds lock the account for what is left of the window
_BCRYPT = re.compile(r"^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$")


@dataclass(frozen=True)
class Configurazione:
    credenziali: dict  # {"usernames": {utente: {"name", "email", "password"}}} for streamlit-authenticator
    cookie_key: str
    demo: bool  # the demo account is the only one
    problemi: tuple[str, ...] = ()  # configuration problems, in Italian, for the page

    @property
    def utenti(self) -> list[str]:
        return sorted(self.credenziali["usernames"])


def hash_password(password: str, costo: int = 12) -> str:
    if not password:
        raise ValueError("password vuota")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(costo)).decode("ascii")


def e_hash_bcrypt(valore: object) -> bool:
    return isinstance(valore, str) and bool(_BCRYPT.match(valore))


def verifica(password: str, hash_: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hash_.encode("ascii"))
    except ValueError:
        return False


def configurazione(
    auth: Mapping | None, incorporato: bool, hash_demo: str | None = None, chiave_riserva: str | None = None
) -> Configurazione:
    """The accounts from the `[gestione]` section of the secrets (a plain mapping, or None).

    `incorporato`: the app runs on its embedded SQLite database; only then, and only when no
    account is configured, the demo account is offered (`hash_demo`, computed by the caller once
    per process, or here). Without a cookie_key in the secrets, `chiave_riserva` (one per
    process) signs the cookie, so logins do not survive a restart."""
    auth = auth or {}
    problemi: list[str] = []
    utenti: dict[str, dict] = {}
    grezzi = (auth.get("credentials") or {}).get("usernames") or {}
    for utente, dati in grezzi.items():
        dati = dict(dati or {})
        if not e_hash_bcrypt(dati.get("password")):
            problemi.append(
                f"account «{utente}» ignorato: la password nei secrets deve essere un hash bcrypt "
                "(generarlo con `python scripts/nuovo_utente.py`), mai la password in chiaro"
            )
            continue
        utenti[str(utente)] = {
            "name": str(dati.get("name") or utente),
            "email": str(dati.get("email") or ""),
            "password": dati["password"],
        }
    chiave = str(auth.get("cookie_key") or "")
    if utenti and len(chiave) < 32:
        if chiave:
            problemi.append(
                "cookie_key nei secrets troppo corta (almeno 32 caratteri): uso una chiave temporanea, "
                "l'accesso non sopravvive al riavvio"
            )
        chiave = ""
    demo = False
    if not utenti and incorporato:
        utenti[UTENTE_DEMO] = {"name": NOME_DEMO, "email": "", "password": hash_demo or hash_password(PASSWORD_DEMO)}
        demo = True
    return Configurazione(
        {"usernames": utenti}, chiave or chiave_riserva or secrets.token_hex(32), demo, tuple(problemi)
    )


class LimiteTentativi:
    """Failed logins per account over a sliding window, shared by every session of the process.

    After MAX_TENTATIVI failures within FINESTRA_S seconds the account refuses logins, even with
    the right password, until the oldest of those failures is older than the window: guessing a
    password costs hours, while someone who mistypes, or who makes the account's owner wait
    on purpose, blocks it for at most 15 minutes. streamlit-authenticator only counts failures
    forever (a lock until restart); the page passes this count to it (see pages/gestione.py).
    Each replica keeps its own count.
    """

    def __init__(
        self,
        massimo: int = MAX_TENTATIVI,
        finestra_s: float = FINESTRA_S,
        orologio: Callable[[], float] = time.monotonic,
    ):
        self.massimo = massimo
        self.finestra_s = finestra_s
        self.orologio = orologio
        self._falliti: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recenti(self, utente: str) -> deque[float]:
        falliti = self._falliti.setdefault(utente, deque())
        limite = self.orologio() - self.finestra_s
        while falliti and falliti[0] <= limite:
            falliti.popleft()
        return falliti

    def attesa_s(self, utente: str) -> float:
        """Seconds before `utente` may try again; 0 when not locked."""
        with self._lock:
            falliti = self._recenti(utente)
            if len(falliti) < self.massimo:
                return 0.0
            return max(0.0, falliti[-self.massimo] + self.finestra_s - self.orologio())

    def fallito(self, utente: str) -> None:
        with self._lock:
            self._recenti(utente).append(self.orologio())

    def riuscito(self, utente: str) -> None:
        with self._lock:
            self._falliti.pop(utente, None)
