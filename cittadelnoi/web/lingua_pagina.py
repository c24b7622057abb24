"""Streamlit's page shell in the viewer's language (WCAG 2.1, criterion 3.1.1 «Language of Page»).

Streamlit serves one static `index.html` for "/" and for every page's URL. It says
`<html lang="en">`, is titled «Streamlit», tells browsers without JavaScript in English what to
do, and its React app adds an English «Skip to main content» link. Streamlit has no option to
change any of them (streamlit/streamlit#15726). A screen reader then reads the Italian dashboard
with English pronunciation, and Chrome offers to translate it «from English».

`LinguaDellaPagina`, an ASGI middleware (app.py mounts it through `st.App(middleware=…)`), rewrites
that shell as it leaves the server:
- `<html lang>` from the URL's `lang` parameter (Italian unless `lang=en`, as the pages read it;
  always Italian on the pages written only in Italian, `i18n.SOLO_ITALIANO`: Gestione);
- the project's title, and the notice for browsers without JavaScript in that language, with the
  links to the open data;
- a small inline script keeps `lang` and the skip link's words in step when the viewer switches
  language in the page (the URL's `lang` changes without a reload).

Only Streamlit's own `index.html` is rewritten, recognised by the ETag Starlette gives that file;
every other response (open data, /mappa, the static bundle, the websocket) passes untouched. The
rewritten shell has its own ETag (per language) and no date: when Streamlit would answer 304 (a
browser's copy of its own shell from before the rewrite, a date, `*`), the answer is decided here,
so no one keeps Streamlit's English shell.
This module knows nothing of Streamlit: app.py gives it the path of the shell.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import FileResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cittadelnoi.core import i18n, pubblicazione
from cittadelnoi.core.i18n import _
from cittadelnoi.core.testo import html as testo_html
from cittadelnoi.views import dati_aperti
from cittadelnoi.web.rotte import etag_corrisponde

_HTML = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_TITOLO = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT = re.compile(r"<noscript>.*?</noscript>", re.IGNORECASE | re.DOTALL)
_FINE_HEAD = re.compile(r"</head>", re.IGNORECASE)

# Streamlit's skip link (data-testid="stSkipToContent"): its text node is changed in place, so
# React, which never re-renders a constant text, keeps its own node.
_SCRIPT = r"""<script>
(function () {
  var parole = %s;
  var predefinita = %s;
  var soloItaliano = %s;
  function aggiorna() {
    var l = new URLSearchParams(location.search).get("lang");
    var pagina = location.pathname.replace(/\/+$/, "").split("/").pop();
    if (!Object.prototype.hasOwnProperty.call(parole, l) || soloItaliano.indexOf(pagina) >= 0) l = predefinita;
    if (document.documentElement.lang !== l) document.documentElement.lang = l;
    var a = document.querySelector('[data-testid="stSkipToContent"]');
    var t = a && a.firstChild;
    if (t && t.nodeType === 3 && t.nodeValue !== parole[l]) t.nodeValue = parole[l];
  }
  aggiorna();
  new MutationObserver(aggiorna).observe(document.documentElement, {childList: true, subtree: true});
})();
</script>
"""


def _json_per_script(valore: object) -> str:
    # Inside <script>, "</script>" or "<!--" in a string would end or change the element.
    return json.dumps(valore, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def _nella_lingua(lingua: str, testo: str) -> str:
    return testo if lingua == i18n.PREDEFINITA else i18n.catalogo(lingua).get(testo, testo)


def _salta() -> str:
    return _("Vai al contenuto principale")


def _senza_javascript() -> str:
    return _("Per vedere il cruscotto serve JavaScript. Gli stessi dati sono scaricabili come dati aperti:")


def _pagine_senza_javascript() -> str:
    return _("Senza JavaScript: i punti di comunità di ogni quartiere.")


def riscrivi(originale: str, lingua: str) -> str:
    """Streamlit's shell `originale` (index.html as text) in `lingua` (a key of i18n.LINGUE; any
    other value: Italian). Parts the shell no longer has are left out, never invented."""
    lingua = i18n.valida(lingua)
    parole = {codice: _nella_lingua(codice, _salta()) for codice in i18n.LINGUE}
    senza_js = testo_html(_nella_lingua(lingua, _senza_javascript()))
    pagine = testo_html(_nella_lingua(lingua, _pagine_senza_javascript()))
    suffisso = "?lang=en" if lingua != i18n.PREDEFINITA else ""
    # Every open-data file of the routes (views.dati_aperti.FILE), but the catalogue (for machines).
    file = ", ".join(f'<a href="./dati/{n}">{n}</a>' for n in dati_aperti.FILE if n != "catalogo.jsonld")
    testo = _HTML.sub(f'<html lang="{lingua}">', originale, count=1)
    testo = _TITOLO.sub(f"<title>{testo_html(pubblicazione.TITOLO_PROGETTO)}</title>", testo, count=1)
    testo = _NOSCRIPT.sub(
        f'<noscript><p><a href="./quartieri{suffisso}">{pagine}</a></p><p>{senza_js} {file}.</p></noscript>',
        testo,
        count=1,
    )
    script = _SCRIPT % (
        _json_per_script(parole),
        _json_per_script(i18n.PREDEFINITA),
        _json_per_script(sorted(i18n.SOLO_ITALIANO)),
    )
    return _FINE_HEAD.sub(lambda _m: script + "</head>", testo, count=1)


class _Guscio:
    """Streamlit's shell read once, its ETag as Starlette serves it, and its rewrites."""

    def __init__(self, percorso: Path):
        self.originale = percorso.read_bytes()
        stato = os.stat(percorso)
        self.etag_streamlit = FileResponse(percorso, stat_result=stato).headers["etag"]
        self._riscritti: dict[tuple[str, bool], tuple[bytes, str]] = {}

    def in_lingua(self, lingua: str, compresso: bool) -> tuple[bytes, str]:
        """(body, ETag) of the shell in `lingua`, gzipped if `compresso` (as Streamlit gzips it
        on a page's URL). The ETag is weak: the same page, compressed or not."""
        chiave = (lingua, compresso)
        if chiave not in self._riscritti:
            corpo = riscrivi(self.originale.decode("utf-8"), lingua).encode("utf-8")
            etag = 'W/"cdn-' + hashlib.sha256(corpo).hexdigest()[:32] + '"'
            self._riscritti[chiave] = (gzip.compress(corpo, mtime=0) if compresso else corpo, etag)
        return self._riscritti[chiave]


def _lingua_richiesta(scope: Scope) -> str:
    if scope.get("path", "").rstrip("/").rsplit("/", 1)[-1] in i18n.SOLO_ITALIANO:
        return i18n.PREDEFINITA
    valori = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [])
    return i18n.valida(valori[-1] if valori else None)


class LinguaDellaPagina:
    """ASGI middleware: Streamlit's `index.html` (at `indice`) in the language of the URL.

    Use: `st.App(..., middleware=[Middleware(LinguaDellaPagina, indice=Path(...))])`. If the file
    cannot be read the middleware stands aside (Streamlit serves its shell as it is)."""

    def __init__(self, app: ASGIApp, indice: Path):
        self.app = app
        try:
            self.guscio: _Guscio | None = _Guscio(indice)
        except OSError:
            self.guscio = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        guscio = self.guscio
        if guscio is None or scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _Invio(send, guscio, scope, Headers(scope=scope)))


class _Invio:
    """The `send` of one request: passes every message on, except Streamlit's shell."""

    def __init__(self, send: Send, guscio: _Guscio, scope: Scope, richiesta: Headers):
        self._send = send
        self._guscio = guscio
        self._scope = scope
        self._richiesta = richiesta
        self._inizio: Message | None = None
        self._parti: list[bytes] = []

    async def __call__(self, messaggio: Message) -> None:
        if messaggio["type"] == "http.response.start":
            intestazioni = Headers(raw=messaggio.get("headers", []))
            # Streamlit's shell, or its 304 for it (a copy cached before the rewrite, a date or `*`
            # in the request): held until the whole body is here, then answered here.
            if messaggio["status"] in (200, 304) and intestazioni.get("etag") == self._guscio.etag_streamlit:
                self._inizio = messaggio
                return
        elif messaggio["type"] == "http.response.body" and self._inizio is not None:
            self._parti.append(messaggio.get("body", b""))
            if not messaggio.get("more_body", False):
                await self._shell()
            return
        await self._send(messaggio)

    async def _shell(self) -> None:
        assert self._inizio is not None
        inizio, corpo_streamlit = self._inizio, b"".join(self._parti)
        intestazioni = MutableHeaders(raw=list(inizio.get("headers", [])))
        intero = inizio["status"] == 200  # else Streamlit's 304: the shell is ours to send
        compresso = intero and intestazioni.get("content-encoding") == "gzip"
        testa = self._scope["method"] == "HEAD"
        if intero and not testa and _decomprimi(corpo_streamlit, compresso) != self._guscio.originale:
            await self._invia(inizio, corpo_streamlit)  # not the shell read at start: untouched
            return
        lingua = _lingua_richiesta(self._scope)
        corpo, etag = self._guscio.in_lingua(lingua, compresso)
        for nome in ("etag", "last-modified", "content-length", "content-type", "cache-control"):
            del intestazioni[nome]
        intestazioni["etag"] = etag
        intestazioni["content-language"] = lingua
        intestazioni["cache-control"] = "no-cache"  # as Streamlit serves its shell: always revalidated
        if etag_corrisponde(self._richiesta.get("if-none-match", ""), etag):
            del intestazioni["content-encoding"]
            await self._invia({**inizio, "status": 304, "headers": intestazioni.raw}, b"")
            return
        intestazioni["content-type"] = "text/html; charset=utf-8"
        intestazioni["content-length"] = str(len(corpo))
        await self._invia({**inizio, "status": 200, "headers": intestazioni.raw}, b"" if testa else corpo)

    async def _invia(self, inizio: Message, corpo: bytes) -> None:
        await self._send(inizio)
        await self._send({"type": "http.response.body", "body": corpo, "more_body": False})


def _decomprimi(corpo: bytes, compresso: bool) -> bytes | None:
    try:
        return gzip.decompress(corpo) if compresso else corpo
    except (OSError, EOFError):
        return None
