"""HTTP routes of the Gestione login: the only place that sets or clears the session cookie.

A Streamlit script cannot set a cookie (the page talks over a websocket), and a cookie written
by page scripts (as streamlit-authenticator's CookieManager does) can be read by any of them.
These Starlette routes, mounted in the same process by `app.py` through Streamlit's `st.App`,
answer a `fetch` from the page:

- `POST /auth/sessione` with a one-time ticket (made at login by ui.gestione_accesso, valid for
  60 s, stored as a fingerprint): sets the session token as an HttpOnly, SameSite=Strict cookie,
  Secure when the request came over HTTPS (directly or through a proxy that says so in
  X-Forwarded-Proto);
- `POST /auth/esci`: revokes the session of the cookie in the database and clears it.

Without these routes (the app started as `streamlit run dashboard.py`) the login still works,
held in the server-side session state of the open page only: there is no cookie at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cittadelnoi.auth import sessioni
from cittadelnoi.stores.accessi import RegistroAccessi

LUNGHEZZA_MAX = 200  # a ticket is 43 characters: anything much longer is not one

Fornitore = Callable[[], RegistroAccessi | None]


def _https(request: Request) -> bool:
    inoltrato = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or inoltrato == "https"


def _adesso() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def rotte(fornitore: Fornitore) -> list[Route]:
    """The two routes, reading sessions through `fornitore()` (None: no database, no login)."""

    async def crea(request: Request) -> Response:
        corpo = (await request.body())[: LUNGHEZZA_MAX + 1].decode("utf-8", "replace").strip()
        registro = await run_in_threadpool(fornitore)
        if registro is None or not corpo or len(corpo) > LUNGHEZZA_MAX:
            return Response(status_code=403, headers={"Cache-Control": "no-store"})
        token = sessioni.nuovo_segreto()
        fatto = await run_in_threadpool(registro.scambia, sessioni.impronta(corpo), sessioni.impronta(token), _adesso())
        if not fatto:
            return Response(status_code=403, headers={"Cache-Control": "no-store"})
        risposta = Response(status_code=204, headers={"Cache-Control": "no-store"})
        risposta.set_cookie(sessioni.COOKIE, token, **sessioni.attributi_cookie(_https(request)))  # type: ignore[arg-type]
        return risposta

    async def esci(request: Request) -> Response:
        token = request.cookies.get(sessioni.COOKIE)
        if token:
            registro = await run_in_threadpool(fornitore)
            if registro is not None:
                await run_in_threadpool(registro.revoca_token, sessioni.impronta(token), _adesso())
        risposta = Response(status_code=204, headers={"Cache-Control": "no-store"})
        attributi = sessioni.attributi_cookie(_https(request))
        risposta.delete_cookie(
            sessioni.COOKIE, path="/", secure=bool(attributi["secure"]), httponly=True, samesite="strict"
        )
        return risposta

    return [
        Route(sessioni.ROTTA_SESSIONE, crea, methods=["POST"]),
        Route(sessioni.ROTTA_ESCI, esci, methods=["POST"]),
    ]
