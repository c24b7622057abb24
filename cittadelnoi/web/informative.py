"""`/accessibilita` and `/privacy`: the accessibility statement and the privacy and cookie page
every page's footer links (views.informative, views.piede). `?lang=en` for English.

Mounted by app.py through `st.App`, like /segnala: plain HTML, no script, no cookie, the same
Content-Security-Policy. They need no data; the footer's date of the last update comes from the
process's store when it has valid data (unknown otherwise, and said so).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from cittadelnoi.core import i18n
from cittadelnoi.stores.base import Archivio
from cittadelnoi.views import informative, piede
from cittadelnoi.views.segnala import CSP

_log = logging.getLogger(__name__)


def rotte(archivio: Callable[[], Archivio]) -> list[Route]:
    """GET /accessibilita and GET /privacy. `archivio()` is the process's store (for the date
    the data were last updated, in the footer)."""

    def pagina(costruisci: Callable[[str], str]) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            lingua = i18n.valida(request.query_params.get("lang"))

            def corsa() -> str:
                i18n.imposta(lingua)
                try:
                    snap, _errori = archivio().get()
                except Exception:  # no store: the footer says the date is not known, the page still opens
                    _log.exception("pagine informative: archivio non disponibile")
                    snap = None
                piede.imposta_aggiornati(snap.caricato_il if snap is not None else None)
                return costruisci("/" + ("?lang=en" if lingua == "en" else ""))

            # The language lives in a context variable: set it in a copy, never in the server's thread.
            html = contextvars.copy_context().run(corsa)
            return HTMLResponse(
                html,
                headers={
                    "Cache-Control": "no-cache",
                    "Content-Security-Policy": CSP,
                    "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin",
                },
            )

        return endpoint

    return [
        Route(
            piede.ROTTA_ACCESSIBILITA, pagina(informative.pagina_accessibilita), methods=["GET"], name="accessibilita"
        ),
        Route(piede.ROTTA_PRIVACY, pagina(informative.pagina_privacy), methods=["GET"], name="privacy"),
    ]
