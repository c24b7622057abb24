"""Login sessions of the Gestione page: secrets, their fingerprints, the cookie's attributes.

A session is a row of the `sessioni` table (stores.accessi), shared by every replica. The browser
holds a random token in an HttpOnly cookie (page scripts cannot read it); the database keeps only
its SHA-256 fingerprint, so a copy of the database opens nothing. «Esci» revokes the row: the
token, wherever it was copied, opens nothing after that, in any replica.

The cookie cannot be set from a Streamlit script (the page talks over a websocket): after a
login the page asks the app's own route `/auth/sessione` (web.sessione) to exchange a one-time
ticket, valid for BIGLIETTO seconds, for the cookie. Pure logic: no Streamlit, no database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from cittadelnoi.core.impostazioni import ORE_SESSIONE_PREDEFINITE

COOKIE = "cittadelnoi_sessione"
DURATA = dt.timedelta(hours=ORE_SESSIONE_PREDEFINITE)  # a session ends 8 hours after the login, whatever happens
BIGLIETTO = dt.timedelta(seconds=60)  # the one-time ticket that turns into the cookie
ROTTA_SESSIONE = "/auth/sessione"
ROTTA_ESCI = "/auth/esci"


def nuovo_segreto() -> str:
    """A new random token or ticket: 256 bits, URL-safe text."""
    return secrets.token_urlsafe(32)


def nuovo_id() -> str:
    """The id of a new session row (not a secret: it never leaves the server)."""
    return secrets.token_hex(16)


def impronta(segreto: str) -> str:
    """What the database keeps of a token or ticket: its SHA-256, in hex."""
    return hashlib.sha256(segreto.encode("utf-8")).hexdigest()


def attributi_cookie(https: bool) -> dict[str, object]:
    """The session cookie's attributes (Starlette's `set_cookie` keywords): HttpOnly always,
    Secure when the page was served over HTTPS, SameSite=Strict, the whole site, 8 hours."""
    return {
        "max_age": int(DURATA.total_seconds()),
        "path": "/",
        "httponly": True,
        "secure": https,
        "samesite": "strict",
    }
