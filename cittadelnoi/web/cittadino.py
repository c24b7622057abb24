"""The citizen pages' routes (views.pagine_cittadine), served by the dashboard's process (app.py).

    GET /quartieri[?lang=en]              the city: the quartieri by zona, their status and counts
    GET /quartieri/<codice_istat>[?lang=en]   a quartiere (404: unknown code)
    GET /punti/<id>[?lang=en]             a point of the register (404: unknown id)

Each page is built once per data version, language and day (a confirmation grows old at midnight
in Brescia) and answers conditional requests with 304 (ETag, Last-Modified: rotte.risposta). The
page never depends on the time of day: "open now" is worked out in the browser from the slots in
the page (static/cittadino.js), so a proxy may keep it. `X-Accel-Expires` lets deploy/'s nginx
serve it from its cache for a few seconds (a burst of phones after a QR code), then revalidate;
browsers and other caches get `no-cache` (always ask, cheap 304). This module knows nothing of
Streamlit.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from cittadelnoi.core import i18n, tempo
from cittadelnoi.core.impostazioni import impostazioni
from cittadelnoi.stores.base import Archivio, Snapshot
from cittadelnoi.views import pagine_cittadine as pagine
from cittadelnoi.web.rotte import _Cache, modificato_il, risposta

# Seconds nginx may answer from its cache without asking (deploy/nginx/locations.conf).
SECONDI_PROXY = 10
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self'; "
    "connect-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {antenati}"
)


def _errore(stato: int, testo: str) -> Response:
    return PlainTextResponse(
        testo + "\n", status_code=stato, headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    )


def rotte(archivio: Callable[[], Archivio]) -> list[Route]:
    """The three routes; `archivio()` returns the process's store (the one the pages use)."""
    cache = _Cache(massimo=256)

    def servi(request: Request, chiave: tuple, costruisci: Callable[[Snapshot, pagine.Indirizzi], str]) -> Response:
        snap, _errori = archivio().get()
        if snap is None:
            return _errore(503, "Dati non disponibili: nessun dato valido caricato.")
        lingua = i18n.valida(request.query_params.get("lang"))
        oggi = tempo.oggi()
        ind = pagine.Indirizzi((impostazioni().url_pubblico or "").rstrip("/"), lingua)

        def crea() -> bytes:
            # The language lives in a context variable: set it in a copy, never in the server's thread.
            def dentro() -> bytes:
                i18n.imposta(lingua)
                return costruisci(snap, ind).encode("utf-8")

            return contextvars.copy_context().run(dentro)

        try:
            corpo = cache.prendi((snap.versione, *chiave, lingua, oggi, ind.base, impostazioni().licenza.id), crea)
        except KeyError:
            return _errore(404, "Non trovato: quartiere o punto sconosciuto (elenco: /quartieri).")
        return risposta(
            request,
            corpo,
            "text/html; charset=utf-8",
            modificato_il(snap, oggi),
            cors=False,
            intestazioni={
                "Content-Security-Policy": CSP.format(antenati=impostazioni().frame_ancestors),
                "Referrer-Policy": "strict-origin-when-cross-origin",
                "Content-Language": lingua,
                "X-Accel-Expires": str(SECONDI_PROXY),
            },
        )

    def citta(request: Request) -> Response:
        return servi(request, ("citta",), pagine.pagina_citta)

    def quartiere(request: Request) -> Response:
        codice = request.path_params["codice"]
        if len(codice) > 16:  # bounded: an ISTAT code is 8 digits
            return _errore(404, "Non trovato: quartiere sconosciuto (elenco: /quartieri).")
        return servi(
            request, ("quartiere", codice), lambda s, ind: pagine.pagina_quartiere(s, codice, ind, tempo.oggi())
        )

    def punto(request: Request) -> Response:
        pid = request.path_params["id"]
        if len(pid) > 100:
            return _errore(404, "Non trovato: punto sconosciuto (elenco: /quartieri).")
        return servi(request, ("punto", pid), lambda s, ind: pagine.pagina_punto(s, pid, ind, tempo.oggi()))

    return [
        Route("/quartieri", citta, methods=["GET"], name="cittadino-citta"),
        Route("/quartieri/{codice}", quartiere, methods=["GET"], name="cittadino-quartiere"),
        Route("/punti/{id}", punto, methods=["GET"], name="cittadino-punto"),
    ]
